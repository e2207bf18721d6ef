"""Front-desk pages: patients (search, register, edit, merge), coverages and cards, visits."""

from django.urls import include, path

from patients import views

urlpatterns = [
    path("", views.patient_search, name="patient-list"),
    path("register/", views.patient_register_view, name="patient-register"),
    path("<int:pk>/edit/", views.patient_edit_view, name="patient-edit"),
    path("<int:pk>/merge/", views.patient_merge_view, name="patient-merge"),
    path("", include("patients.coverage_urls")),
    path("", include("patients.visit_urls")),
]

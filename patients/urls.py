"""Front-desk pages: patients (search, register, edit, merge), coverages and cards, visits."""

from django.urls import include, path

from patients import views

urlpatterns = [
    path("", views.patient_search, name="patient-list"),
    path("", include("patients.coverage_urls")),
    path("", include("patients.visit_urls")),
]

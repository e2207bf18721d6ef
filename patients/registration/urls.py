"""Patient pages (search, register, edit, merge) and their API."""

from django.urls import path

from patients.registration import api, views

urlpatterns = [
    path("patients/", views.patient_search, name="patient-list"),
    path("patients/register/", views.patient_register_view, name="patient-register"),
    path("patients/<int:pk>/edit/", views.patient_edit_view, name="patient-edit"),
    path("patients/<int:pk>/merge/", views.patient_merge_view, name="patient-merge"),
]

api_urlpatterns = api.api_urlpatterns

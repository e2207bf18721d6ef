from django.urls import path

from patients import views

urlpatterns = [
    path("", views.patient_search, name="patient-list"),
]

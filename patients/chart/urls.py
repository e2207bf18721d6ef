"""The patient chart's page."""

from django.urls import path

from patients.chart import views

urlpatterns = [
    path("patients/<int:pk>/", views.patient_chart_view, name="patient-detail"),
]

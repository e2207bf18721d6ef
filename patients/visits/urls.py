"""Visit pages (schedule, edit, the visit page, send to coding, the worklist) and their API."""

from django.urls import path

from patients.visits import api, views

urlpatterns = [
    path("patients/<int:patient_id>/visits/new/", views.visit_new, name="visit-new"),
    path("patients/visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("patients/visits/<int:pk>/edit/", views.visit_edit, name="visit-edit"),
    path("patients/visits/<int:pk>/ready/", views.visit_ready, name="visit-ready"),
    path("patients/worklist/", views.worklist, name="eligibility-worklist"),
]

api_urlpatterns = api.api_urlpatterns

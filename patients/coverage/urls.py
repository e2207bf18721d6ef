"""Coverage pages (add, edit, reorder, the card, eligibility checks) and their API."""

from django.urls import path

from patients.coverage import api, views

urlpatterns = [
    path(
        "patients/<int:patient_id>/coverages/new/",
        views.coverage_create_view,
        name="coverage-create",
    ),
    path("patients/coverages/<int:pk>/edit/", views.coverage_update_view, name="coverage-update"),
    path("patients/coverages/<int:pk>/move/", views.coverage_move_view, name="coverage-move"),
    path(
        "patients/coverages/<int:pk>/cards/",
        views.coverage_card_upload_view,
        name="coverage-card-upload",
    ),
    path("patients/cards/<int:pk>/", views.coverage_card_view, name="coverage-card"),
    path(
        "patients/coverages/<int:pk>/eligibility/",
        views.coverage_eligibility_check,
        name="coverage-eligibility-check",
    ),
    path("patients/eligibility/<int:pk>/", views.eligibility_detail, name="eligibility-detail"),
    path(
        "patients/eligibility/<int:pk>/<str:which>/",
        views.eligibility_file,
        name="eligibility-file",
    ),
]

api_urlpatterns = api.api_urlpatterns

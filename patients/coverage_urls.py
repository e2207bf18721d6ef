"""Coverage pages under /patients/: add, edit, reorder, and the insurance card."""

from django.urls import path

from patients import coverage_views

urlpatterns = [
    path(
        "<int:patient_id>/coverages/new/",
        coverage_views.coverage_create_view,
        name="coverage-create",
    ),
    path("coverages/<int:pk>/edit/", coverage_views.coverage_update_view, name="coverage-update"),
    path("coverages/<int:pk>/move/", coverage_views.coverage_move_view, name="coverage-move"),
    path(
        "coverages/<int:pk>/cards/",
        coverage_views.coverage_card_upload_view,
        name="coverage-card-upload",
    ),
    path("cards/<int:pk>/", coverage_views.coverage_card_view, name="coverage-card"),
]

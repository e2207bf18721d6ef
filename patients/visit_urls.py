"""Front-desk pages for visits and eligibility, under /patients/."""

from django.urls import path

from patients import visit_views

urlpatterns = [
    path("<int:patient_id>/visits/new/", visit_views.visit_new, name="visit-new"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit-edit"),
    path("visits/<int:pk>/ready/", visit_views.visit_ready, name="visit-ready"),
    path(
        "coverages/<int:pk>/eligibility/",
        visit_views.coverage_eligibility_check,
        name="coverage-eligibility-check",
    ),
    path("eligibility/<int:pk>/", visit_views.eligibility_detail, name="eligibility-detail"),
    path(
        "eligibility/<int:pk>/<str:which>/",
        visit_views.eligibility_file,
        name="eligibility-file",
    ),
    path("worklist/", visit_views.worklist, name="eligibility-worklist"),
]

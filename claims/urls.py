"""Claims' URLs: the biller's pages (full paths) and the claims API (`api_urlpatterns`)."""

from django.urls import path

from claims import api, correction_views, paper_views, views

urlpatterns = [
    path("billing/", views.home, name="home-biller"),
    path("claims/queue/<slug:queue>/", views.claim_queue, name="claim-queue"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/submit/", views.claim_submit_view, name="claim-submit"),
    path(
        "claims/<int:pk>/edits/<int:edit_id>/override/",
        views.claim_edit_override_view,
        name="claim-edit-override",
    ),
    path("claims/submit-ready/", views.claims_submit_ready_view, name="claims-submit-ready"),
    path("claims/codeset-impact/", views.codeset_impact_view, name="codeset-impact"),
]

# Paper claims (CMS-1500): a claim's form, the "To print" list, printing a queue at once.
urlpatterns += [
    path("claims/<int:pk>/cms1500.pdf", paper_views.claim_cms1500, name="claim-cms1500"),
    path("claims/to-print/", paper_views.claims_to_print_view, name="claims-to-print"),
    path("claims/print/", paper_views.claims_print_view, name="claims-print"),
]

api_urlpatterns = [
    path("claims/", api.ClaimListApi.as_view(), name="api-claim-list"),
    path("claims/<int:pk>/", api.ClaimDetailApi.as_view(), name="api-claim-detail"),
]

# Editing and correcting a claim (claims/correction_views.py).
urlpatterns += [
    path("claims/<int:pk>/edit/", correction_views.claim_edit_view, name="claim-edit"),
    path("claims/<int:pk>/correct/", correction_views.claim_correct_view, name="claim-correct"),
    path("claims/<int:pk>/void/", correction_views.claim_void_view, name="claim-void"),
    path("claims/<int:pk>/split/", correction_views.claim_split_view, name="claim-split"),
]

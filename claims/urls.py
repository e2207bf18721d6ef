"""Claims' URLs: the biller's pages (full paths) and the claims API (`api_urlpatterns`)."""

from django.urls import path

from claims import api, billing_views, views

urlpatterns = [
    path("billing/", views.home, name="home-biller"),
    path("claims/queue/<slug:queue>/", views.claim_queue, name="claim-queue"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/submit/", views.claim_submit_view, name="claim-submit"),
    path("claims/submit-ready/", views.claims_submit_ready_view, name="claims-submit-ready"),
    path("claims/codeset-impact/", views.codeset_impact_view, name="codeset-impact"),
]

urlpatterns += [
    path("claims/unbilled/", billing_views.unbilled, name="claims-unbilled"),
    path(
        "claims/unbilled/<int:encounter_id>/bill/",
        billing_views.unbilled_bill_again,
        name="claims-unbilled-bill",
    ),
    path(
        "claims/unbilled/bill-all/",
        billing_views.unbilled_bill_all,
        name="claims-unbilled-bill-all",
    ),
]

api_urlpatterns = [
    path("claims/", api.ClaimListApi.as_view(), name="api-claim-list"),
    path("claims/<int:pk>/", api.ClaimDetailApi.as_view(), name="api-claim-detail"),
]

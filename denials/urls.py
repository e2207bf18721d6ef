"""Administrator home, the quarantine of refused files, billing the next payer, rebilling
denied lines (a page and an API endpoint, `api_urlpatterns`)."""

from django.urls import path

from denials import api, correction_views, views

urlpatterns = [
    path("administration/", views.home, name="home-administrator"),
    path("remittances/quarantine/", views.quarantine_list, name="quarantine"),
    path(
        "remittances/quarantine/<int:pk>/dismiss/",
        views.quarantine_dismiss,
        name="quarantine-dismiss",
    ),
    path(
        "remittances/claims/<int:pk>/next-payer/",
        views.claim_bill_next_payer_view,
        name="claim-next-payer",
    ),
]

# Rebilling the lines a payer denied (denials/correction_views.py).
urlpatterns += [
    path(
        "remittances/claims/<int:pk>/rebill-denied/",
        correction_views.claim_rebill_denied_view,
        name="claim-rebill-denied",
    ),
]

api_urlpatterns = [
    path(
        "claims/<int:pk>/rebill-denied/",
        api.ClaimRebillDeniedApi.as_view(),
        name="api-claim-rebill-denied",
    ),
]

"""Administrator home, the quarantine of refused files, billing the next payer, rebilling
denied lines (a page and an API endpoint, `api_urlpatterns`)."""

from django.urls import path

from denials import api, correction_views, denial_views, remittance_views, views

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

# The biller's remittance pages and the posting exceptions queue (denials/remittance_views.py).
urlpatterns += [
    path("remittances/", remittance_views.remittance_list, name="remittance-list"),
    path("remittances/<int:pk>/", remittance_views.remittance_detail, name="remittance-detail"),
    path("remittances/<int:pk>/file/", remittance_views.remittance_file, name="remittance-file"),
    path("remittances/exceptions/", remittance_views.exception_list, name="posting-exceptions"),
    path(
        "remittances/exceptions/<int:pk>/",
        remittance_views.exception_detail,
        name="posting-exception",
    ),
    path(
        "remittances/exceptions/<int:pk>/match/",
        remittance_views.exception_match,
        name="posting-exception-match",
    ),
    path(
        "remittances/exceptions/<int:pk>/resolve/",
        remittance_views.exception_resolve,
        name="posting-exception-resolve",
    ),
]

# The denial work queue (denials/denial_views.py).
urlpatterns += [
    path("denials/", denial_views.denial_queue_view, name="denial-queue"),
    path("denials/assign/", denial_views.denials_assign_view, name="denials-assign"),
    path("denials/<int:pk>/assign/", denial_views.denial_assign_view, name="denial-assign"),
    path("denials/<int:pk>/resolve/", denial_views.denial_resolve_view, name="denial-resolve"),
    path(
        "denials/<int:pk>/write-off/", denial_views.denial_write_off_view, name="denial-write-off"
    ),
    path("denials/write-offs/", denial_views.write_offs_view, name="denial-write-offs"),
    path(
        "denials/write-offs/<int:pk>/decide/",
        denial_views.write_off_decide_view,
        name="denial-write-off-decide",
    ),
]

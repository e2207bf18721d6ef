"""Claims' URLs: the biller's pages (full paths) and the claims API (`api_urlpatterns`)."""

from django.urls import path

from claims import (
    api,
    attachment_api,
    attachment_views,
    billing_views,
    correction_api,
    correction_views,
    import_views,
    paper_views,
    views,
    work_views,
    worklist_views,
)

urlpatterns = [
    path("billing/", views.home, name="home-biller"),
    path("claims/queue/<slug:queue>/", views.claim_queue, name="claim-queue"),
    path("claims/queue/<slug:queue>/bulk/", views.claim_queue_bulk, name="claim-queue-bulk"),
    path("claims/queue/<slug:queue>/next/", views.claim_next_view, name="claim-next"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/submit/", views.claim_submit_view, name="claim-submit"),
    path(
        "claims/<int:pk>/edits/<int:edit_id>/override/",
        views.claim_edit_override_view,
        name="claim-edit-override",
    ),
    path("claims/<int:pk>/scrub/", views.claim_scrub_view, name="claim-scrub"),
    path("claims/<int:pk>/note/", work_views.claim_note_view, name="claim-note"),
    path("claims/<int:pk>/assign/", work_views.claim_assign_view, name="claim-assign"),
    path("claims/<int:pk>/follow-up/", work_views.claim_follow_up_view, name="claim-follow-up"),
    path("claims/<int:pk>/hold/", work_views.claim_hold_view, name="claim-hold"),
    path("claims/<int:pk>/release/", work_views.claim_release_view, name="claim-release"),
    path(
        "claims/<int:pk>/status-check/",
        work_views.claim_status_check_view,
        name="claim-status-check",
    ),
    path("claims/submit-ready/", views.claims_submit_ready_view, name="claims-submit-ready"),
    path("claims/codeset-impact/", views.codeset_impact_view, name="codeset-impact"),
    path("claims/worklists/", worklist_views.worklists, name="claim-worklists"),
    path("claims/worklists/<int:pk>/", worklist_views.worklist_open, name="claim-worklist"),
    path(
        "claims/worklists/<int:pk>/edit/", worklist_views.worklist_edit, name="claim-worklist-edit"
    ),
    path(
        "claims/worklists/<int:pk>/delete/",
        worklist_views.worklist_delete_view,
        name="claim-worklist-delete",
    ),
]

# Paper claims (CMS-1500): a claim's form, the "To print" list, printing a queue at once.
urlpatterns += [
    path("claims/<int:pk>/cms1500.pdf", paper_views.claim_cms1500, name="claim-cms1500"),
    path("claims/to-print/", paper_views.claims_to_print_view, name="claims-to-print"),
    path("claims/print/", paper_views.claims_print_view, name="claims-print"),
]

urlpatterns += [
    path("claims/import/", import_views.import_837_view, name="claims-import-837"),
    path(
        "claims/import/<int:pk>/",
        import_views.import_837_detail_view,
        name="claims-import-837-detail",
    ),
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
    path("claims/<int:pk>/assign/", api.ClaimAssignApi.as_view(), name="api-claim-assign"),
    path("claims/<int:pk>/follow-up/", api.ClaimFollowUpApi.as_view(), name="api-claim-follow-up"),
    path("claims/<int:pk>/hold/", api.ClaimHoldApi.as_view(), name="api-claim-hold"),
    path("claims/<int:pk>/void/", api.ClaimVoidApi.as_view(), name="api-claim-void"),
    path("claims/<int:pk>/scrub/", api.ClaimScrubApi.as_view(), name="api-claim-scrub"),
    path("claims/<int:pk>/release/", api.ClaimReleaseApi.as_view(), name="api-claim-release"),
    path("claims/<int:pk>/notes/", api.ClaimNoteApi.as_view(), name="api-claim-note"),
    path("claims/<int:pk>/submit/", api.ClaimSubmitApi.as_view(), name="api-claim-submit"),
    path(
        "claims/<int:pk>/status-check/",
        api.ClaimStatusCheckApi.as_view(),
        name="api-claim-status-check",
    ),
    # Editing and correcting a claim (claims/correction_api.py); rebilling denied lines is
    # denials' (denials/api.py).
    path("claims/<int:pk>/edit/", correction_api.ClaimEditApi.as_view(), name="api-claim-edit"),
    path(
        "claims/<int:pk>/correct/",
        correction_api.ClaimCorrectApi.as_view(),
        name="api-claim-correct",
    ),
    path("claims/<int:pk>/split/", correction_api.ClaimSplitApi.as_view(), name="api-claim-split"),
    path(
        "claims/<int:pk>/edits/<int:edit_id>/override/",
        correction_api.ClaimEditOverrideApi.as_view(),
        name="api-claim-edit-override",
    ),
]

# A claim's attachments (PWK): claims/attachment_views.py and claims/attachment_api.py.
urlpatterns += [
    path(
        "claims/<int:pk>/attachments/",
        attachment_views.claim_attachment_add_view,
        name="claim-attachment-add",
    ),
    path(
        "claims/<int:pk>/attachments/<int:attachment_id>/remove/",
        attachment_views.claim_attachment_remove_view,
        name="claim-attachment-remove",
    ),
]
api_urlpatterns += [
    path(
        "claims/<int:pk>/attachments/",
        attachment_api.ClaimAttachmentListApi.as_view(),
        name="api-claim-attachments",
    ),
    path(
        "claims/<int:pk>/attachments/<int:attachment_id>/",
        attachment_api.ClaimAttachmentApi.as_view(),
        name="api-claim-attachment",
    ),
]

# Editing and correcting a claim (claims/correction_views.py).
urlpatterns += [
    path("claims/<int:pk>/edit/", correction_views.claim_edit_view, name="claim-edit"),
    path("claims/<int:pk>/correct/", correction_views.claim_correct_view, name="claim-correct"),
    path("claims/<int:pk>/void/", correction_views.claim_void_view, name="claim-void"),
    path("claims/<int:pk>/split/", correction_views.claim_split_view, name="claim-split"),
]

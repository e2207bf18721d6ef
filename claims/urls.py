from django.urls import path

from claims import views

urlpatterns = [
    path("queue/<slug:queue>/", views.claim_queue, name="claim-queue"),
    path("<int:pk>/", views.claim_detail, name="claim-detail"),
    path("<int:pk>/submit/", views.claim_submit_view, name="claim-submit"),
    path("submit-ready/", views.claims_submit_ready_view, name="claims-submit-ready"),
    path("codeset-impact/", views.codeset_impact_view, name="codeset-impact"),
]

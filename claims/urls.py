"""Biller pages: the home page, the claim queues, a claim, submitting, the code-set impact list."""

from django.urls import path

from claims import views

urlpatterns = [
    path("billing/", views.home, name="home-biller"),
    path("claims/queue/<slug:queue>/", views.claim_queue, name="claim-queue"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/submit/", views.claim_submit_view, name="claim-submit"),
    path("claims/submit-ready/", views.claims_submit_ready_view, name="claims-submit-ready"),
    path("claims/codeset-impact/", views.codeset_impact_view, name="codeset-impact"),
]

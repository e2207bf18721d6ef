from django.urls import path

from denials import views

urlpatterns = [
    path("quarantine/", views.quarantine_list, name="quarantine"),
    path("quarantine/<int:pk>/dismiss/", views.quarantine_dismiss, name="quarantine-dismiss"),
    path("claims/<int:pk>/next-payer/", views.claim_bill_next_payer_view, name="claim-next-payer"),
]

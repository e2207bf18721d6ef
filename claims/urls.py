from django.urls import path

from claims import views

urlpatterns = [
    path("queue/<slug:queue>/", views.claim_queue, name="claim-queue"),
    path("<int:pk>/", views.claim_detail, name="claim-detail"),
]

from django.urls import path

from denials import views

urlpatterns = [
    path("quarantine/", views.quarantine_list, name="quarantine"),
    path("quarantine/<int:pk>/dismiss/", views.quarantine_dismiss, name="quarantine-dismiss"),
]

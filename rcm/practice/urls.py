"""Practice administration pages."""

from django.urls import path

from rcm.practice import views

urlpatterns = [
    path("administration/audit/", views.audit_log, name="audit-log"),
]

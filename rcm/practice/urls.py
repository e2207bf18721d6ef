"""Practice administration pages: the audit log and practice setup."""

from django.urls import path

from rcm.practice import views
from rcm.practice.setup.urls import urlpatterns as setup_urlpatterns

urlpatterns = [
    path("administration/audit/", views.audit_log, name="audit-log"),
    *setup_urlpatterns,
]

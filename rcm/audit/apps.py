from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rcm.audit"
    label = "audit"
    verbose_name = "Audit trail"

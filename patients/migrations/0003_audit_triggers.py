"""Audit every insert, update and delete on this app's tables that hold patient data."""

from django.db import migrations

from rcm.audit.db import AttachAuditTrigger


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_initial"), ("audit", "0003_audit_trigger_and_append_only")]

    operations = [
        AttachAuditTrigger("patients_patient"),
        AttachAuditTrigger("patients_coverage"),
        AttachAuditTrigger("patients_eligibilitycheck"),
        AttachAuditTrigger("patients_encounter"),
    ]

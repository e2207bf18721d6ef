"""Audit every insert, update and delete on this app's tables that hold patient data."""

from django.db import migrations

from rcm.audit.db import AttachAuditTrigger


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_initial"), ("audit", "0003_audit_trigger_and_append_only")]

    operations = [
        AttachAuditTrigger("claims_claim"),
        AttachAuditTrigger("claims_claimdiagnosis"),
        AttachAuditTrigger("claims_claimline"),
    ]

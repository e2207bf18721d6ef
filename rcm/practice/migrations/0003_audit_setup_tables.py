"""Audit who changed a practice's setup in the app: memberships (roles), providers, fee schedules.

Not the clearinghouse connection: a secret typed into its config by the operator would be copied
into the append-only trail. Not fee schedule entries: each import rewrites hundreds of them.
"""

from django.db import migrations

from rcm.audit.db import AttachAuditTrigger


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0002_clearinghouse_connection"),
        ("audit", "0003_audit_trigger_and_append_only"),
    ]

    operations = [
        AttachAuditTrigger("practice_membership"),
        AttachAuditTrigger("practice_provider"),
        AttachAuditTrigger("practice_feeschedule"),
    ]

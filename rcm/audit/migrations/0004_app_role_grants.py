"""Grant the app role (settings.RCM_APP_DB_ROLE) its rights, and no more, on every table.

Read and append only on the audit trail; no TRUNCATE anywhere; the owner's default privileges
cover the tables later migrations create. A no-op where the role does not exist (one role).
"""

from django.conf import settings
from django.db import migrations

from rcm.audit.roles import grants_sql


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_trigger_and_append_only")]

    operations = [
        migrations.RunSQL(grants_sql(settings.RCM_APP_DB_ROLE), reverse_sql=migrations.RunSQL.noop),
    ]

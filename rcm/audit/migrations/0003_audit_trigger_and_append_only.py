"""Install the audit capture function and make the audit table refuse UPDATE and DELETE."""

from django.db import migrations

from rcm.audit.db import APPEND_ONLY, APPEND_ONLY_REVERSE, CAPTURE_FUNCTION


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [
        migrations.RunSQL(CAPTURE_FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS audit_capture();"),
        migrations.RunSQL(APPEND_ONLY, reverse_sql=APPEND_ONLY_REVERSE),
    ]

"""API tokens stored as the SHA-256 of their key, replacing DRF's clear-text authtoken table.

Existing tokens are converted: each clear key is hashed into the new table (so a signed-in API
client keeps working until its token expires), then the clear-text table is dropped and DRF's
authtoken app forgotten.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Hash what DRF kept in clear (keys are ASCII hex), then drop its table. A no-op on a database
# that never had the authtoken app.
CONVERT_CLEAR_TOKENS = r"""
DO $$
BEGIN
    IF to_regclass('authtoken_token') IS NOT NULL THEN
        INSERT INTO web_apitoken (digest, user_id, created)
        SELECT encode(sha256(convert_to(key, 'UTF8')), 'hex'), user_id, created
          FROM authtoken_token;
        DROP TABLE authtoken_token;
    END IF;
    DELETE FROM django_migrations WHERE app = 'authtoken';
END
$$;
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "digest",
                    models.CharField(
                        help_text="SHA-256 of the key, hex.", max_length=64, unique=True
                    ),
                ),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "API token"},
        ),
        migrations.RunSQL(CONVERT_CLEAR_TOKENS, reverse_sql=migrations.RunSQL.noop),
    ]

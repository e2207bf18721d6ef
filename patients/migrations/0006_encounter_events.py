"""The visit's timeline: one EncounterEvent per status change, audited like the visit itself."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from rcm.audit.db import AttachAuditTrigger


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0005_patient_search"),
        ("audit", "0003_audit_trigger_and_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EncounterEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "from_status",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled"),
                            ("awaiting_coding", "Waiting for coding"),
                            ("coding", "Coding in progress"),
                            ("coded", "Coded"),
                            ("billed", "Billed"),
                            ("cancelled", "Cancelled"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled"),
                            ("awaiting_coding", "Waiting for coding"),
                            ("coding", "Coding in progress"),
                            ("coded", "Coded"),
                            ("billed", "Billed"),
                            ("cancelled", "Cancelled"),
                        ],
                        max_length=20,
                    ),
                ),
                ("source", models.CharField(default="user", max_length=20)),
                ("note", models.TextField(blank=True)),
                (
                    "encounter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="patients.encounter",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["encounter", "at", "id"],
            },
        ),
        AttachAuditTrigger("patients_encounterevent"),
    ]

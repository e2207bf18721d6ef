# The biller's work on a claim (assignee, follow-up, hold, notes on the timeline) and saved
# worklists. Each index names the query it serves in claims/models.py.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_claim_scrub_edits"),
        ("patients", "0009_clinical_note_limit"),
        ("practice", "0004_x12_safe_names_and_addresses"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedWorklist",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80)),
                (
                    "criteria",
                    models.JSONField(
                        default=dict,
                        help_text="The queue filters (claims.selectors.ClaimCriteria), as strings.",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["practice", "name"],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="follow_up_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="hold_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="claim",
            name="on_hold",
            field=models.BooleanField(
                default=False, help_text="A biller's hold: never batched until released."
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="worked_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When a biller last noted, assigned, held or followed up.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="claimevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("status", "Status change"),
                    ("note", "Note"),
                    ("assignment", "Assignment"),
                    ("follow_up", "Follow-up date"),
                    ("hold", "Put on hold"),
                    ("release", "Released from hold"),
                    ("status_check", "Status check requested"),
                ],
                default="status",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="to_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "Draft"),
                    ("ready", "Ready to submit"),
                    ("queued", "Queued for the next batch"),
                    ("submitted", "Submitted"),
                    ("accepted", "Accepted by the payer"),
                    ("rejected", "Rejected"),
                    ("pending", "In adjudication"),
                    ("paid", "Paid"),
                    ("partially_paid", "Partially paid"),
                    ("denied", "Denied"),
                    ("appealed", "Appealed"),
                    ("reversed", "Payment reversed"),
                    ("void", "Voided"),
                    ("closed", "Closed"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("follow_up_on__isnull", False)),
                fields=["practice", "assignee", "follow_up_on"],
                name="claim_follow_up_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("on_hold", True)),
                fields=["practice", "status_changed_at"],
                name="claim_on_hold_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("assignee__isnull", True), ("on_hold", False)),
                fields=["practice", "status", "status_changed_at"],
                name="claim_unassigned_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["practice", "status", "total_charge"], name="claim_amount_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["practice", "status", "service_date_from"], name="claim_service_date_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("on_hold", False),
                    models.Q(("hold_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="claim_hold_has_reason",
            ),
        ),
        migrations.AddField(
            model_name="savedworklist",
            name="created_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="savedworklist",
            name="practice",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="worklists",
                to="practice.practice",
            ),
        ),
        migrations.AddConstraint(
            model_name="savedworklist",
            constraint=models.UniqueConstraint(
                fields=("practice", "name"), name="worklist_unique_name"
            ),
        ),
    ]

"""Billing coded visits: open billing issues, self-pay charges, one original claim per coverage."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from rcm.audit.db import AttachAuditTrigger


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_claim_work_fields"),
        ("patients", "0010_encounter_self_pay"),
        ("practice", "0004_x12_safe_names_and_addresses"),
        ("audit", "0003_audit_trigger_and_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EncounterBillingIssue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("no_coverage", "No insurance in force on the date of service"),
                            ("rendering_npi", "Rendering provider NPI missing or invalid"),
                            ("billing_npi", "Billing provider (practice) NPI missing or invalid"),
                            ("no_codes", "No diagnosis or no service line"),
                            ("no_charge", "A service line has no charge"),
                            ("other", "Could not be billed"),
                        ],
                        max_length=20,
                    ),
                ),
                ("message", models.TextField(help_text="The reason in words, for the biller.")),
                (
                    "fix",
                    models.CharField(
                        choices=[
                            ("coverage", "Add or correct the patient's coverage"),
                            ("providers", "Correct the provider in practice setup"),
                            ("coding", "Correct the coding"),
                        ],
                        max_length=20,
                    ),
                ),
                ("attempts", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_attempt_at", models.DateTimeField(auto_now_add=True)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="SelfPayCharge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("service_date", models.DateField()),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12)),
                (
                    "lines",
                    models.JSONField(
                        default=list,
                        help_text='The charges: [{"procedure", "modifiers", "units", "charge"}].',
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("frequency_code", "1"),
                    ("original_claim__isnull", True),
                    models.Q(("status", "void"), _negated=True),
                ),
                fields=("encounter", "coverage"),
                name="claim_one_original_per_coverage",
            ),
        ),
        migrations.AddField(
            model_name="encounterbillingissue",
            name="encounter",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="billing_issues",
                to="patients.encounter",
            ),
        ),
        migrations.AddField(
            model_name="encounterbillingissue",
            name="practice",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="practice.practice",
            ),
        ),
        migrations.AddField(
            model_name="selfpaycharge",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="selfpaycharge",
            name="encounter",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="self_pay_charge",
                to="patients.encounter",
            ),
        ),
        migrations.AddField(
            model_name="selfpaycharge",
            name="patient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="self_pay_charges",
                to="patients.patient",
            ),
        ),
        migrations.AddField(
            model_name="selfpaycharge",
            name="practice",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="practice.practice",
            ),
        ),
        migrations.AddIndex(
            model_name="encounterbillingissue",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=["practice", "created_at"],
                name="billing_issue_open_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="encounterbillingissue",
            constraint=models.UniqueConstraint(
                condition=models.Q(("resolved_at__isnull", True)),
                fields=("encounter",),
                name="billing_issue_one_open_per_visit",
            ),
        ),
        migrations.AddIndex(
            model_name="selfpaycharge",
            index=models.Index(fields=["practice", "created_at"], name="self_pay_practice_idx"),
        ),
        migrations.AddConstraint(
            model_name="selfpaycharge",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gte", 0)), name="self_pay_amount_gte_0"
            ),
        ),
        AttachAuditTrigger("claims_encounterbillingissue"),
        AttachAuditTrigger("claims_selfpaycharge"),
    ]

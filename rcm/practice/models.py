"""Tenancy and setup: users, practices, memberships with roles, providers, payers, fee schedules."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models

from rcm.practice.validators import (
    validate_npi,
    validate_state,
    validate_taxonomy,
    validate_tin,
    validate_x12_address,
    validate_x12_name,
    validate_x12_text,
    validate_zip,
)


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships, not from here."""

    class Meta:
        db_table = "practice_user"


class Role(models.TextChoices):
    FRONT_DESK = "front_desk", "Front desk"
    CODER = "coder", "Coder"
    BILLER = "biller", "Biller"
    ADMINISTRATOR = "administrator", "Administrator"


class Practice(models.Model):
    """A billing entity: the 2010AA billing provider on every claim it sends."""

    name = models.CharField(max_length=120, validators=[validate_x12_name])
    npi = models.CharField("NPI", max_length=10, unique=True, validators=[validate_npi])
    tin = models.CharField("TIN", max_length=9, validators=[validate_tin])
    taxonomy = models.CharField(max_length=10, validators=[validate_taxonomy])
    address1 = models.CharField("address", max_length=55, validators=[validate_x12_address])
    address2 = models.CharField(
        "address line 2", max_length=55, blank=True, validators=[validate_x12_address]
    )
    city = models.CharField(max_length=30, validators=[validate_x12_address])
    state = models.CharField(max_length=2, validators=[validate_state])
    zip_code = models.CharField("ZIP", max_length=9, validators=[validate_zip])
    phone = models.CharField(max_length=10, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    write_off_limit = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("100.00"),
        help_text="A biller writes off a denial up to this; above it an administrator approves.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one practice. A user may hold several roles in several practices."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.practice}"


class Provider(models.Model):
    """A rendering provider (2310B) who works for a practice."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="providers")
    first_name = models.CharField(max_length=35, validators=[validate_x12_name])
    last_name = models.CharField(max_length=60, validators=[validate_x12_name])
    credential = models.CharField(
        max_length=10, blank=True, validators=[validate_x12_name], help_text="MD, DO, NP, PA …"
    )
    npi = models.CharField("NPI", max_length=10, validators=[validate_npi])
    taxonomy = models.CharField(max_length=10, validators=[validate_taxonomy])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "npi"], name="provider_unique_npi")
        ]

    def __str__(self) -> str:
        suffix = f", {self.credential}" if self.credential else ""
        return f"{self.first_name} {self.last_name}{suffix}"


class ClaimFilingIndicator(models.TextChoices):
    """SBR09 / CLP06: the kind of plan a claim is filed with."""

    COMMERCIAL = "CI", "Commercial insurance"
    BLUE_CROSS = "BL", "Blue Cross / Blue Shield"
    HMO = "HM", "Health maintenance organization"
    PPO = "12", "Preferred provider organization"
    POS = "13", "Point of service"
    MEDICARE_B = "MB", "Medicare Part B"
    MEDICAID = "MC", "Medicaid"
    TRICARE = "CH", "TRICARE (CHAMPUS)"
    VA = "VA", "Veterans Affairs plan"
    WORKERS_COMP = "WC", "Workers' compensation"
    SELF_PAY = "09", "Self-pay"


class SubmissionMethod(models.TextChoices):
    """How a payer takes claims: an 837P through the clearinghouse, or the CMS-1500 by mail."""

    ELECTRONIC = "electronic", "Electronic (837P)"
    PAPER = "paper", "Paper (CMS-1500)"


class Payer(models.Model):
    """An insurer as the clearinghouse knows it. Shared by every practice: it holds no PHI."""

    name = models.CharField(max_length=60, validators=[validate_x12_name])
    payer_id = models.CharField(
        "payer ID",
        max_length=80,
        unique=True,
        validators=[validate_x12_text],
        help_text="The clearinghouse's payer ID (NM109).",
    )
    claim_filing_indicator = models.CharField(max_length=2, choices=ClaimFilingIndicator.choices)
    timely_filing_days = models.PositiveIntegerField(
        default=365, help_text="Days after the date of service within which a claim must arrive."
    )
    appeal_days = models.PositiveIntegerField(
        default=60, help_text="Days after a denial's remittance within which an appeal must arrive."
    )
    turnaround_days = models.PositiveIntegerField(
        default=14, help_text="Usual days from acceptance to remittance; status checks start after."
    )
    prior_auth_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="Procedure codes this payer requires a prior authorization for.",
    )
    submission_method = models.CharField(
        max_length=10,
        choices=SubmissionMethod.choices,
        default=SubmissionMethod.ELECTRONIC,
        help_text="Paper: claims are printed on the CMS-1500 and mailed, never put in an 837P.",
    )
    # Where paper claims are mailed: the carrier block at the top of the CMS-1500.
    address1 = models.CharField(
        "claims address", max_length=55, blank=True, validators=[validate_x12_address]
    )
    address2 = models.CharField(
        "claims address line 2", max_length=55, blank=True, validators=[validate_x12_address]
    )
    city = models.CharField(max_length=30, blank=True, validators=[validate_x12_address])
    state = models.CharField(max_length=2, blank=True, validators=[validate_state])
    zip_code = models.CharField("ZIP", max_length=9, blank=True, validators=[validate_zip])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FeeSchedule(models.Model):
    """A practice's charges by procedure code; payer-specific when `payer` is set."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="fee_schedules")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=80)
    effective_from = models.DateField()

    class Meta:
        ordering = ["practice", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "payer", "effective_from"],
                name="fee_schedule_unique_start",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.name} from {self.effective_from}"


class FeeScheduleEntry(models.Model):
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(max_length=5, help_text="CPT or HCPCS code.")
    charge = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "fee schedule entries"
        constraints = [
            models.UniqueConstraint(fields=["schedule", "code"], name="fee_entry_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.charge}"


class ClearinghouseConnection(models.Model):
    """How a practice's claims reach a payer: which transport, configured how.

    A row with no payer is the practice's default; with a payer it overrides the default for
    that payer. With no row at all a practice uses the embedded sandbox payer. Secrets are not
    stored here: a config value "env:NAME" is read from the environment variable NAME.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="connections")
    payer = models.ForeignKey(Payer, null=True, blank=True, on_delete=models.CASCADE)
    transport = models.CharField(max_length=30, default="sandbox", help_text="sandbox or sftp")
    config = models.JSONField(default=dict, blank=True)
    submitter_id = models.CharField(
        max_length=15,
        blank=True,
        validators=[validate_x12_text],
        help_text="Our id at the clearinghouse (ISA06, NM1*41).",
    )
    receiver_id = models.CharField(
        max_length=15,
        blank=True,
        validators=[validate_x12_text],
        help_text="The clearinghouse's id (ISA08, NM1*40).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "payer"], name="connection_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice} → {self.payer or 'all payers'} via {self.transport}"


class PayerRuleAction(models.TextChoices):
    """What a payer rule asks of a claim whose codes (and place of service) match."""

    MODIFIER = "modifier", "Require a modifier"
    PRIOR_AUTH = "prior_auth", "Require a prior authorization"
    ATTACHMENT = "attachment", "Require an attachment (PWK)"
    HOLD = "hold", "Hold the claim with a message"


class PayerRuleSeverity(models.TextChoices):
    ERROR = "error", "Error (holds the claim)"
    WARNING = "warning", "Warning (a biller may override it)"


class PayerRule(models.Model):
    """A claim rule an administrator adds for one payer, evaluated by the scrubber.

    When a claim to `payer` bills a code in `codes` (codes and ranges, '97110, 97010-97799'),
    at `place_of_service` when set, the scrubber reports `action` with `severity`.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="payer_rules")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    codes = models.CharField(max_length=400, help_text="Procedure codes or ranges.")
    place_of_service = models.CharField(max_length=2, blank=True)
    action = models.CharField(max_length=12, choices=PayerRuleAction.choices)
    modifier = models.CharField(max_length=2, blank=True)
    message = models.CharField(max_length=200, blank=True)
    severity = models.CharField(
        max_length=7, choices=PayerRuleSeverity.choices, default=PayerRuleSeverity.ERROR
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "payer__name", "id"]
        indexes = [
            # Serves the scrubber: a practice's active rules for one payer.
            models.Index(fields=["practice", "payer", "is_active"], name="payer_rule_lookup_idx")
        ]

    def __str__(self) -> str:
        return f"{self.payer}: {self.get_action_display()} for {self.codes}"

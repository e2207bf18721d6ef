"""Denials: one record per denied claim or denied line of a posted 835, and write-off requests.

Imported by `denials.models` so Django finds them; kept apart from the remittance rows.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from claims.models import Claim, ClaimLine
from rcm.practice.models import Practice


class DenialStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"


class DenialOutcome(models.TextChoices):
    NONE = "none", "None yet"
    OVERTURNED = "overturned", "Overturned (the payer paid)"
    UPHELD = "upheld", "Upheld"
    WRITTEN_OFF = "written_off", "Written off"
    CORRECTED_AND_PAID = "corrected_and_paid", "Corrected and paid"


class Denial(models.Model):
    """A claim (CLP02 = 4) or a service line (paid 0, CO/OA/PI and no PR) the payer denied."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="denials")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="denials")
    claim_payment = models.ForeignKey(
        "denials.ClaimPayment", on_delete=models.PROTECT, related_name="denials"
    )
    # Line-level denials only: the line of the remittance and our claim line it denied.
    line_payment = models.ForeignKey(
        "denials.LinePayment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claim_line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="denials"
    )
    # The deciding adjustment: the largest one not of group PR (blank when the payer gave none).
    group = models.CharField(max_length=2, blank=True)
    carc = models.CharField("CARC", max_length=5, blank=True)
    rarcs = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    category = models.CharField(max_length=40, help_text="denials.categories id.")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    denied_on = models.DateField(help_text="The remittance's payment date.")
    due_on = models.DateField(help_text="denied_on + the payer's appeal window.")
    status = models.CharField(
        max_length=12, choices=DenialStatus.choices, default=DenialStatus.OPEN
    )
    outcome = models.CharField(
        max_length=20, choices=DenialOutcome.choices, default=DenialOutcome.NONE
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The claim payment of the later 835 that settled it (outcomes read back from a remittance).
    resolved_by_payment = models.ForeignKey(
        "denials.ClaimPayment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # One unresolved denial per claim and line (claim level: the line is NULL): a later
            # 835 denying it again, or a backfill run twice, adds nothing.
            models.UniqueConstraint(
                fields=["claim", "claim_line"],
                condition=~models.Q(status="resolved"),
                nulls_distinct=False,
                name="denial_one_unresolved_per_claim_line",
            )
        ]
        indexes = [
            # The queue: a practice's unresolved denials by due date.
            models.Index(fields=["practice", "status", "due_on"], name="denial_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.group}-{self.carc} {self.amount}"


class WriteOffStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class DenialWriteOff(models.Model):
    """A write-off of a denial: approved at once under the practice's limit, else it waits for
    an administrator."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    denial = models.ForeignKey(Denial, on_delete=models.PROTECT, related_name="write_offs")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=WriteOffStatus.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["denial"],
                condition=models.Q(status="pending"),
                name="denial_write_off_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"write-off {self.amount} of denial {self.denial_id} ({self.status})"

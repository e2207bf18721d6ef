"""Remittances (835): payments, claim and line payments, adjustments, remark codes, PLB, and
the claim payments posting could not apply (posting exceptions)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from claims.models import Claim, ClaimLine
from rcm.practice.models import Payer, Practice


class AdjustmentGroup(models.TextChoices):
    CONTRACTUAL = "CO", "Contractual obligation"
    CORRECTION = "CR", "Correction and reversal"
    OTHER = "OA", "Other adjustment"
    PAYER_INITIATED = "PI", "Payer initiated reduction"
    PATIENT = "PR", "Patient responsibility"


class Remittance(models.Model):
    """One payment (BPR/TRN): one 835 transaction set, for one payee practice."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="remittances")
    payer = models.ForeignKey(Payer, null=True, blank=True, on_delete=models.PROTECT)
    payer_name = models.CharField(max_length=60)
    trace_number = models.CharField(max_length=50, help_text="TRN02: check or EFT number.")
    payer_identifier = models.CharField(max_length=50, help_text="TRN03: the payer's identifier.")
    payment_method = models.CharField(max_length=3, help_text="BPR04: ACH, CHK, NON …")
    payment_amount = models.DecimalField(max_digits=12, decimal_places=2)
    payment_date = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    file = models.ForeignKey(
        "files.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="remittances",
        help_text="The 835 this payment was posted from.",
    )

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            # The same payment is never posted twice.
            models.UniqueConstraint(
                fields=["payer_identifier", "trace_number"], name="remittance_unique_trace"
            )
        ]

    def __str__(self) -> str:
        return f"{self.payer_name} {self.trace_number} {self.payment_amount}"


class ClaimPayment(models.Model):
    """CLP: the payer's decision on one claim."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    remittance = models.ForeignKey(
        Remittance, on_delete=models.CASCADE, related_name="claim_payments"
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    control_number = models.CharField(max_length=38, help_text="CLP01, our claim control number.")
    status_code = models.CharField(max_length=2, help_text="CLP02: 1, 2, 3, 4, 19, 20, 22 …")
    charge = models.DecimalField(max_digits=12, decimal_places=2)
    paid = models.DecimalField(max_digits=12, decimal_places=2)
    patient_responsibility = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    payer_claim_number = models.CharField(max_length=50, blank=True)
    crossover_carrier = models.CharField(
        max_length=60, blank=True, help_text="NM1*TT: the payer forwarded the claim to this one."
    )
    remarks = ArrayField(models.CharField(max_length=10), default=list, blank=True)

    class Meta:
        ordering = ["remittance", "id"]
        indexes = [
            models.Index(fields=["control_number"], name="claim_payment_control_idx"),
            # The queues' reason filter: claims with a remark code ("N290"), remarks && ARRAY[…].
            GinIndex(fields=["remarks"], name="claim_payment_remarks_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.control_number} status {self.status_code} paid {self.paid}"


class LinePayment(models.Model):  # noqa: DJ008 (shown only inside its claim payment)
    """SVC: the payer's decision on one service line."""

    claim_payment = models.ForeignKey(ClaimPayment, on_delete=models.CASCADE, related_name="lines")
    claim_line = models.ForeignKey(
        ClaimLine, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    control_number = models.CharField(max_length=50, blank=True, help_text="REF*6R.")
    procedure_code = models.CharField(max_length=48)
    modifiers = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    charge = models.DecimalField(max_digits=12, decimal_places=2)
    paid = models.DecimalField(max_digits=12, decimal_places=2)
    units = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    service_date = models.DateField(null=True, blank=True)
    remarks = ArrayField(models.CharField(max_length=10), default=list, blank=True)

    class Meta:
        ordering = ["claim_payment", "id"]
        indexes = [
            # The queues' reason filter: claims with a remark code on a line ("M51").
            GinIndex(fields=["remarks"], name="line_payment_remarks_idx"),
        ]


class Adjustment(models.Model):
    """CAS: one group/reason/amount triplet, on a claim payment or on one of its lines."""

    claim_payment = models.ForeignKey(
        ClaimPayment, on_delete=models.CASCADE, related_name="adjustments"
    )
    line_payment = models.ForeignKey(
        LinePayment, null=True, blank=True, on_delete=models.CASCADE, related_name="adjustments"
    )
    # The claim of `claim_payment`, copied when posted (None while the payment is unmatched):
    # the reason filter goes from a CARC to its claims on one index, without joining 2.6M
    # adjustments to their claim payments. Whoever creates an Adjustment sets it.
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    group = models.CharField(max_length=2, choices=AdjustmentGroup.choices)
    reason = models.CharField(max_length=5, help_text="CARC.")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["claim_payment", "line_payment", "id"]
        indexes = [
            # The queues' reason filter: a bare CARC ("197", reason = …) or a group and a CARC
            # ("CO-16", reason = … AND group = …), so the reason code leads.
            models.Index(
                fields=["reason", "group"], include=["claim"], name="adjustment_carc_group_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group}-{self.reason} {self.amount}"


class ProviderAdjustment(models.Model):  # noqa: DJ008 (shown only inside its remittance)
    """PLB: an adjustment to the whole payment, not to one claim (interest, recoupment …)."""

    remittance = models.ForeignKey(
        Remittance, on_delete=models.CASCADE, related_name="provider_adjustments"
    )
    reason = models.CharField(max_length=2)
    reference = models.CharField(max_length=50, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["remittance", "id"]


class ExceptionReason(models.TextChoices):
    NO_CLAIM = "no_claim", "No claim with that control number"
    UNBALANCED = "unbalanced", "The lines do not add up"
    CLAIM_CANNOT_MOVE = "claim_cannot_move", "The claim cannot take the payment"


class ExceptionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class PostingException(models.Model):
    """A claim payment of a posted 835 that posting could not apply to a claim: its
    ClaimPayment row is kept with claim=None until a biller matches it by hand or resolves it."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    remittance = models.ForeignKey(
        Remittance, on_delete=models.CASCADE, related_name="posting_exceptions"
    )
    claim_payment = models.OneToOneField(
        ClaimPayment, on_delete=models.CASCADE, related_name="posting_exception"
    )
    reason = models.CharField(max_length=20, choices=ExceptionReason.choices)
    message = models.TextField(help_text="Why, in words, naming the control number or amounts.")
    status = models.CharField(
        max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    matched_claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The claim a biller matched it to by hand (None when resolved without posting).",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The exceptions queue: a practice's open ones, oldest first.
            models.Index(fields=["practice", "status", "created_at"], name="posting_exc_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.claim_payment.control_number}: {self.message}"


# The denial work queue's rows (denials/denial_models.py), here so Django finds them.
from denials.denial_models import (  # noqa: E402
    Denial,
    DenialOutcome,
    DenialStatus,
    DenialWriteOff,
    WriteOffStatus,
)

__all__ = ["Denial", "DenialOutcome", "DenialStatus", "DenialWriteOff", "WriteOffStatus"]

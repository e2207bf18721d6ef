"""Claims: a snapshot of exactly what was (or will be) sent to the payer, and its timeline."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from patients.models import Coverage, Encounter, Patient
from rcm.practice.models import Payer, Practice, Provider, SubmissionMethod
from rcm.x12 import pwk


class ClaimStatus(models.TextChoices):
    """Where a claim is; only `claims.state` moves a claim from one to another."""

    DRAFT = "draft", "Draft"
    READY = "ready", "Ready to submit"
    QUEUED = "queued", "Queued for the next batch"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted by the payer"
    REJECTED = "rejected", "Rejected"
    PENDING = "pending", "In adjudication"
    PAID = "paid", "Paid"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    DENIED = "denied", "Denied"
    APPEALED = "appealed", "Appealed"
    REVERSED = "reversed", "Payment reversed"
    VOID = "void", "Voided"
    CLOSED = "closed", "Closed"


S = ClaimStatus

# The biller's queues (which claims need attention, and why) are claims/queues.py's QUEUES.
OPEN_STATUSES = frozenset(ClaimStatus.values) - {S.PAID, S.VOID, S.CLOSED}


class FrequencyCode(models.TextChoices):
    """CLM05-3: the claim frequency type."""

    ORIGINAL = "1", "Original"
    CORRECTED = "7", "Replacement of a prior claim"
    VOID = "8", "Void of a prior claim"


class ClaimQuerySet(models.QuerySet["Claim"]):
    def ready_to_submit(self) -> ClaimQuerySet:
        return self.filter(status=ClaimStatus.READY)

    def open(self) -> ClaimQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def on_paper(self) -> ClaimQuerySet:
        """Claims to payers that take the CMS-1500 by mail (never put in an 837P batch).

        A subquery, not a join: callers lock these rows FOR UPDATE, and a join would lock the
        shared payer rows too."""
        return self.filter(payer_id__in=_paper_payer_ids())

    def electronic(self) -> ClaimQuerySet:
        return self.exclude(payer_id__in=_paper_payer_ids())


def _paper_payer_ids() -> models.QuerySet[Payer, int]:
    return Payer.objects.filter(submission_method=SubmissionMethod.PAPER).values_list(
        "id", flat=True
    )


class Claim(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="claims")
    encounter = models.ForeignKey(Encounter, on_delete=models.PROTECT, related_name="claims")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="claims")
    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="claims")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="claims")
    rendering_provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    control_number = models.CharField(
        max_length=38, unique=True, help_text="Patient control number (CLM01), unique for ever."
    )
    frequency_code = models.CharField(
        max_length=1, choices=FrequencyCode.choices, default=FrequencyCode.ORIGINAL
    )
    original_claim = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacements"
    )
    payer_claim_number = models.CharField(
        max_length=50, blank=True, help_text="The payer's claim number (ICN), from 277CA or 835."
    )
    # A claim to a secondary (or tertiary) payer carries what the payer before it decided:
    # loops 2320/2330 and 2430 of the 837P. A snapshot, like the rest of the claim.
    primary_claim = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="secondary_claims"
    )
    other_payer_paid = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    other_payer_adjudicated_on = models.DateField(null=True, blank=True)
    other_payer_adjustments = models.JSONField(
        default=list, blank=True, help_text='Claim-level CAS: [{"group", "reason", "amount"}].'
    )
    # A secondary claim imported from another system's 837P has no primary claim of ours: the
    # payer before this one is the patient's coverage with it, read from the file's 2320/2330.
    other_coverage = models.ForeignKey(
        Coverage, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The prior payer's coverage when there is no primary_claim (an imported claim).",
    )  # fmt: skip
    place_of_service = models.CharField(max_length=2)
    service_date_from = models.DateField()
    service_date_to = models.DateField()
    prior_authorization = models.CharField(max_length=50, blank=True)
    total_charge = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=80, blank=True, help_text="NTE: a note to the payer.")
    created_at = models.DateTimeField(auto_now_add=True)
    # The biller's work on the claim (claims/work.py writes these, never the state machine).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_on = models.DateField(null=True, blank=True)
    on_hold = models.BooleanField(
        default=False, help_text="A biller's hold: never batched until released."
    )
    hold_reason = models.CharField(max_length=200, blank=True)
    worked_at = models.DateTimeField(
        null=True, blank=True, help_text="When a biller last noted, assigned, held or followed up."
    )
    # A claim imported from another system's 837P (claims/import837.py): the CLM01 it had there
    # (the patient account number the client's system knows it by) and the file it came in.
    source_control_number = models.CharField(
        max_length=38, blank=True, help_text="CLM01 in the imported 837P it came from."
    )
    source_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Serves the biller queues: a practice's claims in a set of statuses, oldest first.
            # With the id: the queues' order is (status_changed_at, id), and an index that ends
            # short of it made the planner prefer claim_changed_idx and filter its way along.
            models.Index(
                fields=["practice", "status", "status_changed_at", "id"], name="claim_queue_idx"
            ),
            # Serves "All claims" oldest first, for any set of practices (an agency's too): read
            # in order, filtered by practice, without sorting every claim (claims.queues).
            models.Index(fields=["status_changed_at", "id"], name="claim_changed_idx"),
            models.Index(fields=["payer_claim_number"], name="claim_payer_number_idx"),
            # Serves "My follow-ups today" and the assignee/follow-up filters of every queue.
            models.Index(
                fields=["practice", "assignee", "follow_up_on"],
                condition=models.Q(follow_up_on__isnull=False),
                name="claim_follow_up_idx",
            ),
            # Serves the On hold queue (claims.selectors QUEUES["on-hold"]), oldest first.
            models.Index(
                fields=["practice", "status_changed_at"],
                condition=models.Q(on_hold=True),
                name="claim_on_hold_idx",
            ),
            # Serves Next claim: the oldest unassigned claim of a queue's statuses.
            models.Index(
                fields=["practice", "status", "status_changed_at", "id"],
                condition=models.Q(assignee__isnull=True, on_hold=False),
                name="claim_unassigned_idx",
            ),
            # Serve Waiting on payer and Needs investigation (claims with the payer, oldest
            # first) and Nearing timely filing (not yet accepted, oldest service first): one
            # ordered range per practice (claims.queues STATUS_SET_INDEXES). The statuses are
            # claims.queues WITH_PAYER and NOT_YET_ACCEPTED. The id, payer and charge ride along:
            # the queues' first rows and the counts of claims answered lately read the index
            # alone (an index-only scan, not one table row per claim).
            models.Index(
                fields=["practice", "status_changed_at"],
                include=["id", "payer", "total_charge"],
                condition=models.Q(status__in=["submitted", "accepted", "pending", "appealed"]),
                name="claim_with_payer_idx",
            ),
            models.Index(
                fields=["practice", "service_date_from"],
                include=["id", "payer", "total_charge"],
                condition=models.Q(
                    status__in=["draft", "ready", "queued", "submitted", "rejected"]
                ),
                name="claim_unaccepted_idx",
            ),
            # Serves the queues sorted by payer: a practice's claims of one payer in id order,
            # one range per payer, ordered by the payers' names (claims.queues QueuePage._arms).
            models.Index(fields=["practice", "payer", "id"], name="claim_payer_order_idx"),
            # Serves the queues sorted by amount (sort=amount).
            models.Index(fields=["practice", "status", "total_charge"], name="claim_amount_idx"),
            # Serves the queues sorted by age (sort=age: oldest date of service first) and the
            # timely-filing alarm (date of service + the payer's window).
            # The payer and the charge ride along, so that counting the claims nearing the
            # filing limit reads the index alone.
            models.Index(
                fields=["practice", "status", "service_date_from"],
                include=["payer", "total_charge"],
                name="claim_service_date_idx",
            ),
            # Serves Needs investigation's count: claims a biller worked lately (claims.queues).
            models.Index(
                fields=["practice", "status", "worked_at"],
                condition=models.Q(worked_at__isnull=False),
                name="claim_worked_idx",
            ),
            # Serves the import's duplicate check: a claim imported before, by its number there.
            models.Index(
                fields=["practice", "source_control_number"],
                condition=~models.Q(source_control_number=""),
                name="claim_source_number_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_charge__gte=0), name="claim_total_charge_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(on_hold=False) | ~models.Q(hold_reason=""),
                name="claim_hold_has_reason",
            ),
            # One visit, one claim per coverage billed, even when two workers bill the visit at
            # once: the last guard behind the encounter's row lock. Only live originals count:
            # a replacement or void (frequency 7/8, `original_claim` set) and a voided claim are
            # legitimately more than one. Per coverage, not per payer, so that a patient with
            # two plans of one payer (their own and a spouse's) can still be billed to both.
            models.UniqueConstraint(
                fields=["encounter", "coverage"],
                condition=models.Q(frequency_code="1", original_claim__isnull=True)
                & ~models.Q(status="void"),
                name="claim_one_original_per_coverage",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.control_number}"


class ClaimDiagnosis(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="diagnoses")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10)

    class Meta:
        ordering = ["claim", "position"]
        verbose_name_plural = "claim diagnoses"
        constraints = [
            models.UniqueConstraint(fields=["claim", "position"], name="claim_dx_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.code}"


def _no_modifiers() -> list[str]:
    return []


class ClaimLine(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    control_number = models.CharField(
        max_length=50, unique=True, help_text="Line item control number (REF*6R)."
    )
    procedure_code = models.CharField(max_length=5)
    modifiers = ArrayField(
        models.CharField(max_length=2), size=4, default=_no_modifiers, blank=True
    )
    units = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("1"))
    diagnosis_pointers = ArrayField(models.PositiveSmallIntegerField(), size=4, default=list)
    charge = models.DecimalField(max_digits=12, decimal_places=2)
    service_date = models.DateField()
    other_payer_paid = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    other_payer_adjustments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["claim", "position"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "position"], name="claim_line_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.control_number} {self.procedure_code}"


class BatchStatus(models.TextChoices):
    BUILT = "built", "Built, not yet sent"
    SENT = "sent", "Sent to the clearinghouse"
    FAILED = "failed", "Sending failed (will retry)"


class SubmissionBatch(models.Model):
    """One 837P interchange sent through one clearinghouse connection."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    payer = models.ForeignKey(Payer, null=True, blank=True, on_delete=models.PROTECT)
    transport = models.CharField(max_length=30)
    interchange_control_number = models.PositiveIntegerField(unique=True)
    group_control_number = models.PositiveIntegerField(unique=True)
    transaction_control_number = models.PositiveIntegerField(unique=True)
    file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="submission_batches"
    )
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.BUILT)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    receipt_reference = models.CharField(max_length=200, blank=True)
    claims = models.ManyToManyField(Claim, through="ClaimSubmission", related_name="batches")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Batch {self.interchange_control_number} ({self.get_status_display()})"


class ClaimSubmission(models.Model):
    """A claim in a batch; a corrected claim is submitted again in a later batch."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="submissions")
    batch = models.ForeignKey(SubmissionBatch, on_delete=models.PROTECT, related_name="entries")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "batch"], name="submission_unique_claim")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} in batch {self.batch_id}"


class ClaimStatusCheck(models.Model):
    """A 276 we asked and the 277 the payer answered, in words for the biller."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="status_checks")
    requested_at = models.DateTimeField(auto_now_add=True)
    request_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(max_length=3, blank=True, help_text="STC01-1, e.g. A1, P1, F1.")
    status_code = models.CharField(max_length=5, blank=True)
    description = models.TextField(blank=True)
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why no answer came (transport error …).")

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.category}:{self.status_code}"


class EventKind(models.TextChoices):
    """What a timeline row records; rows written before kinds existed are status changes."""

    STATUS = "status", "Status change"
    NOTE = "note", "Note"
    ASSIGNMENT = "assignment", "Assignment"
    FOLLOW_UP = "follow_up", "Follow-up date"
    HOLD = "hold", "Put on hold"
    RELEASE = "release", "Released from hold"
    STATUS_CHECK = "status_check", "Status check requested"
    ATTACHMENT = "attachment", "Attachment"


class ClaimEvent(models.Model):
    """The timeline: the creation event, one row per status change by `claim_transition`, and
    the biller's work (notes, assignment, follow-ups, holds: `kind`, with an empty to_status)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.STATUS)
    from_status = models.CharField(max_length=20, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ClaimStatus.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, default="user")
    note = models.TextField(blank=True)
    file = models.ForeignKey(
        "files.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The file (999, 277CA, 835 …) that caused this move, if one did.",
    )

    class Meta:
        ordering = ["claim", "at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status or '—'} → {self.to_status}"


class ClaimEdit(models.Model):
    """One finding of the claim's latest scrub; a warning may carry a biller's override."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="scrub_edits")
    edit = models.CharField(max_length=80, help_text="The edit's stable id, e.g. npi.billing.luhn.")
    severity = models.CharField(max_length=7)
    message = models.TextField()
    target = models.CharField(max_length=40, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["claim", "id"]
        indexes = [
            # The queues' reason filter: claims with an open edit of this id (npi.billing.luhn).
            models.Index(
                fields=["edit"],
                condition=models.Q(overridden_at__isnull=True),
                name="claim_edit_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.severity} {self.edit}"

    @property
    def is_open(self) -> bool:
        """An error, or a warning nobody has overridden."""
        return self.overridden_at is None


class ClaimAttachment(models.Model):
    """Paperwork that goes with the claim (a PWK segment in loop 2300): what it is (PWK01), how
    the payer gets it (PWK02) and the number the payer matches it by (PWK06). Only the reference
    travels in the 837P; the document itself goes by the way PWK02 says."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attachments")
    report_type = models.CharField(max_length=2, choices=list(pwk.REPORT_TYPES.items()))
    transmission = models.CharField(max_length=2, choices=list(pwk.TRANSMISSIONS.items()))
    control_number = models.CharField(
        max_length=pwk.CONTROL_NUMBER_MAX, blank=True,
        help_text="PWK06 (with PWK05 = AC); required unless the transmission is AA.",
    )  # fmt: skip
    description = models.CharField(
        max_length=200, blank=True, help_text="For the biller; not sent to the payer."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transmission=pwk.AVAILABLE_ON_REQUEST)
                | ~models.Q(control_number=""),
                name="claim_attachment_number_unless_aa",
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} PWK {self.report_type} {self.transmission}"


class SavedWorklist(models.Model):
    """A biller's named claim filter, shared with everyone who bills for the practice."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="worklists")
    name = models.CharField(max_length=80)
    criteria = models.JSONField(
        default=dict, help_text="The queue filters (claims.selectors.ClaimCriteria), as strings."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practice", "name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="worklist_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


# --- billing coded visits (claims.billing) -------------------------------------------------------


class BillingIssueReason(models.TextChoices):
    """Why a coded visit could not be billed; each has its fix on one page (`BillingFix`)."""

    NO_COVERAGE = "no_coverage", "No insurance in force on the date of service"
    RENDERING_NPI = "rendering_npi", "Rendering provider NPI missing or invalid"
    BILLING_NPI = "billing_npi", "Billing provider (practice) NPI missing or invalid"
    NO_CODES = "no_codes", "No diagnosis or no service line"
    NO_CHARGE = "no_charge", "A service line has no charge"
    OTHER = "other", "Could not be billed"


class BillingFix(models.TextChoices):
    """The page where a billing issue is fixed."""

    COVERAGE = "coverage", "Add or correct the patient's coverage"
    PROVIDERS = "providers", "Correct the provider in practice setup"
    CODING = "coding", "Correct the coding"


class EncounterBillingIssue(models.Model):
    """A coded visit that billing could not turn into a claim, and why, until a later attempt
    succeeds (then `resolved_at` is set). At most one open issue per visit."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="billing_issues"
    )
    reason = models.CharField(max_length=20, choices=BillingIssueReason.choices)
    message = models.TextField(help_text="The reason in words, for the biller.")
    fix = models.CharField(max_length=20, choices=BillingFix.choices)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["encounter"],
                condition=models.Q(resolved_at__isnull=True),
                name="billing_issue_one_open_per_visit",
            )
        ]
        indexes = [
            # Serves the "Coded, not billed" page: a practice's open issues, oldest first.
            models.Index(
                fields=["practice", "created_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="billing_issue_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.encounter_id}: {self.get_reason_display()}"


class SelfPayCharge(models.Model):
    """A self-pay visit's charges, owed by the patient instead of a payer: what billing records
    for a visit marked self-pay, in place of a claim. One per visit.

    Issue 11 (patient balances and statements) builds the patient's balance from these rows,
    less what the patient pays; this row itself is never changed by a payment.
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    encounter = models.OneToOneField(
        Encounter, on_delete=models.PROTECT, related_name="self_pay_charge"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="self_pay_charges")
    service_date = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    lines = models.JSONField(
        default=list, help_text='The charges: [{"procedure", "modifiers", "units", "charge"}].'
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["practice", "created_at"], name="self_pay_practice_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="self_pay_amount_gte_0")
        ]

    def __str__(self) -> str:
        return f"Self-pay {self.encounter_id}: {self.amount}"


class ClaimTally(models.Model):
    """How many claims, and how much charged, per practice, status and hold: the totals of the
    biller's home and of the status queues without counting a million claims on every page.

    Kept by the database, not by Python: statement-level triggers on claims_claim (migration
    0013) add one row of differences per (practice, status, on_hold, payer) that a statement
    changed,
    so no writer can forget it (the state machine, bulk moves, imports and SQL loads alike) and
    two writers never wait on one counter row. Read with SUM(...) GROUP BY (claims.selectors
    `claim_tallies`); `claim_tallies_compact` (beat, every few minutes) folds the differences
    back into one row per key. The rows of one key always sum to the live count. The payer is in
    the key so that the payer filter's totals are tallied too.
    """

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="+", db_index=False
    )  # claim_tally_idx leads with it
    status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    on_hold = models.BooleanField()
    payer = models.ForeignKey(Payer, on_delete=models.CASCADE, related_name="+", db_index=False)
    claims = models.BigIntegerField()
    charges = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["practice", "status"], name="claim_tally_idx")]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.status} hold={self.on_hold}: {self.claims}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Could not be imported"


class ClaimImport(models.Model):
    """One upload of an 837P to import (claims/import837.py): queued on upload, done by a task.

    The file is read once at upload (an unreadable one is refused there and nothing is kept);
    the task imports its claims in one transaction and writes what it did into `summary`
    (`ImportResult.summary()`) and `claim_ids` (the claims created, in the file's order).
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    source_file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=100)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    summary = models.JSONField(default=dict, blank=True)
    claim_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

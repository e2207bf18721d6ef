"""Billing a coded visit: decide who pays, make the claim (or the self-pay charge), scrub it.

`encounter_bill` is the one entry point, run by `claims.tasks.bill_encounter_task` when coding
completes, by the beat sweep, and by the biller's "Bill again". It is idempotent: the visit's row
lock serialises callers, and a visit already billed is left alone, so several workers billing
one visit at once make one claim (the partial unique index `claim_one_original_per_coverage`
is the last guard). A visit that cannot be billed gets an open `EncounterBillingIssue` with the
reason in words and where to fix it; the next successful attempt resolves it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from claims.models import (
    BillingFix,
    BillingIssueReason,
    Claim,
    ClaimStatus,
    EncounterBillingIssue,
    FrequencyCode,
    SelfPayCharge,
)
from claims.scrubber import claim_scrub
from claims.services import claim_create_from_encounter
from coding.models import EncounterDiagnosis, ProcedureLine
from patients.coverage.selectors import coverage_primary_on
from patients.models import Coverage, Encounter, EncounterStatus
from patients.visits.state import encounter_transition
from rcm.practice.models import User
from rcm.practice.validators import validate_npi

# A visit coded this recently may still have its on-commit task in flight: the sweep leaves it.
SWEEP_GRACE = datetime.timedelta(minutes=5)
SWEEP_LIMIT = 500
BILL_AGAIN_LIMIT = 200


@dataclass(frozen=True)
class BillingProblem:
    reason: str
    message: str
    fix: str


@dataclass
class BillingOutcome:
    """What one billing attempt did: new claims (and which are held by the scrubber), a self-pay
    charge, an open issue, or nothing (`skipped` says why: already billed, not coded …)."""

    encounter_id: int
    claims: list[Claim] = field(default_factory=list)
    held: list[Claim] = field(default_factory=list)
    self_pay: SelfPayCharge | None = None
    issue: EncounterBillingIssue | None = None
    skipped: str = ""

    @property
    def billed(self) -> bool:
        return bool(self.claims) or self.self_pay is not None


def live_original_claims(encounter_id: int) -> QuerySet[Claim]:
    """The visit's original claims that stand (not replacements, voids or voided claims)."""
    return Claim.objects.filter(
        encounter_id=encounter_id,
        frequency_code=FrequencyCode.ORIGINAL,
        original_claim__isnull=True,
    ).exclude(status=ClaimStatus.VOID)


def _npi_refusal(npi: str) -> str | None:
    if not npi:
        return "no NPI is on file"
    try:
        validate_npi(npi)
    except ValidationError as error:
        reason = " ".join(error.messages).rstrip(".")
        return f"NPI {npi} is not valid ({reason[:1].lower()}{reason[1:]})"
    return None


def _coding_problem(encounter: Encounter, lines: list[ProcedureLine]) -> BillingProblem | None:
    has_diagnosis = EncounterDiagnosis.objects.filter(encounter=encounter).exists()
    if not has_diagnosis or not lines:
        missing = "diagnosis" if not has_diagnosis else "service line"
        return BillingProblem(
            BillingIssueReason.NO_CODES,
            f"The coded visit has no {missing}: complete its coding.",
            BillingFix.CODING,
        )
    for line in lines:
        if line.charge is None or line.charge <= 0:
            return BillingProblem(
                BillingIssueReason.NO_CHARGE,
                f"Line {line.position} ({line.code}) has no charge: enter one, or add the code "
                "to the fee schedule.",
                BillingFix.CODING,
            )
    return None


def _payer_problem(encounter: Encounter, coverage: Coverage | None) -> BillingProblem | None:
    provider = encounter.rendering_provider
    refusal = _npi_refusal(provider.npi)
    if refusal:
        return BillingProblem(
            BillingIssueReason.RENDERING_NPI,
            f"The rendering provider {provider}: {refusal}.",
            BillingFix.PROVIDERS,
        )
    refusal = _npi_refusal(encounter.practice.npi)
    if refusal:
        return BillingProblem(
            BillingIssueReason.BILLING_NPI,
            f"The billing provider {encounter.practice}: {refusal}.",
            BillingFix.PROVIDERS,
        )
    if coverage is None:
        return BillingProblem(
            BillingIssueReason.NO_COVERAGE,
            f"{encounter.patient.full_name} has no primary insurance in force on "
            f"{encounter.date_of_service:%m/%d/%Y}: add or correct their coverage, or mark "
            "the visit self-pay.",
            BillingFix.COVERAGE,
        )
    return None


def _issue_record(encounter: Encounter, problem: BillingProblem) -> EncounterBillingIssue:
    """Open the visit's billing issue, or bring its open one up to date (one open per visit;
    the caller holds the visit's lock, so two attempts cannot both create one)."""
    now = timezone.now()
    issue = (
        EncounterBillingIssue.objects.select_for_update()
        .filter(encounter=encounter, resolved_at__isnull=True)
        .first()
    )
    if issue is None:
        return EncounterBillingIssue.objects.create(
            practice_id=encounter.practice_id, encounter=encounter, reason=problem.reason,
            message=problem.message, fix=problem.fix,
        )  # fmt: skip
    issue.reason, issue.message, issue.fix = problem.reason, problem.message, problem.fix
    issue.attempts = F("attempts") + 1
    issue.last_attempt_at = now
    issue.save(update_fields=["reason", "message", "fix", "attempts", "last_attempt_at"])
    issue.refresh_from_db(fields=["attempts"])
    return issue


def _issues_resolve(encounter_id: int) -> None:
    EncounterBillingIssue.objects.filter(encounter_id=encounter_id, resolved_at=None).update(
        resolved_at=timezone.now()
    )


def _self_pay_record(
    encounter: Encounter, lines: list[ProcedureLine], user: User | None
) -> SelfPayCharge:
    amount = sum((line.charge or Decimal("0.00") for line in lines), Decimal("0.00"))
    charge = SelfPayCharge.objects.create(
        practice_id=encounter.practice_id, encounter=encounter, patient_id=encounter.patient_id,
        service_date=encounter.date_of_service, amount=amount, created_by=user,
        lines=[
            {"procedure": line.code, "modifiers": list(line.modifiers), "units": str(line.units),
             "charge": str(line.charge)}
            for line in lines
        ],
    )  # fmt: skip
    encounter_transition(
        encounter=encounter, to=EncounterStatus.BILLED, user=user, source="billing",
        note=f"Self-pay: ${amount} owed by the patient.",
    )  # fmt: skip
    return charge


def _skip_reason(encounter: Encounter) -> str:
    if encounter.status == EncounterStatus.BILLED:
        return "The visit is already billed."
    if encounter.status != EncounterStatus.CODED:
        return f"The visit is {encounter.get_status_display().lower()}, not coded."
    if live_original_claims(encounter.pk).exists():
        return "The visit already has a claim."
    return ""


def _bill_locked(encounter: Encounter, user: User | None) -> BillingOutcome:
    """Under the visit's lock: the self-pay charge, the claim, or the issue."""
    outcome = BillingOutcome(encounter_id=encounter.pk)
    lines = list(ProcedureLine.objects.filter(encounter=encounter).order_by("position"))
    coverage = coverage_primary_on(patient=encounter.patient, day=encounter.date_of_service)
    problem = _coding_problem(encounter, lines) or (
        None if encounter.self_pay else _payer_problem(encounter, coverage)
    )
    if problem:
        outcome.issue = _issue_record(encounter, problem)
        return outcome
    if encounter.self_pay:
        outcome.self_pay = _self_pay_record(encounter, lines, user)
    else:
        try:
            with transaction.atomic():  # a savepoint: a refusal leaves the issue to record
                claim = claim_create_from_encounter(
                    encounter=encounter, user=user, coverage=coverage
                )
        except ValidationError as error:
            problem = BillingProblem(
                BillingIssueReason.OTHER, " ".join(error.messages), BillingFix.CODING
            )
            outcome.issue = _issue_record(encounter, problem)
            return outcome
        outcome.claims.append(claim)
    _issues_resolve(encounter.pk)
    return outcome


def encounter_bill(*, encounter_id: int, user: User | None) -> BillingOutcome:
    """Bill one coded visit: to the primary coverage in force on the date of service, or to the
    patient when the visit is self-pay; then scrub each new claim (clean ones become READY,
    held ones stay DRAFT with their edits). Safe to call any number of times, at once."""
    try:
        with transaction.atomic():
            encounter = (
                Encounter.objects.select_for_update(of=("self",))
                .select_related("patient", "practice", "rendering_provider")
                .filter(pk=encounter_id)
                .first()
            )
            if encounter is None:
                return BillingOutcome(encounter_id=encounter_id, skipped="No such visit.")
            skipped = _skip_reason(encounter)
            if skipped:
                if encounter.status != EncounterStatus.CODED:
                    _issues_resolve(encounter.pk)  # billed, cancelled or reopened: nothing open
                return BillingOutcome(encounter_id=encounter_id, skipped=skipped)
            outcome = _bill_locked(encounter, user)
    except IntegrityError:
        # Another writer made the visit's claim between our check and insert (a path that
        # does not take the visit's lock): the unique index refused the second. Nothing to do.
        if live_original_claims(encounter_id).exists():
            return BillingOutcome(
                encounter_id=encounter_id, skipped="The visit already has a claim."
            )
        raise
    for claim in outcome.claims:
        if claim_scrub(claim=claim, user=user).held:
            outcome.held.append(claim)
    return outcome


# --- the sweep and "Bill again" ------------------------------------------------------------------


def encounters_awaiting_billing(*, practice_ids: list[int] | None = None) -> QuerySet[Encounter]:
    """Coded visits with no claim, no self-pay charge and no open billing issue: billing never
    ran for them (Redis was down when coding completed, or a worker died)."""
    open_issue = EncounterBillingIssue.objects.filter(
        encounter_id=OuterRef("pk"), resolved_at__isnull=True
    )
    visits = Encounter.objects.filter(status=EncounterStatus.CODED).filter(
        ~Exists(Claim.objects.filter(encounter_id=OuterRef("pk"))),
        ~Exists(SelfPayCharge.objects.filter(encounter_id=OuterRef("pk"))),
        ~Exists(open_issue),
    )
    if practice_ids is not None:
        visits = visits.filter(practice_id__in=practice_ids)
    return visits.order_by("date_of_service", "id")


def encounters_bill_sweep(*, now: datetime.datetime | None = None) -> list[BillingOutcome]:
    """Beat: bill the coded visits billing never ran for, coded before the grace period."""
    before = (now or timezone.now()) - SWEEP_GRACE
    ids = list(
        encounters_awaiting_billing()
        .filter(updated_at__lt=before)
        .values_list("id", flat=True)[:SWEEP_LIMIT]
    )
    return [encounter_bill(encounter_id=pk, user=None) for pk in ids]


@dataclass(frozen=True)
class BillAgainSummary:
    tried: int
    billed: int
    still_open: int


def encounters_bill_again(*, practice_ids: list[int], user: User | None) -> BillAgainSummary:
    """The biller's "Bill again" for all: every open issue and every visit never billed, of
    these practices (at most BILL_AGAIN_LIMIT at a time, oldest first)."""
    with_issue = EncounterBillingIssue.objects.filter(
        practice_id__in=practice_ids,
        resolved_at__isnull=True,
        encounter__status=EncounterStatus.CODED,
    ).values_list("encounter_id", flat=True)
    never = encounters_awaiting_billing(practice_ids=practice_ids).values_list("id", flat=True)
    ids = sorted({*with_issue[:BILL_AGAIN_LIMIT], *never[:BILL_AGAIN_LIMIT]})[:BILL_AGAIN_LIMIT]
    outcomes = [encounter_bill(encounter_id=pk, user=user) for pk in ids]
    return BillAgainSummary(
        tried=len(outcomes),
        billed=sum(1 for outcome in outcomes if outcome.billed),
        still_open=sum(1 for outcome in outcomes if outcome.issue is not None),
    )


# --- reads for the "Coded, not billed" page -----------------------------------------------------


def billing_issues_open(*, practice_ids: list[int]) -> QuerySet[EncounterBillingIssue]:
    """Open billing issues of coded visits of these practices, oldest first."""
    return (
        EncounterBillingIssue.objects.filter(
            practice_id__in=practice_ids,
            resolved_at__isnull=True,
            encounter__status=EncounterStatus.CODED,
        )
        .select_related("practice", "encounter__patient", "encounter__rendering_provider")
        .order_by("created_at", "id")
    )


def self_pay_charges(*, practice_ids: list[int]) -> QuerySet[SelfPayCharge]:
    """Self-pay visits' charges owed by their patients, newest first."""
    return (
        SelfPayCharge.objects.filter(practice_id__in=practice_ids)
        .select_related("practice", "patient")
        .order_by("-created_at", "-id")
    )

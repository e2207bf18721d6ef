"""Reads of claims and the biller's queues, always fenced to the user's practices."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from claims.models import Claim, ClaimEdit, ClaimEvent, ClaimImport, ClaimStatus, ClaimTally
from rcm.practice.permissions import scoped_get
from rcm.practice.selectors import Viewer, practice_ids_for


def claim_list(*, user: Viewer, roles: Iterable[str], queue: str | None = None) -> QuerySet[Claim]:
    """Claims of the practices where `user` holds one of `roles` (the page's purpose decides:
    the biller's queues take BILLING, reading a claim CLAIM_READERS)."""
    claims = Claim.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=roles)
    ).select_related("patient", "payer", "practice")
    if queue is not None:
        from claims.queues import QUEUES, queue_filter

        claims = claims.filter(queue_filter(QUEUES[queue], user=user, now=timezone.now()))
        claims = claims.order_by("status_changed_at", "id")
    return claims


def claim_get(*, user: Viewer, pk: int, roles: Iterable[str]) -> Claim:
    """One claim of the user's practices (Http404 otherwise; PermissionDenied when the user's
    role in the claim's practice is not one of `roles`)."""
    claims = Claim.objects.select_related(
        "patient", "payer", "practice", "coverage", "rendering_provider", "assignee",
        "primary_claim", "other_coverage__payer",
    )  # fmt: skip
    return scoped_get(claims, user=user, pk=pk, roles=roles)


@dataclass(frozen=True)
class PriorPayerLeft:
    """What the payer before decided on a secondary (or tertiary) claim, from its snapshot."""

    paid: Decimal
    contractual: Decimal  # CO adjustments, claim and lines: the provider may bill nobody for it
    left: Decimal  # charge - paid - contractual: the patient's share the next payer may cover


def claim_prior_payer_left(*, claim: Claim) -> PriorPayerLeft | None:
    """For a claim billed after another payer (`primary_claim`, or `other_coverage` for a claim
    imported from another system's 837P), what that payer paid and left, by the rule that
    decided to bill it (`denials.secondary.balance_after`): the charge less the payment and the
    contractual (CO) adjustments. None for a primary claim; one query else."""
    if claim.primary_claim_id is None and claim.other_coverage_id is None:
        return None
    paid = claim.other_payer_paid or Decimal("0.00")
    rows = [*claim.other_payer_adjustments]
    for adjustments in claim.lines.values_list("other_payer_adjustments", flat=True):
        rows.extend(adjustments or [])
    contractual = sum(
        (Decimal(str(row.get("amount") or "0")) for row in rows if row.get("group") == "CO"),
        Decimal("0.00"),
    )
    return PriorPayerLeft(
        paid=paid, contractual=contractual, left=claim.total_charge - paid - contractual
    )


def import_claims(*, claim_import: ClaimImport) -> list[Claim]:
    """The claims an 837P import created, in the file's order, with patient and payer."""
    ids = list(claim_import.claim_ids)
    order = {claim_id: position for position, claim_id in enumerate(ids)}
    claims = Claim.objects.filter(pk__in=ids, practice_id=claim_import.practice_id)
    return sorted(claims.select_related("patient", "payer"), key=lambda claim: order[claim.pk])


def claims_by_control_number(numbers: Iterable[str]) -> dict[str, Claim]:
    """Our claims named by a payer's or clearinghouse's answer (CLM01 echoed back), unfenced:
    answers arrive by file, for whichever practice sent the claim."""
    return {
        claim.control_number: claim
        for claim in Claim.objects.filter(control_number__in=set(numbers))
    }


def scrubber_holds_q() -> Q:
    """Which DRAFT claims are "Scrubber holds" (claims.queues): every draft.

    A draft is either held by an error the scrubber found (its edits are on the claim page) or
    was never scrubbed (being edited, or its scrub is pending): both need a biller before they
    can go. The queue's count on the home page comes from this same condition.
    """
    return Q()


@dataclass(frozen=True)
class Totals:
    label: str
    count: int
    charges: Decimal


# (status, on_hold) -> (claims, charges): a fence's totals as the triggers keep them.
Tallies = dict[tuple[str, bool], tuple[int, Decimal]]


def claim_tallies(*, practice_ids: Iterable[int], payer_id: int | None = None) -> Tallies:
    """The claims' count and charges per status and hold, summed over these practices (and of
    one payer's claims, when given): one query over ClaimTally's few rows per practice and
    payer, whatever the number of claims."""
    tallies = ClaimTally.objects.filter(practice_id__in=list(practice_ids))
    if payer_id is not None:
        tallies = tallies.filter(payer_id=payer_id)
    rows = (
        tallies.values("status", "on_hold")
        .annotate(n=Sum("claims"), total=Sum("charges"))
        .order_by()
    )
    return {
        (row["status"], row["on_hold"]): (int(row["n"]), row["total"] or Decimal("0.00"))
        for row in rows
        if row["n"]
    }


def claim_payers_present(
    *, practice_ids: Iterable[int], statuses: Iterable[str]
) -> list[tuple[int, int]]:
    """(practice id, payer id) of every practice and payer with claims in these statuses, from
    ClaimTally's few rows (one query, whatever the number of claims)."""
    rows = (
        ClaimTally.objects.filter(practice_id__in=list(practice_ids), status__in=list(statuses))
        .values("practice_id", "payer_id")
        .annotate(n=Sum("claims"))
        .filter(n__gt=0)
        .order_by("practice_id", "payer_id")
    )
    return [(row["practice_id"], row["payer_id"]) for row in rows]


def tallied_totals(
    tallies: Tallies, *, label: str, statuses: Iterable[str], on_hold: bool | None = None
) -> Totals:
    """The count and charges of the claims in `statuses` (held, not held, or either)."""
    wanted = set(statuses)
    found = [
        value
        for (status, held), value in tallies.items()
        if status in wanted and (on_hold is None or held == on_hold)
    ]
    return Totals(
        label,
        sum(count for count, _ in found),
        sum((charges for _, charges in found), Decimal("0.00")),
    )


def claim_counts_by_status(*, user: Viewer, roles: Iterable[str]) -> dict[str, Totals]:
    """Claim count and charges for every status, zeros included, in state-machine order."""
    tallies = claim_tallies(practice_ids=practice_ids_for(user=user, roles=roles))
    return {
        status.value: tallied_totals(tallies, label=status.label, statuses=[status.value])
        for status in ClaimStatus
    }


AGING_BUCKETS = (
    (0, 30, "0-30"),
    (31, 60, "31-60"),
    (61, 90, "61-90"),
    (91, 120, "91-120"),
    (121, None, "Over 120"),
)


def claim_ar_aging(*, user: Viewer, roles: Iterable[str], today: datetime.date) -> list[Totals]:
    """Open claims' charges by days since the date of service: the A/R aging report's buckets."""
    fence = practice_ids_for(user=user, roles=roles)
    open_claims = Claim.objects.filter(practice_id__in=fence).exclude(
        status__in=[
            ClaimStatus.DRAFT,
            ClaimStatus.READY,
            ClaimStatus.VOID,
            ClaimStatus.CLOSED,
            ClaimStatus.PAID,
        ]
    )
    buckets = []
    for low, high, label in AGING_BUCKETS:
        in_bucket = open_claims.filter(service_date_from__lte=today - datetime.timedelta(days=low))
        if high is not None:
            in_bucket = in_bucket.filter(
                service_date_from__gt=today - datetime.timedelta(days=high + 1)
            )
        totals = in_bucket.aggregate(count=Count("id"), charges=Sum("total_charge"))
        buckets.append(
            Totals(label=label, count=totals["count"], charges=totals["charges"] or Decimal("0"))
        )
    return buckets


def claim_timeline(*, claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.select_related("user", "file").order_by("at", "id")


def claim_edit_get(*, claim: Claim, pk: int) -> ClaimEdit:
    """One finding of this claim's scrub (Http404 for another claim's)."""
    try:
        return ClaimEdit.objects.get(claim=claim, pk=pk)
    except ClaimEdit.DoesNotExist as error:
        raise Http404("No such edit on this claim.") from error


def claim_edits_of(*, claim: Claim) -> QuerySet[ClaimEdit]:
    """The claim's latest findings: errors first, then warnings; overridden ones last."""
    return (
        ClaimEdit.objects.filter(claim=claim)
        .select_related("overridden_by")
        .order_by(F("overridden_at").asc(nulls_first=True), "severity", "id")
    )


@dataclass(frozen=True)
class DiagnosisRow:
    position: int
    letter: str  # the pointer as the CMS-1500 prints it (A-L)
    code: str  # with its dot
    description: str


@dataclass(frozen=True)
class LineRow:
    line: Any  # ClaimLine
    description: str
    pointer_codes: list[str]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    title: str
    who: str
    note: str
    file_label: str = ""
    kind: str = "status"


def _descriptions(system: str, codes: Iterable[str], on: datetime.date) -> dict[str, Any]:
    """{compact code: Code} of the release in force on `on`: two queries for any number. A
    date before the oldest release loaded reads that release, as the scrubber does (an
    installation loads the releases it bills from, not every one since 2015)."""
    from coding.codesets.selectors import release_in_force
    from coding.models import Code, CodeSetRelease

    release = release_in_force(system=system, on=on)
    if release is None:
        release = CodeSetRelease.objects.filter(system=system).order_by("effective_date").first()
    if release is None:
        return {}

    wanted = {code.replace(".", "").upper() for code in codes}
    return {code.compact: code for code in Code.objects.filter(release=release, compact__in=wanted)}


def _dotted(code: str) -> str:
    compact = code.replace(".", "").upper()
    return f"{compact[:3]}.{compact[3:]}" if len(compact) > 3 else compact


def claim_diagnoses_and_lines(*, claim: Claim) -> tuple[list[DiagnosisRow], list[LineRow]]:
    """The claim as sent: diagnoses with dots and descriptions, lines with pointers as codes."""
    diagnoses = list(claim.diagnoses.all())
    lines = list(claim.lines.all())
    on = claim.service_date_from
    icd = _descriptions("ICD10CM", (dx.code for dx in diagnoses), on)
    cpt = _descriptions("CPT", (line.procedure_code for line in lines), on)
    # HCPCS Level II codes (a letter and four digits: J3301, G0439) are not CPT: their words come
    # from the HCPCS release, two queries more only for a claim that has one.
    level_two = [line.procedure_code for line in lines if line.procedure_code[:1].isalpha()]
    if level_two:
        cpt |= _descriptions("HCPCS", level_two, on)
    rows = []
    for dx in diagnoses:
        found = icd.get(dx.code.replace(".", "").upper())
        rows.append(
            DiagnosisRow(
                position=dx.position,
                letter="ABCDEFGHIJKL"[dx.position - 1] if 1 <= dx.position <= 12 else "?",
                code=found.code if found else _dotted(dx.code),
                description=found.description if found else "(not in the code set in force)",
            )
        )
    by_position = {row.position: row.code for row in rows}
    line_rows = []
    for line in lines:
        found = cpt.get(line.procedure_code.upper())
        line_rows.append(
            LineRow(
                line=line,
                description=(found.short_description or found.description) if found else "",
                pointer_codes=[by_position.get(p, f"#{p}") for p in line.diagnosis_pointers],
            )
        )
    return rows, line_rows


def claim_timeline_entries(*, claim: Claim) -> list[TimelineEntry]:
    """Every event of the claim, oldest first: status moves (with the file that caused them),
    the biller's work, and the answers of status checks (276/277). Two queries."""
    entries = []
    for event in claim_timeline(claim=claim):
        if event.kind == "status":
            title = event.get_to_status_display()
            if event.from_status:
                title += f" (from {event.get_from_status_display().lower()})"
        else:
            title = event.get_kind_display()
        who = event.user.get_full_name() or event.user.username if event.user else event.source
        file_label = f"{event.file.get_kind_display()} {event.file.name}" if event.file else ""
        entries.append(TimelineEntry(event.at, title, who, event.note, file_label, kind=event.kind))
    for check in claim.status_checks.all():
        if check.error:
            words = f"No answer: {check.error}"
        else:
            words = f"{check.category}:{check.status_code} {check.description}".strip()
            if check.paid_amount is not None:
                words += f" (paid {check.paid_amount})"
        entries.append(
            TimelineEntry(check.requested_at, "Status check answered (277)", "payer", words,
                          kind="status_check_answer")
        )  # fmt: skip
    return sorted(entries, key=lambda entry: entry.at)

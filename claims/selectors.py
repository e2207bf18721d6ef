"""Reads of claims and the biller's queues, always fenced to the user's practices."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404

from claims.models import WORK_QUEUES, Claim, ClaimEdit, ClaimEvent, ClaimStatus
from rcm.practice.permissions import scoped_get
from rcm.practice.selectors import Viewer, practice_ids_for


def claim_list(*, user: Viewer, roles: Iterable[str], queue: str | None = None) -> QuerySet[Claim]:
    """Claims of the practices where `user` holds one of `roles` (the page's purpose decides:
    the biller's queues take BILLING, reading a claim CLAIM_READERS)."""
    claims = Claim.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=roles)
    ).select_related("patient", "payer", "practice")
    if queue is not None:
        claims = claims.in_queue(queue).order_by("status_changed_at", "id")
    return claims


def claim_get(*, user: Viewer, pk: int, roles: Iterable[str]) -> Claim:
    """One claim of the user's practices (Http404 otherwise; PermissionDenied when the user's
    role in the claim's practice is not one of `roles`)."""
    claims = Claim.objects.select_related("patient", "payer", "practice")
    return scoped_get(claims, user=user, pk=pk, roles=roles)


def claims_by_control_number(numbers: Iterable[str]) -> dict[str, Claim]:
    """Our claims named by a payer's or clearinghouse's answer (CLM01 echoed back), unfenced:
    answers arrive by file, for whichever practice sent the claim."""
    return {
        claim.control_number: claim
        for claim in Claim.objects.filter(control_number__in=set(numbers))
    }


@dataclass(frozen=True)
class Totals:
    label: str
    count: int
    charges: Decimal


def claim_counts_by_status(*, user: Viewer, roles: Iterable[str]) -> dict[str, Totals]:
    """Claim count and charges for every status, zeros included, in state-machine order."""
    rows = (
        Claim.objects.filter(practice_id__in=practice_ids_for(user=user, roles=roles))
        .values("status")
        .annotate(count=Count("id"), charges=Sum("total_charge"))
    )
    found: dict[str, Any] = {row["status"]: row for row in rows}
    zero = {"count": 0, "charges": Decimal("0.00")}
    return {
        status.value: Totals(
            label=status.label,
            count=found.get(status.value, zero)["count"],
            charges=found.get(status.value, zero)["charges"] or Decimal("0.00"),
        )
        for status in ClaimStatus
    }


QUEUE_LABELS = {
    "ready": "Ready to submit",
    "rejected": "Rejected",
    "waiting": "Waiting on the payer",
    "denied": "Denied or underpaid",
}


def claim_queue_counts(*, user: Viewer, roles: Iterable[str]) -> dict[str, Totals]:
    """The biller's four queues with their claim counts and charges."""
    by_status = claim_counts_by_status(user=user, roles=roles)
    return {
        queue: Totals(
            label=QUEUE_LABELS[queue],
            count=sum(by_status[s].count for s in statuses),
            charges=sum((by_status[s].charges for s in statuses), Decimal("0.00")),
        )
        for queue, statuses in WORK_QUEUES.items()
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

"""Reads of remittances and denials for dashboards, fenced to the user's practices."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from claims.adjudication import DENIAL_ADJUSTMENTS
from claims.models import Claim
from claims.reason_filter import ReasonQuery
from denials.models import Adjustment, ClaimPayment, LinePayment, Remittance
from rcm.practice.selectors import Viewer, practice_ids_for


def remittance_list(*, user: Viewer, roles: Iterable[str]) -> QuerySet[Remittance]:
    return Remittance.objects.filter(practice_id__in=practice_ids_for(user=user, roles=roles))


def payments_received(*, user: Viewer, roles: Iterable[str], since: datetime.date) -> Decimal:
    total = (
        remittance_list(user=user, roles=roles)
        .filter(payment_date__gte=since)
        .aggregate(total=Sum("payment_amount"))["total"]
    )
    return total or Decimal("0.00")


def top_denial_reasons(
    *, user: Viewer, roles: Iterable[str], limit: int = 5
) -> list[dict[str, Any]]:
    """The CARC codes that cost the most among denials (`claims.adjudication`'s rule)."""
    fence = practice_ids_for(user=user, roles=roles)
    rows: Any = (
        Adjustment.objects.filter(claim_payment__practice_id__in=fence)
        .filter(DENIAL_ADJUSTMENTS)
        .values("group", "reason")
        .annotate(count=Count("id"), amount=Sum("amount"))
        .order_by("-amount")[:limit]
    )
    return list(rows)


REVERSAL = "22"  # CLP02: a reversal of an earlier decision, not a decision on its own


def claim_denied_line_ids(claim: Claim) -> list[int]:
    """The claim's lines whose latest decision by the payer paid nothing and left the patient
    nothing to pay either (a deductible or co-insurance of the whole line is no denial)."""
    decisions = (
        LinePayment.objects.filter(claim_line__claim=claim)
        .exclude(claim_payment__status_code=REVERSAL)
        .annotate(patient_share=Sum("adjustments__amount", filter=Q(adjustments__group="PR")))
        .order_by("claim_line_id", "-claim_payment__remittance__payment_date", "-id")
        .values_list("claim_line_id", "paid", "patient_share")
    )
    latest: dict[int, bool] = {}
    for line_id, paid, patient_share in decisions:
        if line_id is not None and line_id not in latest:
            latest[line_id] = paid == 0 and (patient_share or Decimal("0")) == 0
    return sorted(line_id for line_id, denied in latest.items() if denied)


def claims_remitted_with_reason(reason: ReasonQuery) -> list[QuerySet[Any]]:
    """Ids of the claims whose 835s carry the reason: a CAS reason code (with its group when the
    biller typed one) on the claim or a line, or a remark code (MOA/MIA or LQ). Registered with
    the claims queues' reason filter (denials/apps.py)."""
    sources: list[QuerySet[Any]] = []
    if reason.carcs:
        # adjustment_reason_idx (reason, group) serves both "CO-16" and a bare "16".
        adjusted = Q(reason__in=reason.carcs)
        if reason.group:
            adjusted &= Q(group=reason.group)
        # adjustment_carc_group_idx includes the claim: the index alone answers.
        sources.append(Adjustment.objects.filter(adjusted).values_list("claim_id"))
    if reason.rarcs:
        # claim_payment_remarks_idx and line_payment_remarks_idx (GIN): remarks && ARRAY[…].
        remarks = list(reason.rarcs)
        sources.append(
            ClaimPayment.objects.filter(remarks__overlap=remarks).values_list("claim_id")
        )
        sources.append(
            LinePayment.objects.filter(remarks__overlap=remarks).values_list(
                "claim_payment__claim_id"
            )
        )
    return sources

"""Reads of remittances and denials for dashboards, fenced to the user's practices."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from claims.adjudication import DENIAL_ADJUSTMENTS
from claims.models import Claim
from claims.reason_filter import ReasonQuery
from denials.models import (
    Adjustment,
    ClaimPayment,
    ExceptionStatus,
    LinePayment,
    PostingException,
    Remittance,
)
from rcm.practice.permissions import scoped_get
from rcm.practice.selectors import Viewer, practice_ids_for


def remittance_list(*, user: Viewer, roles: Iterable[str]) -> QuerySet[Remittance]:
    return Remittance.objects.filter(practice_id__in=practice_ids_for(user=user, roles=roles))


def remittances_listed(
    *, user: Viewer, roles: Iterable[str], search: str = ""
) -> QuerySet[Remittance]:
    """The remittance list: newest payment first, with its claim count and open exceptions;
    `search` matches the trace (check/EFT) number or the payer's name."""
    rows = remittance_list(user=user, roles=roles)
    if search:
        rows = rows.filter(Q(trace_number__icontains=search) | Q(payer_name__icontains=search))
    return (
        rows.select_related("practice", "payer")
        .annotate(
            claim_count=Count("claim_payments", distinct=True),
            open_exceptions=Count(
                "posting_exceptions",
                filter=Q(posting_exceptions__status=ExceptionStatus.OPEN),
                distinct=True,
            ),
        )
        .order_by(F("payment_date").desc(nulls_last=True), "-received_at", "-id")
    )


def remittance_get(*, user: Viewer, pk: int, roles: Iterable[str]) -> Remittance:
    """One remittance of the user's practices (404 outside them, 403 for another role)."""
    return scoped_get(
        Remittance.objects.select_related("practice", "payer", "file"),
        user=user,
        pk=pk,
        roles=roles,
    )


def remittance_claim_payments(*, remittance: Remittance) -> list[ClaimPayment]:
    """Every claim payment of the remittance with its claim, lines, adjustments and exception."""
    return list(
        ClaimPayment.objects.filter(remittance=remittance)
        .select_related("claim", "posting_exception")
        .prefetch_related(
            Prefetch(
                "adjustments",
                queryset=Adjustment.objects.select_related("line_payment").order_by("id"),
            ),
            Prefetch("lines", queryset=LinePayment.objects.order_by("id")),
        )
        .order_by("id")
    )


def posting_exceptions_open(*, user: Viewer, roles: Iterable[str]) -> QuerySet[PostingException]:
    """The exceptions queue: open ones of the user's practices, oldest first."""
    return (
        PostingException.objects.filter(
            practice_id__in=practice_ids_for(user=user, roles=roles),
            status=ExceptionStatus.OPEN,
        )
        .select_related("practice", "remittance", "claim_payment")
        .order_by("created_at", "id")
    )


def posting_exception_get(*, user: Viewer, pk: int, roles: Iterable[str]) -> PostingException:
    return scoped_get(
        PostingException.objects.select_related(
            "practice", "remittance", "claim_payment", "resolved_by", "matched_claim"
        ),
        user=user,
        pk=pk,
        roles=roles,
    )


def claims_to_match(*, practice_id: int, search: str, limit: int = 20) -> list[Claim]:
    """Claims of one practice a biller may match a payment to: by claim (control or payer's)
    number or the patient's name."""
    words = search.split()
    if not words:
        return []
    found = Claim.objects.filter(practice_id=practice_id)
    for word in words[:4]:
        found = found.filter(
            Q(control_number__icontains=word)
            | Q(payer_claim_number__icontains=word)
            | Q(patient__last_name__icontains=word)
            | Q(patient__first_name__icontains=word)
        )
    return list(found.select_related("patient", "payer").order_by("-id")[:limit])


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

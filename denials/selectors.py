"""Reads of remittances and denials for dashboards, fenced to the user's practices."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from claims.adjudication import DENIAL_ADJUSTMENTS
from denials.models import Adjustment, Remittance
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

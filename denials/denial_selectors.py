"""Reads for the denial work queue, fenced to the user's billing practices."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Greatest

from coding.codesets.shipped import DATA_DIR
from denials.categories import denial_category
from denials.categories.rules import rarc_descriptions
from denials.denial_models import Denial, DenialStatus, DenialWriteOff, WriteOffStatus
from rcm.practice.models import Membership, User
from rcm.practice.permissions import BILLING, scoped_get
from rcm.practice.selectors import Viewer, practice_ids_for

SORTS = ("priority", "due", "amount")
# Priority: dollars per day left before the appeal deadline (an overdue denial counts one day),
# so $500 due in 5 days (100) comes before $2,000 due in 60 (33).
PRIORITY_HIGH = Decimal("50")
PRIORITY_MEDIUM = Decimal("10")


@dataclass(frozen=True)
class QueueFilters:
    payer_id: int | None = None
    category: str = ""
    carc: str = ""
    assignee_id: int | None = None  # 0: unassigned
    status: str = "unresolved"  # a DenialStatus value, "unresolved" or "all"
    due_within: int | None = None
    sort: str = "priority"


@cache
def carc_descriptions() -> dict[str, str]:
    """The shipped CARC list (the one load_codesets loads), code -> description."""
    path = DATA_DIR / "claim_adjustment_reason_codes.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["description"] for row in csv.DictReader(f)}


def _annotated(today: datetime.date) -> QuerySet[Denial]:
    # date - date is a whole number of days in PostgreSQL (Django's own "-" makes an interval).
    days_left = Func(
        F("due_on"),
        Value(today, output_field=DateField()),
        arg_joiner=" - ",
        template="(%(expressions)s)",
        output_field=IntegerField(),
    )
    return Denial.objects.select_related(
        "practice", "claim__patient", "claim__payer", "assignee", "line_payment"
    ).annotate(
        days_left=days_left,
        priority=ExpressionWrapper(
            F("amount")
            / Cast(Greatest(days_left, Value(1)), DecimalField(max_digits=12, decimal_places=2)),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    )


def denial_list(*, user: Viewer, today: datetime.date) -> QuerySet[Denial]:
    """Every denial of the user's billing practices, with its priority annotated."""
    return _annotated(today).filter(practice_id__in=practice_ids_for(user=user, roles=BILLING))


def denial_queue(*, user: Viewer, filters: QueueFilters, today: datetime.date) -> QuerySet[Denial]:
    denials = denial_list(user=user, today=today)
    if filters.status == "unresolved":
        denials = denials.exclude(status=DenialStatus.RESOLVED)
    elif filters.status != "all":
        denials = denials.filter(status=filters.status)
    if filters.payer_id is not None:
        denials = denials.filter(claim__payer_id=filters.payer_id)
    if filters.category:
        denials = denials.filter(category=filters.category)
    if filters.carc:
        denials = denials.filter(carc=filters.carc)
    if filters.assignee_id == 0:
        denials = denials.filter(assignee__isnull=True)
    elif filters.assignee_id is not None:
        denials = denials.filter(assignee_id=filters.assignee_id)
    if filters.due_within is not None:
        denials = denials.filter(due_on__lte=today + datetime.timedelta(days=filters.due_within))
    order = {
        "priority": ("-priority", "due_on", "id"),
        "due": ("due_on", "-amount", "id"),
        "amount": ("-amount", "due_on", "id"),
    }[filters.sort]
    return denials.order_by(*order)


def denial_totals(denials: QuerySet[Denial]) -> dict[str, object]:
    totals = denials.order_by().aggregate(count=Count("id"), amount=Sum("amount"))
    return {"count": totals["count"], "amount": totals["amount"] or Decimal("0.00")}


def denial_get(*, user: Viewer, pk: int, today: datetime.date) -> Denial:
    """One denial of the user's billing practices: 404 outside their practices, 403 inside
    without a billing role."""
    return scoped_get(_annotated(today), user=user, pk=pk, roles=BILLING)


def denial_reason_words(denial: Denial) -> str:
    """CARC and RARC descriptions, as a biller reads them."""
    parts = []
    if denial.carc:
        words = carc_descriptions().get(denial.carc, "not in the shipped code list")
        parts.append(f"{denial.group}-{denial.carc}: {words}")
    remarks = rarc_descriptions()
    parts += [
        f"{code}: {remarks.get(code, 'not in the shipped code list')}" for code in denial.rarcs
    ]
    return " ".join(parts) or "The payer gave no adjustment reason."


def denial_next_step(denial: Denial) -> tuple[str, str]:
    """(category label, next step)."""
    if not denial.carc:
        return "Other", "Read the remittance and ask the payer why the claim was denied."
    found = denial_category(denial.group, denial.carc, denial.rarcs)
    return found.label, found.next_step


def billers_of(*, practice_ids: Iterable[int]) -> list[User]:
    """Users who may be assigned denials: active billing members of these practices."""
    ids = Membership.objects.filter(
        practice_id__in=list(practice_ids), role__in=BILLING, user__is_active=True
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def write_offs_pending(*, user: Viewer, roles: Iterable[str]) -> QuerySet[DenialWriteOff]:
    return DenialWriteOff.objects.filter(
        practice_id__in=practice_ids_for(user=user, roles=roles), status=WriteOffStatus.PENDING
    ).select_related("practice", "denial__claim__patient", "denial__claim__payer", "requested_by")


def priority_band(priority: Decimal | None) -> str:
    if priority is None:
        return "low"
    if priority >= PRIORITY_HIGH:
        return "high"
    return "medium" if priority >= PRIORITY_MEDIUM else "low"

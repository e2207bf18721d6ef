"""Template tags for pages of lower apps that show claims: the patient chart's claims table."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from claims.selectors import claim_list
from patients.models import Patient
from rcm.practice.permissions import CLAIM_READERS

register = template.Library()


@register.inclusion_tag("claims/_patient_claims.html", takes_context=True)
def patient_claims(context: template.Context, patient: Patient) -> dict[str, Any]:
    """The claims of `patient` the signed-in user may see (patients cannot import claims)."""
    user = context["request"].user
    return {
        "claims": claim_list(user=user, roles=CLAIM_READERS).filter(patient=patient),
        "empty": "No claims.",
    }


@register.filter
def person(user: Any, empty: str = "—") -> str:
    """A user's full name, else their username; `empty` for no one (an unassigned claim)."""
    if user is None:
        return empty
    return str(user.get_full_name() or user.username)


@register.filter
def money(amount: Any) -> str:
    """1234.5 as "1,234.50" (what `floatformat:2|intcomma` gives, without their locale lookups
    on every row of a 50-row queue)."""
    if amount is None or amount == "":
        return ""
    return f"{Decimal(amount):,.2f}"


_SINCE_UNITS = ((365, "year", "years"), (30, "month", "months"), (7, "week", "weeks"),
                (1, "day", "days"))  # fmt: skip


@register.filter
def since(moment: datetime.datetime | None) -> str:
    """How long ago, in at most two units ("1 year, 5 months", "3 days", "today"): Django's
    `timesince` in words a biller reads, at a fraction of its cost per row."""
    if moment is None:
        return ""
    days = (timezone.now() - moment).days
    if days < 1:
        return "today"
    parts: list[str] = []
    for size, one, many in _SINCE_UNITS:
        count, days = divmod(days, size)
        if count:
            parts.append(f"{count}\xa0{one if count == 1 else many}")
        elif parts:
            break  # "1 year, 5 days" says less than "1 year": units stay adjacent
        if len(parts) == 2:
            break
    return ", ".join(parts)

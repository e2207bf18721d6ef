"""Template tags for pages of lower apps that show claims: the patient chart's claims table."""

from __future__ import annotations

from typing import Any

from django import template

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

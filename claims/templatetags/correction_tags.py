"""Template tags for the claim page's corrections box: which actions fit the claim and the user."""

from __future__ import annotations

from typing import Any

from django import template

from claims.corrections import (
    CORRECTABLE,
    EDITABLE,
    WITH_DENIED_LINES,
    correction_refusal,
    edit_refusal,
)
from claims.models import Claim
from rcm.practice.permissions import BILLING
from rcm.practice.selectors import user_has_role

register = template.Library()


@register.simple_tag(takes_context=True)
def correction_actions(context: template.Context, claim: Claim) -> dict[str, Any]:
    """{action: allowed} for the claim page, and why a correction cannot be made now."""
    user = context["request"].user
    bills = user_has_role(user=user, practice_id=claim.practice_id, roles=BILLING)
    if not bills:
        return {"any": False}
    refusal = correction_refusal(claim)
    # Only a claim the payer did not pay in full has denied lines to rebill (a claim with a
    # line denied is partially paid); a paid claim's page would offer a button that does nothing.
    can_rebill = claim.status in WITH_DENIED_LINES and (
        correction_refusal(claim, needs_payer_number=False) is None
    )
    actions = {
        "edit": edit_refusal(claim) is None,
        "correct": refusal is None,
        "void": claim.status in EDITABLE or refusal is None,
        "rebill": can_rebill,
        "split": claim.status in EDITABLE or can_rebill,
        "why_not": refusal if claim.status in CORRECTABLE else "",
    }
    actions["any"] = any(v for k, v in actions.items() if k != "why_not")
    return actions

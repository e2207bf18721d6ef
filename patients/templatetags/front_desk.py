"""Template tags for the front-desk home page: the eligibility worklist's size."""

from __future__ import annotations

from django import template

from patients.visits.selectors import eligibility_worklist
from rcm.practice.selectors import Viewer

register = template.Library()


@register.simple_tag
def eligibility_worklist_count(user: Viewer) -> int:
    """How many upcoming visits need the front desk's attention about insurance."""
    return len(eligibility_worklist(user=user))

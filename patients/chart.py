"""What each part of the patient chart shows; the chart view (rcm.web) merges these contexts."""

from __future__ import annotations

from typing import Any

from patients.models import Patient
from rcm.practice.models import User


def coverage_chart_context(*, patient: Patient, user: User) -> dict[str, Any]:
    """For templates/patients/_coverages.html (filled in by the coverage work)."""
    return {}


def visit_chart_context(*, patient: Patient, user: User) -> dict[str, Any]:
    """For templates/patients/_visits.html (filled in by the visits and eligibility work)."""
    return {}

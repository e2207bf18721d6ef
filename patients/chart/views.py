"""The patient chart: demographics, coverages, visits and (through a claims tag) claims."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from patients.chart.selectors import coverage_chart_context, visit_chart_context
from patients.coverage.selectors import coverage_list_for_patient
from patients.models import Patient
from patients.registration.selectors import patient_chart
from rcm.audit.selectors import chart_views
from rcm.practice.permissions import ADMINISTRATION, EVERYONE, AuthenticatedRequest, role_required
from rcm.practice.selectors import user_has_role

# The chart shows its administrators the latest views; the audit log has them all.
CHART_VIEWS_SHOWN = 10


@require_GET
@role_required(*EVERYONE)
def patient_chart_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A patient's chart: demographics, coverage, encounters, claims. Every view is audited.

    The claims come from the claims app's `patient_claims` template tag: this app sits below
    claims and does not import it.
    """
    try:
        patient = patient_chart(user=request.user, pk=pk)
    except Patient.DoesNotExist:
        raise Http404("No such patient.") from None
    context: dict[str, Any] = {
        "patient": patient,
        "coverages": coverage_list_for_patient(patient=patient),
        "encounters": patient.encounters.select_related("rendering_provider"),
    }
    context.update(coverage_chart_context(patient=patient, user=request.user))
    context.update(visit_chart_context(patient=patient, user=request.user))
    if user_has_role(user=request.user, practice_id=patient.practice_id, roles=ADMINISTRATION):
        context["chart_views"] = list(chart_views(patient=patient)[:CHART_VIEWS_SHOWN])
    return render(request, "patients/detail.html", context)

"""The "Coded, not billed" page: visits billing could not bill, with the fix a click away."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims.billing import (
    billing_issues_open,
    encounter_bill,
    encounters_awaiting_billing,
    encounters_bill_again,
    self_pay_charges,
)
from claims.models import BillingFix, EncounterBillingIssue
from patients.models import Encounter
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required, scoped_get
from rcm.practice.selectors import practice_ids_for

PAGE_SIZE = 50


@dataclass(frozen=True)
class FixLink:
    label: str
    url: str


def fix_link(issue: EncounterBillingIssue) -> FixLink:
    """Where the biller (or whoever holds that page's role) fixes the issue."""
    encounter = issue.encounter
    if issue.fix == BillingFix.COVERAGE:
        url = reverse("patient-detail", args=[encounter.patient_id]) + "#coverages"
    elif issue.fix == BillingFix.PROVIDERS:
        url = reverse("practice-setup-providers", args=[issue.practice_id])
    else:
        url = reverse("coding-encounter", args=[encounter.pk])
    return FixLink(label=issue.get_fix_display(), url=url)


@require_GET
@role_required(*BILLING)
def unbilled(request: AuthenticatedRequest) -> HttpResponse:
    """Coded visits not billed (with the reason and its fix), and self-pay visits' charges."""
    practice_ids = practice_ids_for(user=request.user, roles=BILLING)
    issues = Paginator(billing_issues_open(practice_ids=practice_ids), PAGE_SIZE)
    page = issues.get_page(request.GET.get("page"))
    self_pay = Paginator(self_pay_charges(practice_ids=practice_ids), PAGE_SIZE)
    self_pay_page = self_pay.get_page(request.GET.get("self_pay_page"))
    context = {
        "page_obj": page,
        "rows": [(issue, fix_link(issue)) for issue in page.object_list],
        "self_pay_page": self_pay_page,
        "waiting_count": encounters_awaiting_billing(practice_ids=practice_ids).count(),
        "show_practice": len(practice_ids) > 1,
    }
    return render(request, "claims/unbilled.html", context)


@require_POST
@role_required(*BILLING)
def unbilled_bill_again(request: AuthenticatedRequest, encounter_id: int) -> HttpResponse:
    """Bill one visit again (after its coverage, provider or coding was fixed)."""
    encounter = scoped_get(
        Encounter.objects.all(), user=request.user, pk=encounter_id, roles=BILLING
    )
    outcome = encounter_bill(encounter_id=encounter.pk, user=request.user)
    if outcome.claims:
        numbers = ", ".join(claim.control_number for claim in outcome.claims)
        held = " (held by the scrubber: see its edits)" if outcome.held else " (ready to submit)"
        messages.success(request, f"Claim {numbers} created{held}.")
    elif outcome.self_pay is not None:
        messages.success(request, f"Self-pay: ${outcome.self_pay.amount} owed by the patient.")
    elif outcome.issue is not None:
        messages.error(request, f"Still not billed: {outcome.issue.message}")
    else:
        messages.info(request, outcome.skipped)
    return redirect("claims-unbilled")


@require_POST
@role_required(*BILLING)
def unbilled_bill_all(request: AuthenticatedRequest) -> HttpResponse:
    """Bill again every visit on the page (and every coded visit billing never ran for)."""
    practice_ids = practice_ids_for(user=request.user, roles=BILLING)
    summary = encounters_bill_again(practice_ids=practice_ids, user=request.user)
    if not summary.tried:
        messages.info(request, "No coded visit is waiting to be billed.")
    else:
        messages.success(
            request,
            f"{summary.billed} of {summary.tried} visit{'s' if summary.tried != 1 else ''} "
            f"billed; {summary.still_open} still cannot be billed.",
        )
    return redirect("claims-unbilled")

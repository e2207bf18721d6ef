"""Rebilling the lines a payer denied: the remittances here name them, claims rebills them."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from claims.corrections import claim_rebill_lines
from claims.models import Claim
from claims.selectors import claim_get
from denials.models import LinePayment
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required

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


@require_POST
@role_required(*BILLING)
def claim_rebill_denied_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new claim with only the lines the payer denied (the paid lines stand)."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    line_ids = claim_denied_line_ids(claim)
    if not line_ids:
        messages.error(request, "No line of this claim was denied by the payer's remittances.")
        return redirect("claim-detail", pk=pk)
    try:
        outcome = claim_rebill_lines(original=claim, line_ids=line_ids, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("claim-detail", pk=pk)
    held = " The scrubber holds it: see its edits." if outcome.held else ""
    messages.success(
        request,
        f"Claim {outcome.claim.control_number} created with the {len(line_ids)} denied "
        f"line{'s' if len(line_ids) != 1 else ''}.{held}",
    )
    return redirect("claim-detail", pk=outcome.claim.pk)

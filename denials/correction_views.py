"""Rebilling the lines a payer denied: the remittances here name them, claims rebills them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from claims.corrections import claim_rebill_lines
from claims.selectors import claim_get
from denials.selectors import claim_denied_line_ids
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required

NO_DENIED_LINES = "No line of this claim was denied by the payer's remittances."


@require_POST
@role_required(*BILLING)
def claim_rebill_denied_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A new claim with only the lines the payer denied (the paid lines stand)."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    line_ids = claim_denied_line_ids(claim)
    if not line_ids:
        messages.error(request, NO_DENIED_LINES)
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

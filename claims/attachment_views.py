"""The claim page's Attachments panel: add paperwork (PWK) to a claim, or remove it.

Each change scrubs the claim again; a refusal is the claim page again with the reason (400)
and nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from claims.attachments import (
    AttachmentOutcome,
    ClaimAttachmentForm,
    claim_attachment_add,
    claim_attachment_remove,
)
from claims.models import ClaimAttachment
from claims.selectors import claim_get
from claims.views import claim_page
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required


def _done(request: AuthenticatedRequest, outcome: AttachmentOutcome, done: str) -> None:
    if outcome.scrub.held:
        messages.warning(request, f"{done} Scrubbed again: {outcome.scrub.counts}; still held.")
    else:
        messages.success(request, f"{done} Scrubbed again: {outcome.scrub.counts}.")


@require_POST
@role_required(*BILLING)
def claim_attachment_add_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    form = ClaimAttachmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was changed: correct the attachment below.")
        return claim_page(request, claim, status=400, attachment_form=form)
    try:
        outcome = claim_attachment_add(
            claim=claim, user=request.user, **{key: form.cleaned_data[key] for key in (
                "report_type", "transmission", "control_number", "description")},
        )  # fmt: skip
    except ValidationError as error:  # the claim cannot change now, or it has ten already
        messages.error(request, "Nothing was changed. " + " ".join(error.messages))
        return claim_page(request, claim, status=400, attachment_form=form)
    _done(request, outcome, "Attachment added.")
    return redirect("claim-detail", pk=claim.pk)


@require_POST
@role_required(*BILLING)
def claim_attachment_remove_view(
    request: AuthenticatedRequest, pk: int, attachment_id: int
) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    try:
        outcome = claim_attachment_remove(
            claim=claim, attachment_id=attachment_id, user=request.user
        )
    except ClaimAttachment.DoesNotExist as error:
        raise Http404("No such attachment on this claim.") from error
    except ValidationError as error:
        messages.error(request, "Nothing was changed. " + " ".join(error.messages))
        return claim_page(request, claim, status=400)
    _done(request, outcome, "Attachment removed.")
    return redirect("claim-detail", pk=claim.pk)

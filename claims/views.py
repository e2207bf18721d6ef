"""Biller pages: the biller's home, the claim queues, and a claim with its timeline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from claims.codeset_impact import codeset_impact
from claims.models import Claim
from claims.scrubber import claim_edit_override
from claims.selectors import (
    QUEUE_LABELS,
    claim_edit_get,
    claim_edits_of,
    claim_get,
    claim_list,
    claim_queue_counts,
    claim_timeline,
)
from claims.services import next_payer_refusal
from claims.state import ClaimStatus, InvalidTransition
from claims.submission import claim_submit, claims_submit_ready
from rcm.files.selectors import quarantined_files
from rcm.practice.permissions import BILLING, CLAIM_READERS, AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for, user_has_role


@require_GET
@role_required(*BILLING)
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The biller's home: the four queues with counts and charges, rejections and denials."""
    user = request.user
    context = {
        "queues": claim_queue_counts(user=user, roles=BILLING),
        "rejected": claim_list(user=user, roles=BILLING, queue="rejected")[:10],
        "denied": claim_list(user=user, roles=BILLING, queue="denied")[:10],
        "quarantine_count": quarantined_files(
            practice_ids=practice_ids_for(user=user, roles=BILLING),
            include_unassigned=user.is_staff,
        ).count(),
    }
    return render(request, "claims/home.html", context)


@require_GET
@role_required(*BILLING)
def claim_queue(request: AuthenticatedRequest, queue: str) -> HttpResponse:
    if queue not in QUEUE_LABELS:
        raise Http404("No such queue.")
    claims = claim_list(user=request.user, roles=BILLING, queue=queue)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    context = {
        "queue": queue,
        "queue_label": QUEUE_LABELS[queue],
        "queues": QUEUE_LABELS.items(),
        "page_obj": page,
    }
    return render(request, "claims/queue.html", context)


@require_GET
@role_required(*CLAIM_READERS)
def claim_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk, roles=CLAIM_READERS)
    return _claim_page(request, claim)


def _claim_page(request: AuthenticatedRequest, claim: Claim, status: int = 200) -> HttpResponse:
    bills = user_has_role(user=request.user, practice_id=claim.practice_id, roles=BILLING)
    context = {
        "claim": claim,
        "timeline": claim_timeline(claim=claim),
        "claim_edits": claim_edits_of(claim=claim),
        "can_submit": bills and claim.status == ClaimStatus.READY,
        "can_bill_next_payer": bills and next_payer_refusal(claim) is None,
        "submissions": claim.submissions.select_related("batch").order_by("-batch__created_at"),
    }
    return render(request, "claims/detail.html", context, status=status)


@require_POST
@role_required(*BILLING)
def claims_submit_ready_view(request: AuthenticatedRequest) -> HttpResponse:
    """Queue every ready claim of the practices where the user bills; a worker sends them."""
    practice_ids = practice_ids_for(user=request.user, roles=BILLING)
    queued = claims_submit_ready(practice_ids=practice_ids, user=request.user)
    drafts = claim_list(user=request.user, roles=BILLING).filter(status=ClaimStatus.DRAFT).count()
    waiting = (
        f" {drafts} draft{'s' if drafts != 1 else ''} still need review first." if drafts else ""
    )
    if queued:
        messages.success(
            request,
            f"{queued} claim{'s' if queued != 1 else ''} queued: they go out in the next batch."
            + waiting,
        )
    else:
        messages.info(request, "No claim was ready to submit." + waiting)
    return redirect("claim-queue", queue="ready")


@require_POST
@role_required(*BILLING)
def claim_submit_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    try:
        claim_submit(claim=claim, user=request.user)
        messages.success(request, f"Claim {claim.control_number} queued for the next batch.")
    except InvalidTransition as error:
        messages.error(request, str(error))
    return redirect("claim-detail", pk=pk)


@require_GET
@role_required(*CLAIM_READERS)
def codeset_impact_view(request: AuthenticatedRequest) -> HttpResponse:
    """Open encounters and unsent claims whose diagnosis codes the newest release dropped."""
    rows = codeset_impact(practice_ids=practice_ids_for(user=request.user, roles=CLAIM_READERS))
    return render(request, "claims/codeset_impact.html", {"rows": rows})


@require_POST
@role_required(*BILLING)
def claim_edit_override_view(request: AuthenticatedRequest, pk: int, edit_id: int) -> HttpResponse:
    """Override one open warning of the claim with the biller's reason (kept on the timeline)."""
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    claim_edit = claim_edit_get(claim=claim, pk=edit_id)
    reason = request.POST.get("reason", "")
    try:
        claim_edit_override(claim_edit=claim_edit, user=request.user, reason=reason)
    except ValidationError as error:  # the claim page again, saying why, with nothing changed
        messages.error(request, " ".join(error.messages))
        return _claim_page(request, claim, status=400)
    messages.success(request, f"Warning overridden on claim {claim.control_number}.")
    return redirect("claim-detail", pk=pk)

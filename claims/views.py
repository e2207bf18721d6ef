"""Biller pages: the claim queues and a claim with its timeline."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from claims.models import Claim
from claims.selectors import QUEUE_LABELS, claim_get, claim_list, claim_timeline
from rcm.practice.models import Role
from rcm.practice.permissions import AuthenticatedRequest, role_required


@role_required(Role.BILLER, Role.ADMINISTRATOR)
def claim_queue(request: AuthenticatedRequest, queue: str) -> HttpResponse:
    if queue not in QUEUE_LABELS:
        raise Http404("No such queue.")
    claims = claim_list(user=request.user, queue=queue)
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    context = {
        "queue": queue,
        "queue_label": QUEUE_LABELS[queue],
        "queues": QUEUE_LABELS.items(),
        "page_obj": page,
    }
    return render(request, "claims/queue.html", context)


@role_required(Role.BILLER, Role.CODER, Role.ADMINISTRATOR)
def claim_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        claim = claim_get(user=request.user, pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.") from None
    return render(
        request, "claims/detail.html", {"claim": claim, "timeline": claim_timeline(claim=claim)}
    )

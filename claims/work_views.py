"""The claim page's work actions: note, assign, follow-up date, hold, release, status check now.

Each parses its form, calls one service of claims/work.py and returns to the claim page; a
refusal is a 400 with the reason and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from claims.models import Claim
from claims.queue_forms import AssignForm, FollowUpForm, HoldForm, NoteForm, form_errors_text
from claims.selectors import claim_get
from claims.work import (
    claim_assign,
    claim_follow_up_set,
    claim_hold,
    claim_note_add,
    claim_release,
    claim_status_check_request,
)
from rcm.practice.models import User
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required


def _refusal(reasons: list[str]) -> HttpResponse:
    return HttpResponse(
        "Nothing was changed. " + " ".join(reasons), status=400, content_type="text/plain"
    )


def _act(
    request: AuthenticatedRequest,
    pk: int,
    form_class: type[Form],
    action: Callable[[Claim, dict[str, Any]], str],
) -> HttpResponse:
    claim = claim_get(user=request.user, pk=pk, roles=BILLING)
    form = form_class(request.POST)
    if not form.is_valid():
        return _refusal([form_errors_text(form)])
    try:
        messages.success(request, action(claim, form.cleaned_data))
    except ValidationError as error:
        return _refusal(error.messages)
    return redirect("claim-detail", pk=claim.pk)


@require_POST
@role_required(*BILLING)
def claim_note_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def add(claim: Claim, data: dict[str, Any]) -> str:
        claim_note_add(claim=claim, text=str(data["text"]), user=request.user)
        return "Note added."

    return _act(request, pk, NoteForm, add)


@require_POST
@role_required(*BILLING)
def claim_assign_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def assign(claim: Claim, data: dict[str, Any]) -> str:
        assignee = User.objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
        if data["assignee"] and assignee is None:
            raise ValidationError("No such biller.")
        claim_assign(claim=claim, assignee=assignee, user=request.user)
        return f"Assigned to {assignee}." if assignee else "Unassigned."

    return _act(request, pk, AssignForm, assign)


@require_POST
@role_required(*BILLING)
def claim_follow_up_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def follow_up(claim: Claim, data: dict[str, Any]) -> str:
        day = data["date"]
        claim_follow_up_set(claim=claim, day=day, user=request.user, note=str(data["note"]))
        return f"Follow up on {day:%m/%d/%Y}." if day else "Follow-up date cleared."

    return _act(request, pk, FollowUpForm, follow_up)


@require_POST
@role_required(*BILLING)
def claim_hold_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def hold(claim: Claim, data: dict[str, Any]) -> str:
        claim_hold(claim=claim, reason=str(data["reason"]), user=request.user)
        return "On hold: it will not be batched until released."

    return _act(request, pk, HoldForm, hold)


@require_POST
@role_required(*BILLING)
def claim_release_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def release(claim: Claim, data: dict[str, Any]) -> str:
        if not claim.on_hold:
            raise ValidationError("The claim is not on hold.")
        claim_release(claim=claim, user=request.user)
        return "Released from hold."

    return _act(request, pk, Form, release)


@require_POST
@role_required(*BILLING)
def claim_status_check_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def check(claim: Claim, data: dict[str, Any]) -> str:
        claim_status_check_request(claim=claim, user=request.user)
        return "Status check sent (276); the payer's answer appears on the timeline."

    return _act(request, pk, Form, check)

"""The coder's worklist: its filters, assigning an encounter, and "next encounter"."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from coding.encounter.selectors import encounter_for_coding
from coding.worklist.selectors import (
    WorklistFilter,
    coder_get,
    worklist_choices,
    worklist_encounters,
)
from coding.worklist.services import encounter_assign, encounter_next_for
from rcm.practice.models import User
from rcm.practice.permissions import CODING, AuthenticatedRequest, role_required
from rcm.practice.validators import ascii_int
from rcm.web.hostile import safe_next_url

WORKLIST_PAGE_SIZE = 50


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    return ascii_int(text)


@require_GET
@role_required(*CODING)
def worklist(request: AuthenticatedRequest) -> HttpResponse:
    """Encounters waiting for coding, with filters by provider, date and payer."""
    filters = WorklistFilter(
        provider_id=_int(request.GET.get("provider")),
        payer_id=_int(request.GET.get("payer")),
        date_from=_date(request.GET.get("from")),
        date_to=_date(request.GET.get("to")),
        assigned=request.GET.get("assigned", "all"),
    )
    encounters = worklist_encounters(user=request.user, filters=filters)
    choices = worklist_choices(user=request.user)
    context = {
        "page_obj": Paginator(encounters, WORKLIST_PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "counts": choices.counts,
        "providers": choices.providers,
        "payers": choices.payers,
        "is_admin": choices.is_admin,
    }
    return render(request, "coding/worklist.html", context)


@require_POST
@role_required(*CODING)
def worklist_next(request: AuthenticatedRequest) -> HttpResponse:
    encounter = encounter_next_for(coder=request.user)
    if encounter is None:
        messages.info(request, "Nothing is waiting for coding. Well done.")
        return redirect("coding-worklist")
    return redirect("coding-encounter", pk=encounter.pk)


@require_POST
@role_required(*CODING)
def worklist_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    encounter = encounter_for_coding(user=request.user, pk=pk)
    target = request.POST.get("coder", "")
    coder: User | None = None
    if target == "me":
        coder = request.user
    elif ascii_int(target) is not None:
        coder = coder_get(practice_id=encounter.practice_id, pk=int(target))
        if coder is None:
            messages.error(request, "That person does not code for this practice.")
            return redirect("coding-worklist")
    try:
        encounter_assign(encounter=encounter, coder=coder, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect(safe_next_url(request, fallback=reverse("coding-worklist")))

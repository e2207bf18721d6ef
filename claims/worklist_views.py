"""Saved worklists: a biller names a set of queue filters and shares it with the practice."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims.models import SavedWorklist
from claims.queue_forms import WorklistForm
from claims.queues import worklist_list
from claims.work import worklist_delete, worklist_save
from rcm.practice.permissions import BILLING, AuthenticatedRequest, role_required, scoped_get
from rcm.practice.selectors import practice_list


def _initial(worklist: SavedWorklist) -> dict[str, object]:
    return {**worklist.criteria, "name": worklist.name, "worklist_practice": worklist.practice_id}


def _save(
    request: AuthenticatedRequest, form: WorklistForm, worklist: SavedWorklist | None
) -> SavedWorklist | None:
    if not form.is_valid():
        return None
    criteria = form.stored()
    criteria.pop("name", None)
    criteria.pop("worklist_practice", None)
    try:
        return worklist_save(
            user=request.user, practice_id=form.cleaned_data["worklist_practice"],
            name=form.cleaned_data["name"], criteria=criteria, worklist=worklist,
        )  # fmt: skip
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@role_required(*BILLING)
def worklists(request: AuthenticatedRequest) -> HttpResponse:
    """The practice's saved worklists, and a form to add one."""
    form = WorklistForm(request.POST or None)
    if request.method == "POST":
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, f"Worklist '{saved.name}' saved for {saved.practice}.")
            return redirect("claim-worklists")
    context = {
        "worklists": worklist_list(user=request.user),
        "form": form,
        "practices": practice_list(user=request.user, roles=BILLING),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "claims/worklists.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(*BILLING)
def worklist_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    worklist = scoped_get(SavedWorklist.objects.all(), user=request.user, pk=pk, roles=BILLING)
    form = WorklistForm(request.POST or None, initial=_initial(worklist))
    if request.method == "POST":
        saved = _save(request, form, worklist)
        if saved is not None:
            messages.success(request, f"Worklist '{saved.name}' saved.")
            return redirect("claim-worklists")
    context = {
        "worklist": worklist,
        "form": form,
        "practices": practice_list(user=request.user, roles=BILLING),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "claims/worklist_edit.html", context, status=status)


@require_POST
@role_required(*BILLING)
def worklist_delete_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    worklist = scoped_get(SavedWorklist.objects.all(), user=request.user, pk=pk, roles=BILLING)
    worklist_delete(worklist=worklist, user=request.user)
    messages.success(request, f"Worklist '{worklist.name}' deleted.")
    return redirect("claim-worklists")


@require_GET
@role_required(*BILLING)
def worklist_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A worklist is the All claims queue with its filters: the same page, sorts and actions."""
    worklist = scoped_get(SavedWorklist.objects.all(), user=request.user, pk=pk, roles=BILLING)
    query = urlencode({**worklist.criteria, "worklist": worklist.pk}, doseq=True)
    return redirect(reverse("claim-queue", args=["all"]) + "?" + query)

"""Biller pages about what came back: the quarantine of refused files."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rcm.files.models import FileStatus, StoredFile
from rcm.files.selectors import quarantined_files
from rcm.files.services import stored_file_mark
from rcm.practice.models import Role
from rcm.practice.permissions import AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for

BILLING_ROLES = (Role.BILLER, Role.ADMINISTRATOR)


def _quarantine(request: AuthenticatedRequest) -> QuerySet[StoredFile]:
    return quarantined_files(
        practice_ids=practice_ids_for(user=request.user, roles=BILLING_ROLES),
        include_unassigned=request.user.is_staff,
    )


@role_required(*BILLING_ROLES)
def quarantine_list(request: AuthenticatedRequest) -> HttpResponse:
    """Files refused whole (garbled, truncated, unbalanced): nothing of them was applied."""
    return render(request, "denials/quarantine.html", {"files": _quarantine(request)[:200]})


@require_POST
@role_required(*BILLING_ROLES)
def quarantine_dismiss(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A person looked at the file and dealt with it (e.g. asked the payer for a new one)."""
    stored: StoredFile | None = _quarantine(request).filter(pk=pk).first()
    if stored is None:
        raise Http404("No such quarantined file.")
    stored_file_mark(stored=stored, status=FileStatus.DISMISSED, error=stored.error)
    messages.success(request, f"{stored.name} dismissed from the quarantine.")
    return redirect("quarantine")

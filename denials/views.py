"""Pages about the money: the administrator's home, the quarantine of refused files, and
billing the next payer."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from claims.selectors import claim_ar_aging, claim_counts_by_status, claim_get
from denials.secondary import claim_bill_next_payer
from denials.selectors import payments_received, top_denial_reasons
from rcm.files.models import FileStatus, StoredFile
from rcm.files.selectors import quarantined_files
from rcm.files.services import stored_file_mark
from rcm.practice.permissions import (
    ADMINISTRATION,
    BILLING,
    AuthenticatedRequest,
    role_required,
    scoped_get,
)
from rcm.practice.selectors import practice_ids_for, practice_list, worker_heartbeat_last


@require_GET
@role_required(*ADMINISTRATION)
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The administrator's home: claims by status, A/R aging, payments, costliest denials."""
    user = request.user
    today = timezone.localdate()
    context = {
        "practices": practice_list(user=user, roles=ADMINISTRATION),
        "by_status": claim_counts_by_status(user=user, roles=ADMINISTRATION),
        "aging": claim_ar_aging(user=user, roles=ADMINISTRATION, today=today),
        "payments_30_days": payments_received(
            user=user, roles=ADMINISTRATION, since=today - datetime.timedelta(days=30)
        ),
        "denial_reasons": top_denial_reasons(user=user, roles=ADMINISTRATION),
        "worker_heartbeat": worker_heartbeat_last(),
    }
    return render(request, "denials/home.html", context)


def _quarantine(request: AuthenticatedRequest) -> QuerySet[StoredFile]:
    return quarantined_files(
        practice_ids=practice_ids_for(user=request.user, roles=BILLING),
        include_unassigned=request.user.is_staff,
    )


@require_GET
@role_required(*BILLING)
def quarantine_list(request: AuthenticatedRequest) -> HttpResponse:
    """Files refused whole (garbled, truncated, unbalanced): nothing of them was applied."""
    return render(request, "denials/quarantine.html", {"files": _quarantine(request)[:200]})


@require_POST
@role_required(*BILLING)
def quarantine_dismiss(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A person looked at the file and dealt with it (e.g. asked the payer for a new one)."""
    stored: StoredFile | None = _quarantine(request).filter(pk=pk).first()
    if stored is None:
        # Not one of the user's billing practices: 404 outside their practices, 403 inside.
        quarantined = StoredFile.objects.filter(status=FileStatus.QUARANTINED)
        scoped_get(quarantined, user=request.user, pk=pk, roles=BILLING)
        raise Http404("No such quarantined file.")
    stored_file_mark(stored=stored, status=FileStatus.DISMISSED, error=stored.error)
    messages.success(request, f"{stored.name} dismissed from the quarantine.")
    return redirect("quarantine")


@require_POST
@role_required(*BILLING)
def claim_bill_next_payer_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Create the claim to the secondary (or tertiary) payer from an adjudicated claim."""
    primary = claim_get(user=request.user, pk=pk, roles=BILLING)
    try:
        secondary = claim_bill_next_payer(primary=primary, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("claim-detail", pk=pk)
    messages.success(
        request,
        f"Claim {secondary.control_number} to {secondary.payer.name} created as a draft, "
        f"with {primary.payer.name}'s payment of ${secondary.other_payer_paid}.",
    )
    return redirect("claim-detail", pk=secondary.pk)

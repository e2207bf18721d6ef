"""The web shell: each role's home page with real counts, and the health check."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from claims.selectors import claim_ar_aging, claim_counts_by_status, claim_list, claim_queue_counts
from denials.selectors import payments_received, top_denial_reasons
from patients.models import EncounterStatus
from patients.visits.selectors import encounter_list, encounters_awaiting_coding
from rcm.audit.models import AuditAction
from rcm.audit.selectors import audit_events_for_practices
from rcm.files.selectors import quarantined_files
from rcm.practice.models import Role
from rcm.practice.permissions import AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for, practice_list, roles_for
from rcm.practice.tasks import HEARTBEAT_KEY
from rcm.web.context_processors import ROLE_HOMES
from rcm.web.middleware import SCOPE_SESSION_KEY

HOME_FOR_ROLE = {role: url_name for role, _label, url_name in ROLE_HOMES}


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Send each user to the home page of their first role."""
    roles = roles_for(user=request.user)
    if not roles:
        return render(request, "web/no_membership.html", status=403)
    return redirect(HOME_FOR_ROLE[roles[0]])


def _today() -> datetime.date:
    return timezone.localdate()


@role_required(Role.CODER, Role.ADMINISTRATOR)
def home_coder(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    waiting = encounters_awaiting_coding(user=user)
    coded = encounter_list(user=user, statuses=[EncounterStatus.CODED])
    context = {
        "waiting_count": waiting.filter(status=EncounterStatus.AWAITING_CODING).count(),
        "in_progress_count": waiting.filter(status=EncounterStatus.CODING_IN_PROGRESS).count(),
        "coded_count": coded.count(),
        "oldest": waiting[:15],
    }
    return render(request, "web/home_coder.html", context)


@role_required(Role.BILLER, Role.ADMINISTRATOR)
def home_biller(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context = {
        "queues": claim_queue_counts(user=user),
        "rejected": claim_list(user=user, queue="rejected")[:10],
        "denied": claim_list(user=user, queue="denied")[:10],
        "quarantine_count": quarantined_files(
            practice_ids=practice_ids_for(user=user, roles=[Role.BILLER, Role.ADMINISTRATOR]),
            include_unassigned=user.is_staff,
        ).count(),
    }
    return render(request, "web/home_biller.html", context)


@role_required(Role.ADMINISTRATOR)
def home_administrator(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = _today()
    by_status = claim_counts_by_status(user=user)
    context = {
        "practices": practice_list(user=user),
        "by_status": by_status,
        "aging": claim_ar_aging(user=user, today=today),
        "payments_30_days": payments_received(user=user, since=today - datetime.timedelta(days=30)),
        "denial_reasons": top_denial_reasons(user=user),
        "worker_heartbeat": _heartbeat(),
    }
    return render(request, "web/home_administrator.html", context)


def _heartbeat() -> datetime.datetime | None:
    stamp = cache.get(HEARTBEAT_KEY)
    return datetime.datetime.fromisoformat(stamp) if stamp else None


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the IT person: is the database up, is Redis up, are workers alive."""
    report: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as error:  # any failure means unhealthy; say which
        report["database"] = f"error: {error.__class__.__name__}"
    try:
        report["worker_heartbeat"] = cache.get(HEARTBEAT_KEY)
        report["redis"] = "ok"
    except Exception as error:
        report["redis"] = f"error: {error.__class__.__name__}"
    healthy = report["database"] == "ok" and report["redis"] == "ok"
    report["status"] = "ok" if healthy else "unhealthy"
    return JsonResponse(report, status=200 if healthy else 503)


@role_required(Role.ADMINISTRATOR)
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who touched which patient data, for the practices this user administers."""
    practice_ids = practice_ids_for(user=request.user, roles=[Role.ADMINISTRATOR])
    events = audit_events_for_practices(practice_ids=practice_ids)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    actor = request.GET.get("actor", "").strip()[:150]
    if actor:
        events = events.filter(actor__username__iexact=actor)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    context = {"page_obj": page, "actions": AuditAction.choices, "action": action, "actor": actor}
    return render(request, "web/audit_log.html", context)


@require_POST
def practice_scope_set(request: AuthenticatedRequest) -> HttpResponse:
    """Work in one of my practices, or in all of them (an empty choice)."""
    choice = request.POST.get("practice", "")
    if choice == "":
        request.session.pop(SCOPE_SESSION_KEY, None)
    elif choice.isdigit() and int(choice) in practice_ids_for(user=request.user, scoped=False):
        request.session[SCOPE_SESSION_KEY] = int(choice)
    else:
        return HttpResponseBadRequest("You are not a member of that practice.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)

"""The web shell: each role's home page with real counts, and the health check."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from claims.selectors import claim_list
from patients.chart import coverage_chart_context, visit_chart_context
from patients.models import Patient
from patients.selectors import (
    coverage_list_for_patient,
    encounters_upcoming,
    patient_chart,
    patient_list,
)
from rcm.practice.models import Role
from rcm.practice.permissions import AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for, roles_for
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


@role_required(Role.FRONT_DESK, Role.ADMINISTRATOR)
def home_front_desk(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    upcoming = encounters_upcoming(user=user, today=_today(), days=7)
    context = {
        "patient_count": patient_list(user=user).count(),
        "upcoming_count": upcoming.count(),
        "upcoming": upcoming[:15],
    }
    return render(request, "web/home_front_desk.html", context)


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


@role_required(*Role.values)
def patient_chart_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A patient's chart: demographics, coverage, encounters, claims. Every view is audited."""
    try:
        patient = patient_chart(user=request.user, pk=pk)
    except Patient.DoesNotExist:
        raise Http404("No such patient.") from None
    context = {
        "patient": patient,
        "coverages": coverage_list_for_patient(patient=patient),
        "encounters": patient.encounters.select_related("rendering_provider"),
        "claims": claim_list(user=request.user).filter(patient=patient),
    }
    context.update(coverage_chart_context(patient=patient, user=request.user))
    context.update(visit_chart_context(patient=patient, user=request.user))
    return render(request, "patients/detail.html", context)


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

"""Practice administration pages: the audit trail of the practices a user administers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rcm.audit.models import AuditAction
from rcm.audit.selectors import audit_events_for_practices
from rcm.practice.permissions import ADMINISTRATION, AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for


@require_GET
@role_required(*ADMINISTRATION)
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who touched which patient data, for the practices this user administers."""
    action = request.GET.get("action", "")
    action = action if action in AuditAction.values else ""
    actor = request.GET.get("actor", "").strip()[:150]
    events = audit_events_for_practices(
        practice_ids=practice_ids_for(user=request.user, roles=ADMINISTRATION),
        action=action,
        actor=actor,
    )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    context = {"page_obj": page, "actions": AuditAction.choices, "action": action, "actor": actor}
    return render(request, "practice/audit_log.html", context)

"""Reads of the audit trail, scoped to the practices the reader administers."""

from __future__ import annotations

from django.db.models import QuerySet

from rcm.audit.models import AuditEvent


def audit_events_for_object(*, table_name: str, object_pk: int | str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        table_name=table_name, object_pk=str(object_pk)
    ).select_related("actor")


def audit_events_for_practices(
    *, practice_ids: list[int], action: str = "", actor: str = ""
) -> QuerySet[AuditEvent]:
    """The practices' audit events, optionally of one action and by one username."""
    events = AuditEvent.objects.filter(practice_id__in=practice_ids).select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__username__iexact=actor)
    return events

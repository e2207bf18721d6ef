"""Reads of the audit trail, scoped to the practices the reader administers.

The trail stores a table name and a primary key per row. To answer "everything that touched this
patient", `record_keys_for` walks from the patient's row to the rows that point at it (coverages,
visits, claims, their lines and payments ...), following foreign keys through the audited tables
only, and `audit_events_search` then finds those rows' events by (table, pk), on the index
`audit_object_idx`. The walk uses Django's model registry, so this floor imports no app.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from functools import cache

from django.db import connection
from django.db.models import Model, Q, QuerySet

from rcm.audit.models import AuditAction, AuditEvent

# Patient → visit → claim → claim payment → line payment → adjustment is the longest chain.
RECORD_WALK_DEPTH = 5


def audit_events_for_object(*, table_name: str, object_pk: int | str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        table_name=table_name, object_pk=str(object_pk)
    ).select_related("actor")


@cache
def audited_tables() -> frozenset[str]:
    """The tables with the audit trigger attached (set by migrations, so fixed per process)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname = c.relname || '_audit'"
        )
        return frozenset(row[0] for row in cursor.fetchall())


def record_keys_for(*, record: Model) -> dict[str, list[str]]:
    """{table: [pk, ...]} of `record` and every audited row that points at it, directly or not.

    One query per audited table reached; a table is entered once, by its shortest path.
    """
    audited = audited_tables()
    model = type(record)
    keys: dict[str, list[str]] = {model._meta.db_table: [str(record.pk)]}
    seen: set[type[Model]] = {model}
    frontier: list[tuple[type[Model], list[object]]] = [(model, [record.pk])]
    for _depth in range(RECORD_WALK_DEPTH):
        reached: list[tuple[type[Model], list[object]]] = []
        for parent, parent_pks in frontier:
            for relation in parent._meta.related_objects:
                child = relation.related_model
                if (
                    relation.many_to_many
                    or not isinstance(child, type)
                    or child in seen
                    or child._meta.db_table not in audited
                ):
                    continue
                seen.add(child)
                # The base manager and no ordering: every row, whatever a default manager hides.
                child_pks = list(
                    child._base_manager.filter(**{f"{relation.field.name}__in": parent_pks})
                    .order_by()
                    .values_list("pk", flat=True)
                )
                if child_pks:
                    keys[child._meta.db_table] = [str(pk) for pk in child_pks]
                    reached.append((child, child_pks))
        frontier = reached
        if not frontier:
            break
    return keys


def audit_events_search(
    *,
    practice_ids: Sequence[int],
    records: Mapping[str, Sequence[str]] | None = None,
    action: str = "",
    actor: str = "",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The practices' audit events, newest first, narrowed by whichever filters are given.

    With `records` ({table: [pk, ...]}, from `record_keys_for`), only the events of those rows:
    rows without a practice column of their own (claim lines, payments) are found this way.
    The caller vouches that the records belong to one of `practice_ids`.
    """
    if records is not None:
        of_records = Q(pk__in=[])
        for table, pks in records.items():
            of_records |= Q(table_name=table, object_pk__in=list(pks))
        events = AuditEvent.objects.filter(of_records).filter(
            Q(practice_id__in=practice_ids) | Q(practice_id__isnull=True)
        )
    else:
        events = AuditEvent.objects.filter(practice_id__in=practice_ids)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__username__iexact=actor)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events.select_related("actor")


def audit_events_for_practices(
    *, practice_ids: list[int], action: str = "", actor: str = ""
) -> QuerySet[AuditEvent]:
    """The practices' audit events, optionally of one action and by one username."""
    return audit_events_search(practice_ids=practice_ids, action=action, actor=actor)


def chart_views(*, patient: Model) -> QuerySet[AuditEvent]:
    """Who opened this patient's chart, and when: newest first, in one query."""
    return (
        AuditEvent.objects.filter(
            action=AuditAction.VIEW,
            table_name=patient._meta.db_table,
            object_pk=str(patient.pk),
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )

"""Practice administration pages: the audit trail of the practices a user administers.

Search it by patient (typed by name, then picked: every event of the patient's own row and of the
rows that point at it), by user, action and dates; page through it or export it as CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, cast

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rcm.audit.models import AuditEvent
from rcm.audit.selectors import audit_events_search, chart_views, record_keys_for
from rcm.practice.audit import (
    audit_patient_get,
    audit_patients_named,
    patient_model,
    patient_names,
)
from rcm.practice.forms import AuditSearchForm
from rcm.practice.models import Practice
from rcm.practice.permissions import ADMINISTRATION, AuthenticatedRequest, role_required
from rcm.practice.selectors import practice_ids_for

AUDIT_PAGE_SIZE = 100
CHART_VIEWS_SHOWN = 20
CSV_HEADER = ["when", "user", "action", "record", "record id", "patient", "practice",
              "from address", "via", "changed"]  # fmt: skip


@require_GET
@role_required(*ADMINISTRATION)
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who touched which patient data, for the practices this user administers."""
    practice_ids = practice_ids_for(user=request.user, roles=ADMINISTRATION)
    form = AuditSearchForm(request.GET)
    context: dict[str, Any] = {"form": form, "patient": None, "candidates": [], "views": []}
    if not form.is_valid():
        return render(request, "practice/audit_log.html", context)
    patient = _patient_chosen(form, practice_ids, context)
    if patient is None and (form.cleaned_data["q"] or form.cleaned_data["patient"]):
        # A name typed and not yet narrowed to one patient: offer the matches to pick from.
        return render(request, "practice/audit_log.html", context)
    records = record_keys_for(record=patient) if patient is not None else None
    events = audit_events_search(practice_ids=practice_ids, records=records, **form.filters())
    if request.GET.get("export") == "csv":
        # Streamed (the trail can be long); `role_required` is typed for HttpResponse only.
        return cast(HttpResponse, _csv_response(events, practice_ids=practice_ids, patient=patient))
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    if patient is not None:
        context["views"] = list(chart_views(patient=patient)[:CHART_VIEWS_SHOWN])
    context["page_obj"] = page
    context["rows"] = _rows(page.object_list, practice_ids=practice_ids, patient=patient)
    return render(request, "practice/audit_log.html", context)


def _patient_chosen(
    form: AuditSearchForm, practice_ids: list[int], context: dict[str, Any]
) -> Model | None:
    """The patient picked from the list (kept while it still matches the typed name), or the one
    patient the typed name matches; else the matches are offered in `candidates`."""
    chosen, query = form.cleaned_data["patient"], form.cleaned_data["q"]
    candidates = list(audit_patients_named(practice_ids=practice_ids, query=query)) if query else []
    if chosen and (not query or chosen in {c.pk for c in candidates}):
        patient = audit_patient_get(practice_ids=practice_ids, pk=chosen)
        if patient is None:
            form.add_error(None, "That patient is in none of the practices you administer.")
    elif len(candidates) == 1:
        patient = candidates[0]
    else:
        patient = None
        context["candidates"] = candidates
    context["patient"] = patient
    return patient


def _record_labels() -> dict[str, str]:
    return {m._meta.db_table: str(m._meta.verbose_name).capitalize() for m in apps.get_models()}


def _rows(events: Any, *, practice_ids: list[int], patient: Model | None) -> list[dict[str, Any]]:
    """The page's events with their record named in words (and the patient by name)."""
    events = list(events)
    labels = _record_labels()
    patient_table = patient_model()._meta.db_table
    names = patient_names(
        practice_ids=practice_ids,
        pks=[e.object_pk for e in events if e.table_name == patient_table],
    )
    rows = []
    for event in events:
        rows.append(
            {
                "event": event,
                "record": labels.get(event.table_name, event.table_name),
                "patient": str(_patient_label(patient)) if patient is not None
                else names.get(event.object_pk, "") if event.table_name == patient_table
                else "",
                "changed": _changed(event),
            }
        )  # fmt: skip
    return rows


def _patient_label(patient: Model) -> str:
    return f"{getattr(patient, 'last_name', '')}, {getattr(patient, 'first_name', '')}"


def _changed(event: AuditEvent) -> str:
    if event.action == "update" and isinstance(event.changes, dict):
        return ", ".join(event.changes.keys())
    if event.action == "view" and isinstance(event.changes, dict):
        return str(event.changes.get("detail", ""))
    return ""


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: a leading = + - @ is quoted as text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(
    events: QuerySet[AuditEvent], *, practice_ids: list[int], patient: Model | None
) -> StreamingHttpResponse:
    practices = dict(Practice.objects.filter(pk__in=practice_ids).values_list("pk", "name"))
    labels = _record_labels()
    patient_table = patient_model()._meta.db_table
    writer = csv.writer(_Echo(), lineterminator="\n")

    def lines() -> Iterator[str]:
        yield writer.writerow(CSV_HEADER)
        batch: list[AuditEvent] = []
        for event in events.iterator(chunk_size=2000):
            batch.append(event)
            if len(batch) == 2000:
                yield from _csv_lines(writer, batch, practices, labels, patient, patient_table)
                batch = []
        yield from _csv_lines(writer, batch, practices, labels, patient, patient_table)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _csv_lines(
    writer: Any,
    events: list[AuditEvent],
    practices: dict[int, str],
    labels: dict[str, str],
    patient: Model | None,
    patient_table: str,
) -> Iterator[str]:
    names = patient_names(
        practice_ids=list(practices),
        pks=[e.object_pk for e in events if e.table_name == patient_table],
    )
    for event in events:
        if patient is not None:
            name = _patient_label(patient)
        else:
            name = names.get(event.object_pk, "") if event.table_name == patient_table else ""
        yield writer.writerow(
            [
                _cell(value)
                for value in (
                    event.at.isoformat(),
                    event.actor.username if event.actor else "system",
                    event.get_action_display(),
                    labels.get(event.table_name, event.table_name),
                    event.object_pk,
                    name,
                    practices.get(event.practice_id, "") if event.practice_id else "",
                    event.client_ip or "",
                    event.via,
                    _changed(event),
                )
            ]
        )

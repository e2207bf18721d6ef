"""Reads for the audit-log page: the patients an administrator may look up, found by name.

The patient model lives in an app above this floor, so it is named by the setting
`RCM_AUDIT_PATIENT_MODEL` and loaded by name; it has `practice`, `first_name`, `last_name`,
`date_of_birth` and `mrn`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Q, QuerySet

PATIENT_PICK_LIMIT = 25
_TERMS = re.compile(r"[\s,]+")


def patient_model() -> type[Model]:
    return apps.get_model(settings.RCM_AUDIT_PATIENT_MODEL)


def audit_patients_named(*, practice_ids: list[int], query: str) -> QuerySet[Model]:
    """Patients of `practice_ids` whose names match every term ("Smith Jo", "smith, jo"), any case.

    Each term matches the start of the first or the last name; merged charts are included,
    since their history is part of the trail.
    """
    terms = [term for term in _TERMS.split(query.strip()) if term][:4]
    patients = patient_model()._default_manager.filter(practice_id__in=practice_ids)
    if not terms:
        return patients.none()
    for term in terms:
        patients = patients.filter(Q(last_name__istartswith=term) | Q(first_name__istartswith=term))
    return patients.select_related("practice").order_by(
        "last_name", "first_name", "date_of_birth", "pk"
    )[:PATIENT_PICK_LIMIT]


def audit_patient_get(*, practice_ids: list[int], pk: int) -> Model | None:
    """The patient `pk` if they are in one of `practice_ids`, else None."""
    return (
        patient_model()
        ._default_manager.filter(practice_id__in=practice_ids, pk=pk)
        .select_related("practice")
        .first()
    )


def patient_names(*, practice_ids: list[int], pks: Iterable[str]) -> dict[str, str]:
    """{pk: "Last, First"} of the patient rows named on one page of the trail, in one query."""
    ids = [int(pk) for pk in pks if pk.isascii() and pk.isdigit() and len(pk) < 19]
    if not ids:
        return {}
    patients = patient_model()._default_manager.filter(practice_id__in=practice_ids, pk__in=ids)
    rows = patients.values_list("pk", "last_name", "first_name")
    return {str(pk): f"{last}, {first}" for pk, last, first in rows}

"""Merging duplicate charts: what moves, what stays, the history, and who may do it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from patients.models import Coverage, Encounter, Patient
from patients.registration.services import patient_merge
from rcm.audit.models import AuditEvent
from tests.factories import ClaimFactory, CoverageFactory, EncounterFactory, PatientFactory

BORN = datetime.date(1958, 7, 2)


@pytest.fixture
def kept(practice_a):
    return PatientFactory(
        practice=practice_a, first_name="Ada", last_name="Byron", mrn="KEEP01", date_of_birth=BORN
    )


@pytest.fixture
def duplicate(practice_a):
    return PatientFactory(
        practice=practice_a, first_name="Adah", last_name="Byron", mrn="DUP01", date_of_birth=BORN
    )


def test_merging_moves_coverages_and_visits_and_retires_the_duplicate(
    administrator, kept, duplicate
):
    coverage = CoverageFactory(patient=duplicate, priority=2)
    visit = EncounterFactory(patient=duplicate)

    result = patient_merge(keep=kept, duplicate=duplicate, user=administrator)

    duplicate.refresh_from_db()
    assert (result.coverages_moved, result.encounters_moved) == (1, 1)
    assert Coverage.objects.get(pk=coverage.pk).patient == kept
    assert Encounter.objects.get(pk=visit.pk).patient == kept
    assert duplicate.merged_into == kept
    assert duplicate.is_active is False
    assert list(kept.merged_from.all()) == [duplicate]


def test_claims_stay_with_the_duplicate_which_leads_to_the_kept_chart(
    administrator, kept, duplicate
):
    claim = ClaimFactory(encounter__patient=duplicate)

    patient_merge(keep=kept, duplicate=duplicate, user=administrator)

    claim.refresh_from_db()
    assert claim.patient == duplicate  # the claim is a snapshot of what was billed
    assert claim.patient.merged_into == kept
    assert claim.encounter.patient == kept


def test_the_merge_is_in_the_audit_trail(administrator, kept, duplicate):
    CoverageFactory(patient=duplicate)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    patient_merge(keep=kept, duplicate=duplicate, user=administrator)

    written = AuditEvent.objects.filter(pk__gt=last, action="update")
    tables = set(written.values_list("table_name", flat=True))
    assert {"patients_patient", "patients_coverage"} <= tables


def test_an_overlapping_coverage_is_moved_with_a_warning(administrator, kept, duplicate):
    CoverageFactory(patient=kept, priority=1)
    CoverageFactory(patient=duplicate, priority=1)

    result = patient_merge(keep=kept, duplicate=duplicate, user=administrator)

    assert kept.coverages.count() == 2
    assert len(result.warnings) == 1 and "overlap" in result.warnings[0]


def test_earlier_merges_follow_to_the_kept_chart(administrator, kept, duplicate, practice_a):
    older = PatientFactory(practice=practice_a, mrn="DUP00", date_of_birth=BORN)
    patient_merge(keep=duplicate, duplicate=older, user=administrator)

    patient_merge(keep=kept, duplicate=duplicate, user=administrator)

    older.refresh_from_db()
    assert older.merged_into == kept


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "A chart cannot be merged into itself."),
        ("other practice", "Charts of different practices cannot be merged."),
        ("already merged", "MRN DUP01 has already been merged into another chart."),
    ],
)
def test_impossible_merges_are_refused_and_change_nothing(
    administrator, kept, duplicate, practice_b, case, message
):
    if case == "itself":
        other = kept
    elif case == "other practice":
        other = PatientFactory(practice=practice_b, date_of_birth=BORN)
    else:
        patient_merge(keep=kept, duplicate=duplicate, user=administrator)
        other = duplicate
    visit = EncounterFactory(patient=other)

    with pytest.raises(ValidationError, match=re.escape(message)):
        patient_merge(keep=kept, duplicate=other, user=administrator)

    assert Encounter.objects.get(pk=visit.pk).patient_id == other.pk


def test_only_an_administrator_merges(front_desk, kept, duplicate):
    with pytest.raises(
        PermissionDenied, match="Only an administrator of the practice merges charts"
    ):
        patient_merge(keep=kept, duplicate=duplicate, user=front_desk)
    duplicate.refresh_from_db()
    assert duplicate.is_active and duplicate.merged_into is None


def test_the_merge_page_suggests_compares_and_merges(client, administrator, kept, duplicate):
    CoverageFactory(patient=duplicate)
    client.force_login(administrator)
    url = reverse("patient-merge", args=[kept.pk])

    suggestions = client.get(url)
    assert suggestions.context["suggestions"] == [duplicate]

    compare = client.get(url, {"mrn": "dup01"})
    body = compare.content.decode()
    assert "Keep MRN KEEP01" in body and "Keep MRN DUP01" in body

    unconfirmed = client.post(url, {"other": duplicate.pk, "keep": kept.pk})
    assert unconfirmed.status_code == 400
    assert "Confirm that these charts are the same person." in unconfirmed.content.decode()

    merged = client.post(url, {"other": duplicate.pk, "keep": kept.pk, "confirm": "on"})
    assert merged.status_code == 302
    assert merged.url == reverse("patient-detail", args=[kept.pk])
    chart = client.get(merged.url).content.decode()
    assert "Merged from" in chart and "MRN DUP01" in chart
    old_chart = client.get(reverse("patient-detail", args=[duplicate.pk])).content.decode()
    assert "This chart was merged into" in old_chart


def test_the_administrator_may_keep_the_other_chart(client, administrator, kept, duplicate):
    client.force_login(administrator)
    url = reverse("patient-merge", args=[kept.pk])

    client.post(url, {"other": duplicate.pk, "keep": duplicate.pk, "confirm": "on"})

    kept.refresh_from_db()
    assert kept.merged_into == duplicate


def test_merging_with_itself_on_the_page_is_explained(client, administrator, kept):
    client.force_login(administrator)
    url = reverse("patient-merge", args=[kept.pk])
    response = client.post(url, {"other": kept.pk, "keep": kept.pk, "confirm": "on"})
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.content.decode()
    kept.refresh_from_db()
    assert kept.is_active and kept.merged_into is None


def test_the_merge_page_is_for_administrators_of_the_practice(
    client, front_desk, administrator, kept, practice_b
):
    client.force_login(front_desk)
    assert client.get(reverse("patient-merge", args=[kept.pk])).status_code == 403

    other = PatientFactory(practice=practice_b)
    client.force_login(administrator)
    assert client.get(reverse("patient-merge", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("patient-merge", args=[kept.pk]), {"other": other.pk, "keep": kept.pk}
    )
    assert response.status_code == 404
    for row in (kept, other):
        row.refresh_from_db()
        assert row.is_active and row.merged_into is None
    assert Patient.objects.get(pk=other.pk).merged_into is None

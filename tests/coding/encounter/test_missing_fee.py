"""A procedure with no fee on the schedule: the draft still saves; completion is what it blocks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from patients.models import EncounterStatus
from rcm.practice.models import FeeSchedule, FeeScheduleEntry
from tests.coding.encounter.test_coding_form import form
from tests.factories import EncounterFactory

NO_FEE = "no fee on the schedule for 10/01/2026; enter the charge"


@pytest.fixture
def encounter(icd10cm, practice_a):
    return EncounterFactory(
        patient__practice=practice_a,
        patient__sex="M",
        patient__date_of_birth=datetime.date(1960, 3, 3),
        date_of_service=datetime.date(2026, 10, 1),
        clinical_note="Asthma exacerbation; nebulizer treatment with albuterol.",
    )


def untyped_charges(data):
    return {key: ("" if key.endswith("-charge") else value) for key, value in data.items()}


def test_the_edit_panel_says_a_fee_is_missing(client, coder, encounter):
    client.force_login(coder)

    response = client.post(
        reverse("coding-edits", args=[encounter.pk]),
        untyped_charges(form(["J45.901"], [("94640", [], [1]), ("J7613", [], [1])])),
    )

    assert 'data-rule="fee-missing"' in response.text
    assert f"Line 1 (94640): {NO_FEE}" in response.text
    assert f"Line 2 (J7613): {NO_FEE}" in response.text


def test_save_draft_keeps_what_was_typed_without_a_fee(client, coder, encounter):
    client.force_login(coder)
    data = untyped_charges(form(["J45.901"], [("94640", [], [1]), ("J7613", [], [1])]))

    response = client.post(
        reverse("coding-encounter", args=[encounter.pk]), {**data, "action": "save"}
    )

    assert response.status_code == 302
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODING_IN_PROGRESS
    assert list(encounter.diagnoses.values_list("code", flat=True)) == ["J45.901"]
    assert list(encounter.procedure_lines.values_list("code", "charge")) == [
        ("94640", None),
        ("J7613", None),
    ]
    page = client.get(reverse("coding-encounter", args=[encounter.pk]))
    assert page.status_code == 200
    assert f"Line 1 (94640): {NO_FEE}" in page.text


def test_completion_is_blocked_until_there_is_a_fee(client, coder, encounter, practice_a):
    client.force_login(coder)
    url = reverse("coding-encounter", args=[encounter.pk])
    data = untyped_charges(form(["J45.901"], [("94640", [], [1])]))

    refused = client.post(url, {**data, "action": "complete"})

    assert refused.status_code == 400
    assert f"Line 1 (94640): {NO_FEE}" in refused.text
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODING_IN_PROGRESS  # the draft is kept
    assert list(encounter.procedure_lines.values_list("code", "charge")) == [("94640", None)]

    schedule = FeeSchedule.objects.create(
        practice=practice_a, name="Standard", effective_from=datetime.date(2026, 1, 1)
    )
    FeeScheduleEntry.objects.create(schedule=schedule, code="94640", charge=Decimal("42.00"))
    done = client.post(url, {**data, "action": "complete"})

    assert done.status_code == 302
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODED
    assert list(encounter.procedure_lines.values_list("charge", flat=True)) == [Decimal("42.00")]

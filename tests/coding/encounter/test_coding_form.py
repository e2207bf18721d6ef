"""The coding form: save a draft, see live edits, and "Coding complete" only without errors."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from coding.models import EncounterDiagnosis, ProcedureLine
from patients.models import EncounterStatus
from tests.factories import EncounterFactory


@pytest.fixture
def encounter(icd10cm, practice_a):
    return EncounterFactory(
        patient__practice=practice_a,
        patient__sex="M",
        patient__date_of_birth=datetime.date(1960, 3, 3),
        date_of_service=datetime.date(2026, 10, 1),
        clinical_note=(
            "Assessment: type 2 diabetes without complications. Plan: continue metformin."
        ),
    )


def form(diagnoses, lines):
    data = {"dx": diagnoses, "line-count": str(len(lines))}
    for n, (code, modifiers, pointers) in enumerate(lines, start=1):
        data[f"line-{n}-code"] = code
        data[f"line-{n}-units"] = "1"
        data[f"line-{n}-charge"] = "120.00"
        for m, modifier in enumerate(modifiers, start=1):
            data[f"line-{n}-mod{m}"] = modifier
        for p, pointer in enumerate(pointers, start=1):
            data[f"line-{n}-ptr{p}"] = str(pointer)
    return data


def test_the_form_shows_the_note_beside_the_codes(client, coder, encounter):
    client.force_login(coder)
    response = client.get(reverse("coding-encounter", args=[encounter.pk]))
    assert response.status_code == 200
    assert b"type 2 diabetes without complications" in response.content
    assert b"Coding complete" in response.content


def test_save_draft_keeps_the_order_and_lines(client, coder, encounter):
    client.force_login(coder)
    data = form(["E11.9", "I10"], [("99213", [], [1, 2])])
    response = client.post(
        reverse("coding-encounter", args=[encounter.pk]), {**data, "action": "save"}
    )
    assert response.status_code == 302
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODING_IN_PROGRESS
    assert list(encounter.diagnoses.values_list("code", flat=True)) == ["E11.9", "I10"]
    assert list(encounter.procedure_lines.values_list("code", "diagnosis_pointers")) == [
        ("99213", [1, 2])
    ]


def test_an_error_level_edit_blocks_coding_complete(client, coder, encounter):
    client.force_login(coder)
    # A pregnancy code for a male patient: an age/sex conflict, error level.
    data = form(["O09.90", "E11.9"], [("99213", [], [1])])
    response = client.post(
        reverse("coding-encounter", args=[encounter.pk]), {**data, "action": "complete"}
    )
    assert response.status_code == 400
    encounter.refresh_from_db()
    assert encounter.status != EncounterStatus.CODED
    assert b"O09.90" in response.content


def test_clean_coding_completes(client, coder, encounter):
    client.force_login(coder)
    data = form(["E11.9"], [("99213", [], [1])])
    response = client.post(
        reverse("coding-encounter", args=[encounter.pk]), {**data, "action": "complete"}
    )
    assert response.status_code == 302
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODED


def test_live_edits_fragment_reflects_what_is_typed(client, coder, encounter):
    client.force_login(coder)
    url = reverse("coding-edits", args=[encounter.pk])
    header = client.post(url, form(["E11"], [("99213", [], [1])]))
    assert b'data-rule="dx-not-billable"' in header.content
    clean = client.post(url, form(["E11.9"], [("99213", [], [1])]))
    assert b'data-severity="error"' not in clean.content
    assert b"nothing stops" in clean.content


def test_bad_input_is_explained(client, coder, encounter):
    client.force_login(coder)
    data = form(["E11.9"], [("99213", [], [1])])
    data["line-1-units"] = "lots"
    response = client.post(
        reverse("coding-encounter", args=[encounter.pk]), {**data, "action": "save"}
    )
    assert response.status_code == 400
    assert b"is not a number" in response.content
    assert not EncounterDiagnosis.objects.filter(encounter=encounter).exists()
    assert not ProcedureLine.objects.filter(encounter=encounter).exists()
    status = encounter.status
    encounter.refresh_from_db()
    assert encounter.status == status


def test_code_notes_show_excludes1(client, coder, icd10cm):
    client.force_login(coder)
    response = client.get(reverse("coding-code-notes"), {"code": "E11.9", "date": "2026-10-01"})
    assert b"Excludes1" in response.content


def test_suggestions_carry_evidence_and_check_the_chosen_codes(client, coder, encounter):
    client.force_login(coder)
    url = reverse("coding-suggestions", args=[encounter.pk])
    plain = client.get(url)
    assert b"E11.9" in plain.content
    # Each suggestion quotes the phrase of the note that supports it.
    assert "“type 2 diabetes".encode() in plain.content.lower()
    # M17.11 says "right knee"; the note says nothing about a knee.
    checked = client.get(url, {"dx": ["E11.9", "M17.11"]})
    assert b"Documentation:" in checked.content
    assert b"M17.11" in checked.content


def test_an_empty_form_says_what_is_missing_before_complete_is_pressed(client, coder, encounter):
    client.force_login(coder)
    response = client.post(reverse("coding-edits", args=[encounter.pk]), form(["E11.9"], []))
    assert b"Add at least one procedure line." in response.content
    assert b"nothing stops" not in response.content

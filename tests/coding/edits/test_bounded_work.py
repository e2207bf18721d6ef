"""A huge diagnosis or note does bounded work: refused with a message, or cut to the limit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from coding.edits import lookups
from coding.suggest import clauses as suggest_clauses
from coding.suggest import suggest_codes
from tests.coding.encounter.test_coding_form import form
from tests.factories import EncounterFactory


@pytest.fixture
def encounter(icd10cm, practice_a):
    return EncounterFactory(
        patient__practice=practice_a,
        date_of_service=datetime.date(2026, 10, 1),
        clinical_note="Assessment: type 2 diabetes without complications.",
    )


def test_diagnosis_prefixes_are_built_only_for_code_shaped_input():
    huge = "E" * 100_000

    prefixes = lookups.diagnosis_prefixes(["E1165", huge, "S72001A"])

    # E11, E116, E1165 and S72 ... S72001A: nothing of the 100,000-character one.
    assert prefixes == {"E11", "E116", "E1165", "S72", "S720", "S7200", "S72001", "S72001A"}


def test_a_huge_diagnosis_on_the_live_edit_panel_is_refused_in_words(client, coder, encounter):
    client.force_login(coder)

    response = client.post(reverse("coding-edits", args=[encounter.pk]), form(["E" * 100_000], []))

    assert response.status_code == 200
    assert "is not an ICD-10-CM code: codes are at most 8 characters" in response.text


def test_a_huge_diagnosis_is_not_saved(client, coder, encounter):
    client.force_login(coder)

    response = client.post(
        reverse("coding-encounter", args=[encounter.pk]),
        {**form(["E" * 100_000], [("99213", [], [1])]), "action": "save"},
    )

    assert response.status_code == 400
    assert "codes are at most 8 characters" in response.text
    assert not encounter.diagnoses.exists()


def test_suggestions_read_at_most_the_note_limit(icd10cm, monkeypatch):
    seen: list[int] = []
    real = suggest_clauses.clauses_in

    def counting(note):
        seen.append(len(note))
        return real(note)

    monkeypatch.setattr("coding.suggest.clauses_in", counting)

    suggest_codes("Assessment: type 2 diabetes. " * 40_000, on=datetime.date(2026, 10, 1))

    assert seen == [20_000]


@pytest.mark.parametrize("field", ["code", "mod1", "charge", "units", "ptr1"])
def test_a_huge_line_value_is_refused_in_words(client, coder, encounter, field):
    client.force_login(coder)
    data = {**form(["E119"], [("99213", [], [1])]), "action": "save"}
    data[f"line-1-{field}"] = "9" * 100_000

    response = client.post(reverse("coding-encounter", args=[encounter.pk]), data)

    assert response.status_code == 400
    assert "too long" in response.text
    assert not encounter.procedure_lines.exists()

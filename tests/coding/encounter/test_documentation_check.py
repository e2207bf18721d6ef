"""The documentation check: warnings when a code says more than the note does."""

from __future__ import annotations

import pytest

from coding.encounter.doc_check import DocWarning, documentation_warnings


@pytest.fixture
def release(icd10cm):
    return icd10cm


def messages(note: str, *codes: str) -> list[str]:
    return [w.message for w in documentation_warnings(note=note, codes=list(codes))]


def test_a_side_the_note_does_not_give(release):
    warnings = documentation_warnings(
        note="Chronic knee pain, crepitus.\nAssessment: knee osteoarthritis.", codes=["M17.11"]
    )

    assert warnings == [
        DocWarning("M17.11", "M17.11 says right knee; the note doesn't say which knee.")
    ]


def test_a_side_the_note_contradicts(release):
    assert messages("Assessment: left knee osteoarthritis.", "M17.11") == [
        "M17.11 says right knee; the note says left."
    ]


@pytest.mark.parametrize(
    ("note", "code"),
    [
        ("Assessment: left knee osteoarthritis.", "M17.12"),
        ("Both TMs bulging. Assessment: acute otitis media.", "H66.93"),
        ("Assessment: type 2 diabetes mellitus without complications.", "E11.9"),
        ("T2DM, uncontrolled, A1c 10.", "E11.65"),
        ("Recheck: left ankle sprain, healing well.", "S93.402D"),
        ("Twisted right ankle yesterday. Assessment: right ankle sprain.", "S93.401A"),
        ("CKD 3a, eGFR 50.", "N18.31"),
        ("Mild intermittent asthma.", "J45.20"),
        ("Chronic systolic heart failure, stable.", "I50.22"),
        ("Assessment: essential hypertension.", "I10"),
    ],
)
def test_a_note_that_supports_the_code_has_no_warning(release, note, code):
    assert messages(note, code) == []


def test_diabetes_type(release):
    assert messages("Diabetes, sugars fine.", "E11.9") == [
        "E11.9 says type 2 diabetes; the note doesn't say which type."
    ]
    assert messages("Type 1 diabetes on a pump.", "E11.9") == [
        "E11.9 says type 2 diabetes; the note says type 1."
    ]


def test_episode_of_care(release):
    assert messages("Follow-up of right ankle sprain, healing.", "S93.401A") == [
        "S93.401A says initial encounter; the note reads like a follow-up ('Follow-up')."
    ]
    assert messages("Right ankle sprain yesterday.", "S93.401D") == [
        "S93.401D says subsequent encounter; the note doesn't say this is a follow-up."
    ]


def test_acuity_stage_and_type_of_the_condition(release):
    assert messages("CKD stage 3b.", "N18.31") == [
        "N18.31 says stage 3a; the note doesn't state that stage."
    ]
    assert messages("Systolic heart failure, EF 30%.", "I50.22") == [
        "I50.22 says chronic; the note doesn't."
    ]
    assert messages("Atrial fibrillation, rate controlled.", "I48.0") == [
        "I48.0 says paroxysmal; the note doesn't."
    ]
    assert messages("Asthma, doing well.", "J45.20") == [
        "J45.20 says mild; the note doesn't.",
        "J45.20 says intermittent; the note doesn't.",
    ]


def test_a_code_that_does_not_exist(release):
    assert messages("Anything.", "E11") == ["E11 is not a billable ICD-10-CM code."]
    assert messages("Type 2 diabetes.", "e119") == []

"""Code suggestions from the note: negation, history, laterality, specificity, evidence, recall."""

from __future__ import annotations

import time
from datetime import date

import pytest

from coding.suggest import Suggestion, suggest_codes


def codes_for(note: str, **kwargs) -> list[str]:
    return [s.code for s in suggest_codes(note, **kwargs)]


@pytest.fixture
def release(icd10cm):
    return icd10cm


def test_every_suggestion_cites_a_phrase_of_the_note(release):
    note = (
        "S: 61 yo F with T2DM and HTN, sugars in the 250s.\n"
        "A/P: 1. Type 2 DM, uncontrolled - increase metformin. 2. Essential hypertension.\n"
        "3. Hyperlipidemia - continue statin."
    )

    suggestions = suggest_codes(note)

    assert [s.code for s in suggestions][:3] == ["E11.65", "I10", "E78.5"]
    for suggestion in suggestions:
        assert isinstance(suggestion, Suggestion)
        assert suggestion.evidence and suggestion.evidence in note
        assert 0 < suggestion.score <= 1
        assert suggestion.description


def test_a_denied_symptom_is_not_suggested(release):
    note = "Hypertension follow-up. Denies chest pain, palpitations or dizziness.\nA: HTN."

    assert codes_for(note) == ["I10"]


@pytest.mark.parametrize(
    ("note", "absent"),
    [
        ("No fever. Assessment: acute bronchitis.", "R50.9"),
        ("Rapid strep test negative. Assessment: viral pharyngitis.", "J02.0"),
        ("Cough for a week. Rule out pneumonia. Assessment: acute bronchitis.", "J18.9"),
        ("Possible UTI, culture pending. Assessment: dysuria.", "N39.0"),
    ],
)
def test_negated_and_uncertain_conditions_are_not_coded(release, note, absent):
    assert absent not in codes_for(note)


def test_history_of_a_condition_is_the_personal_history_code(release):
    note = "Left calf pain. History of DVT in 2020, treated. Doppler today: no DVT."

    codes = codes_for(note)

    assert "Z86.718" in codes
    assert not any(code.startswith("I82") for code in codes)


def test_family_history_is_the_family_history_code(release):
    note = "Here for screening mammogram. Mother had breast cancer at 50."

    codes = codes_for(note)

    assert codes[:2] == ["Z12.31", "Z80.3"] or set(codes[:2]) == {"Z12.31", "Z80.3"}
    assert not any(code.startswith("C50") for code in codes)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Left TM red and bulging.\nAssessment: acute otitis media.", "H66.92"),
        ("Assessment: bilateral acute otitis media.", "H66.93"),
        ("Assessment: otitis media.", "H66.90"),
        ("Both knees ache. Assessment: primary osteoarthritis of both knees.", "M17.0"),
        ("Assessment: right knee osteoarthritis.", "M17.11"),
        ("Assessment: impacted cerumen, left ear.", "H61.22"),
    ],
)
def test_the_side_the_note_gives_picks_the_code(release, note, expected):
    assert codes_for(note)[0] == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Assessment: moderate persistent asthma with acute exacerbation.", "J45.41"),
        ("Assessment: asthma.", "J45.909"),
        ("Assessment: COPD exacerbation.", "J44.1"),
        ("Assessment: GERD with esophagitis.", "K21.00"),
        ("Assessment: GERD without esophagitis.", "K21.9"),
        ("Assessment: CKD stage 3b.", "N18.32"),
        ("Assessment: paroxysmal atrial fibrillation.", "I48.0"),
        ("Assessment: major depressive disorder, recurrent, moderate.", "F33.1"),
        ("Assessment: migraine without aura.", "G43.009"),
        ("Assessment: sprain of right ankle.", "S93.401A"),
        ("Follow-up visit, healing well. Assessment: left ankle sprain.", "S93.402D"),
    ],
)
def test_the_most_specific_code_the_words_support(release, note, expected):
    assert codes_for(note)[0] == expected


def test_a_child_gets_the_child_examination_code(release):
    assert codes_for("Annual physical, 6-year-old, exam normal.")[0] == "Z00.129"
    assert codes_for("Annual physical, 46-year-old, exam normal.")[0] == "Z00.00"


def test_bmi_is_coded_only_with_a_weight_diagnosis(release):
    assert "Z68.32" in codes_for("45-year-old. BMI 32.4. Assessment: obesity.")
    assert not any(c.startswith("Z68") for c in codes_for("45-year-old, BMI 32.4. A: GERD."))


def test_hypertension_with_ckd_is_the_combination_code(release):
    codes = codes_for("Assessment: hypertension; CKD stage 3a.")

    assert "I12.9" in codes and "N18.31" in codes and "I10" not in codes


def test_a_diagnosis_outside_the_term_list_is_found_by_its_description(release):
    assert codes_for("Sudden facial droop.\nAssessment: Bell's palsy.")[0] == "G51.0"


def test_the_assessment_outranks_symptoms_from_the_history(release):
    note = "HPI: burning on urination and frequency.\nAssessment: urinary tract infection."

    assert codes_for(note)[0] == "N39.0"


def test_limit_empty_notes_and_dates_before_any_release(release):
    note = "A/P: HTN; hyperlipidemia; GERD; hypothyroidism; vitamin D deficiency; obesity."

    assert len(codes_for(note, limit=3)) == 3
    assert codes_for("   ") == []
    assert codes_for(note, on=date(1990, 1, 1)) == []


def test_later_calls_are_fast(release):
    note = "Assessment: type 2 diabetes mellitus without complications; essential hypertension."
    suggest_codes(note)

    started = time.perf_counter()
    for _ in range(10):
        suggest_codes(note)

    assert (time.perf_counter() - started) / 10 < 0.5


def test_the_labelled_set_keeps_its_recall(release):
    from bench.eval_suggest import evaluate, scores

    results, _ = evaluate()
    exact = scores(results, category=False)

    assert len(results) >= 60
    # Measured 1.00 / 0.99 on this set (docs/PERFORMANCE.md); the floors catch regressions.
    assert exact.recall >= 0.93
    assert exact.precision >= 0.85

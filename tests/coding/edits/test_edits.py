"""Coding edits: each rule firing and not firing, on the real ICD-10-CM and NCCI-shaped rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from coding.edits import Edit, LineInput, encounter_edits, run_edits
from coding.edits.notes import references_in
from coding.models import MedicallyUnlikelyEdit, NcciPtpEdit
from tests.factories import (
    EncounterDiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    ProcedureLineFactory,
)

DOS = date(2026, 5, 1)
ADULT = date(1970, 1, 1)


def edits_for(
    diagnoses: list[str],
    lines: list[LineInput] | None = None,
    *,
    sex: str = "F",
    born: date = ADULT,
) -> list[Edit]:
    return run_edits(
        date_of_service=DOS, sex=sex, date_of_birth=born, diagnoses=diagnoses,
        lines=lines if lines is not None else [LineInput("99213", pointers=(1,))],
    )  # fmt: skip


def rules(edits: list[Edit]) -> set[str]:
    return {edit.rule for edit in edits}


def ptp(column1: str, column2: str, indicator: str) -> NcciPtpEdit:
    return NcciPtpEdit.objects.create(
        column1=column1, column2=column2, modifier_indicator=indicator,
        effective_date=date(2020, 1, 1), source="test",
    )  # fmt: skip


def test_note_references_cover_wildcards_ranges_and_tails():
    (wildcard,) = references_in("gestational diabetes (O24.4-)")
    assert wildcard.matches("O24410") and not wildcard.matches("O2401")
    (span,) = references_in("pancreas (K85-K86.-)")
    assert span.matches("K8681") and not span.matches("K87")
    (tail,) = references_in("diabetes mellitus (E08-E13 with .42)")
    assert tail.matches("E1142") and not tail.matches("E1140")
    assert references_in("(B27.0-B27.9 with fifth character 1)") == []


@pytest.mark.usefixtures("icd10cm")
class TestDiagnoses:
    def test_a_billable_code_passes(self):
        assert not [e for e in edits_for(["E11.9"]) if e.severity == "error"]

    def test_unknown_code_is_invalid(self):
        (edit,) = [e for e in edits_for(["E11.99"]) if e.rule == "dx-invalid"]
        assert edit.severity == "error" and edit.target == "dx:1" and "E11.99" in edit.message

    def test_category_suggests_a_billable_child(self):
        (edit,) = [e for e in edits_for(["E11"]) if e.rule == "dx-not-billable"]
        assert "E11.9" in edit.message

    def test_missing_seventh_character(self):
        (edit,) = [e for e in edits_for(["S52.501"]) if e.rule == "dx-seventh-character"]
        assert "S52.501A" in edit.message
        assert "dx-seventh-character" not in rules(edits_for(["S52.501A"]))

    def test_excludes1_via_the_category_note(self):
        # E11 (the category) excludes type 1 diabetes (E10.-); neither chosen code says so itself.
        edits = [e for e in edits_for(["E11.9", "E10.9"]) if e.rule == "dx-excludes1"]
        assert len(edits) == 1 and edits[0].target == "dx:2"

    def test_excludes2_is_not_an_edit(self):
        # L89 (pressure ulcer) has Excludes2 for L97.- (non-pressure ulcer): both may be coded.
        assert "dx-excludes1" not in rules(edits_for(["L89.152", "L97.412"]))

    def test_manifestation_listed_first(self):
        edits = edits_for(["G63", "E85.4"])
        assert "dx-manifestation-first" in rules(edits)
        assert "dx-manifestation-first" not in rules(edits_for(["E85.4", "G63"]))

    def test_code_first_underlying_condition(self):
        (edit,) = [e for e in edits_for(["I10", "D63.1", "N18.4"]) if e.rule == "dx-code-first"]
        assert edit.severity == "warning" and "N18.4" in edit.message
        assert "dx-code-first" not in rules(edits_for(["N18.4", "D63.1"]))

    def test_use_additional_code_reminder(self):
        (edit,) = [e for e in edits_for(["E11.9"]) if e.rule == "dx-use-additional"]
        assert edit.severity == "info" and "Z79.4" in edit.message
        assert "dx-use-additional" not in rules(edits_for(["E11.9", "Z79.4"]))


@pytest.mark.usefixtures("icd10cm")
class TestAgeAndSex:
    def test_pregnancy_code_for_a_male(self):
        (edit,) = [e for e in edits_for(["O80"], sex="M") if e.rule == "dx-sex-conflict"]
        assert edit.severity == "error"
        assert "dx-sex-conflict" not in rules(edits_for(["O80"], sex="F"))

    def test_pregnancy_code_outside_maternity_ages(self):
        assert "dx-age-conflict" in rules(edits_for(["O80"], born=date(1950, 1, 1)))

    def test_newborn_code_for_an_adult(self):
        (edit,) = [e for e in edits_for(["Z38.00"]) if e.rule == "dx-age-conflict"]
        assert edit.severity == "error"
        assert "dx-age-conflict" not in rules(edits_for(["Z38.00"], born=date(2026, 4, 28)))

    def test_perinatal_code_later_in_life_is_a_warning(self):
        (edit,) = [e for e in edits_for(["P27.1"]) if e.rule == "dx-age-conflict"]
        assert edit.severity == "warning"

    def test_prostate_code_for_a_female_and_unknown_sex(self):
        assert "dx-sex-conflict" in rules(edits_for(["N40.0"], sex="F"))
        assert "dx-sex-conflict" not in rules(edits_for(["N40.0"], sex="M"))
        assert "dx-sex-conflict" not in rules(edits_for(["N40.0"], sex="U"))


@pytest.mark.usefixtures("icd10cm")
class TestPointers:
    def test_line_without_pointer_and_pointer_past_the_list(self):
        edits = edits_for(["E11.9"], [LineInput("99213"), LineInput("81002", pointers=(2,))])
        assert {("line-no-pointer", "line:1"), ("line-pointer-invalid", "line:2")} <= {
            (e.rule, e.target) for e in edits
        }

    def test_diagnosis_no_line_points_at(self):
        edits = edits_for(["E11.9", "I10"])
        assert [e.target for e in edits if e.rule == "dx-not-pointed"] == ["dx:2"]


@pytest.mark.django_db
class TestProcedures:
    def test_em_with_a_procedure_needs_25(self):
        lines = [LineInput("99214", pointers=(1,)), LineInput("17000", pointers=(1,))]
        (edit,) = [e for e in edits_for(["L57.0"], lines) if e.rule == "em-needs-25"]
        assert edit.target == "line:1" and "99214" in edit.message
        lines[0] = LineInput("99214", ("25",), pointers=(1,))
        assert "em-needs-25" not in rules(edits_for(["L57.0"], lines))

    def test_em_alone_needs_no_25(self):
        assert "em-needs-25" not in rules(edits_for(["L57.0"]))

    def test_indicator_1_pair_cleared_by_59(self):
        ptp("17000", "11102", "1")
        lines = [LineInput("17000", pointers=(1,)), LineInput("11102", pointers=(1,))]
        (edit,) = [e for e in edits_for(["L57.0"], lines) if e.rule == "ncci-ptp"]
        assert edit.target == "line:2" and "59" in edit.message
        lines[1] = LineInput("11102", ("59",), pointers=(1,))
        assert "ncci-ptp" not in rules(edits_for(["L57.0"], lines))

    def test_indicator_0_pair_not_cleared_by_59(self):
        ptp("93000", "93010", "0")
        lines = [LineInput("93000", pointers=(1,)), LineInput("93010", ("59",), pointers=(1,))]
        assert "ncci-ptp" in rules(edits_for(["I10"], lines))

    def test_deleted_pair_no_longer_applies(self):
        NcciPtpEdit.objects.create(
            column1="93000", column2="93010", modifier_indicator="0",
            effective_date=date(2020, 1, 1), deletion_date=date(2026, 1, 1), source="test",
        )  # fmt: skip
        lines = [LineInput("93000", pointers=(1,)), LineInput("93010", pointers=(1,))]
        assert "ncci-ptp" not in rules(edits_for(["I10"], lines))

    def test_mue_line_edit_is_an_error(self):
        MedicallyUnlikelyEdit.objects.create(
            code="20610", max_units=2, adjudication_indicator="1",
            effective_date=date(2026, 1, 1), source="test",
        )  # fmt: skip
        over = [LineInput("20610", units=Decimal(3), pointers=(1,))]
        (edit,) = [e for e in edits_for(["M17.0"], over) if e.rule == "mue-units"]
        assert edit.severity == "error"
        within = [LineInput("20610", units=Decimal(2), pointers=(1,))]
        assert "mue-units" not in rules(edits_for(["M17.0"], within))

    def test_mue_date_of_service_edit_adds_lines_and_warns(self):
        MedicallyUnlikelyEdit.objects.create(
            code="17003", max_units=13, adjudication_indicator="2",
            effective_date=date(2026, 1, 1), source="test",
        )  # fmt: skip
        lines = [LineInput("17003", units=Decimal(8), pointers=(1,))] * 2
        (edit,) = [e for e in edits_for(["L57.0"], lines) if e.rule == "mue-units"]
        assert edit.severity == "warning" and "16" in edit.message


@pytest.mark.usefixtures("icd10cm")
def test_encounter_edits_reads_the_saved_coding():
    patient = PatientFactory(sex="M")
    encounter = EncounterFactory(patient=patient, date_of_service=DOS)
    EncounterDiagnosisFactory(encounter=encounter, position=1, code="O80")
    ProcedureLineFactory(encounter=encounter, position=1, code="99213", diagnosis_pointers=[1])
    assert "dx-sex-conflict" in rules(encounter_edits(encounter=encounter))

"""Saving and completing the coded encounter: order, charges from the fee schedule, checks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coding.encounter.services import (
    ProcedureLineInput,
    encounter_coding_complete,
    encounter_coding_save,
)
from coding.models import EncounterDiagnosis, ProcedureLine
from patients.models import EncounterStatus
from rcm.practice.services import fee_schedule_set
from tests.factories import (
    CoverageFactory,
    EncounterDiagnosisFactory,
    EncounterFactory,
    PayerFactory,
)

DOS = datetime.date(2026, 10, 1)


@pytest.fixture
def encounter(practice_a, icd10cm):
    # Completing runs the edits, which check each code against the release in force: load it
    # here rather than rely on an earlier test having left it behind.
    fee_schedule_set(
        practice=practice_a,
        name="Standard",
        effective_from=datetime.date(2026, 1, 1),
        charges={"99213": Decimal("150.00"), "36415": Decimal("15.00"), "J3301": Decimal("8.25")},
    )
    return EncounterFactory(patient__practice=practice_a, date_of_service=DOS)


def _coded(encounter):
    return (
        list(encounter.diagnoses.values_list("position", "code")),
        list(
            encounter.procedure_lines.values_list(
                "position", "code", "modifiers", "units", "diagnosis_pointers", "charge"
            )
        ),
    )


def test_saving_replaces_the_coding_in_order_with_charges_from_the_schedule(encounter, coder):
    EncounterDiagnosisFactory(encounter=encounter, position=1, code="R51.9")

    encounter_coding_save(
        encounter=encounter,
        diagnoses=["e119", "I10 "],
        user=coder,
        lines=[
            ProcedureLineInput(code="99213", modifiers=["25"], diagnosis_pointers=[1, 2]),
            ProcedureLineInput(code="j3301", units=Decimal("4"), diagnosis_pointers=[2]),
            ProcedureLineInput(code="36415", charge=Decimal("12")),
        ],
    )

    diagnoses, lines = _coded(encounter)
    assert diagnoses == [(1, "E11.9"), (2, "I10")]
    assert lines == [
        (1, "99213", ["25"], Decimal("1.00"), [1, 2], Decimal("150.00")),
        (2, "J3301", [], Decimal("4.00"), [2], Decimal("33.00")),
        (3, "36415", [], Decimal("1.00"), [1], Decimal("12.00")),
    ]
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODING_IN_PROGRESS
    assert encounter.assigned_coder == coder


def test_a_payer_specific_fee_wins_over_the_standard_one(encounter, coder):
    payer = PayerFactory()
    CoverageFactory(patient=encounter.patient, payer=payer)
    fee_schedule_set(
        practice=encounter.practice,
        name="Northwind",
        payer=payer,
        effective_from=datetime.date(2026, 1, 1),
        charges={"99213": Decimal("131.00")},
    )

    encounter_coding_save(
        encounter=encounter, diagnoses=["I10"], user=coder, lines=[ProcedureLineInput(code="99213")]
    )

    assert encounter.procedure_lines.get().charge == Decimal("131.00")


def test_bad_codes_are_refused_line_by_line_and_the_old_coding_stays(encounter, coder):
    EncounterDiagnosisFactory(encounter=encounter, position=1, code="R51.9")

    with pytest.raises(ValidationError) as error:
        encounter_coding_save(
            encounter=encounter,
            diagnoses=["E11.9", "not a code", "E119"],
            user=coder,
            lines=[
                ProcedureLineInput(code="9921", modifiers=["25", "RT", "LT", "59", "XS"]),
                ProcedureLineInput(code="99213", units=Decimal("0"), diagnosis_pointers=[1, 1]),
            ],
        )

    messages = error.value.message_dict
    assert "'not a code' is not an ICD-10-CM code." in messages["diagnoses"]
    assert "E11.9 is listed twice." in messages["diagnoses"]
    assert any(m == "Line 1: '9921' is not a CPT or HCPCS code." for m in messages["lines"])
    assert any("at most 4 modifiers" in m for m in messages["lines"])
    assert any("units must be between" in m for m in messages["lines"])
    assert any("pointer is repeated" in m for m in messages["lines"])
    assert list(encounter.diagnoses.values_list("code", flat=True)) == ["R51.9"]


def test_a_code_missing_from_the_fee_schedule_is_saved_and_blocks_completion(encounter, coder):
    # Issue 9: a missing fee used to refuse the draft (and lose the coder's work); now the
    # draft keeps the line without a charge and the fee-missing edit blocks completion.
    encounter_coding_save(
        encounter=encounter, diagnoses=["R00.2"], user=coder,
        lines=[ProcedureLineInput(code="93000", diagnosis_pointers=[1])],
    )  # fmt: skip

    assert list(
        ProcedureLine.objects.filter(encounter=encounter).values_list("code", "charge")
    ) == [("93000", None)]
    with pytest.raises(ValidationError, match=r"93000\): no fee on the schedule"):
        encounter_coding_complete(encounter=encounter, user=coder)
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODING_IN_PROGRESS


def test_a_scheduled_or_billed_encounter_cannot_be_coded(practice_a, coder):
    for status, hint in (
        (EncounterStatus.SCHEDULED, "ready for coding"),
        (EncounterStatus.BILLED, "Correct the claim"),
    ):
        encounter = EncounterFactory(patient__practice=practice_a, status=status)
        with pytest.raises(ValidationError, match=hint):
            encounter_coding_save(encounter=encounter, diagnoses=["I10"], lines=[], user=coder)


def test_completing_makes_the_encounter_coded(encounter, coder):
    encounter_coding_save(
        encounter=encounter, diagnoses=["I10"], user=coder, lines=[ProcedureLineInput(code="99213")]
    )

    encounter_coding_complete(encounter=encounter, user=coder)

    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODED


def test_completion_needs_a_diagnosis_a_line_and_pointers_that_exist(encounter, coder):
    encounter_coding_save(
        encounter=encounter,
        diagnoses=["I10"],
        user=coder,
        lines=[
            ProcedureLineInput(code="99213", diagnosis_pointers=[1, 3]),
            ProcedureLineInput(code="36415", diagnosis_pointers=[]),
        ],
    )

    with pytest.raises(ValidationError) as error:
        encounter_coding_complete(encounter=encounter, user=coder)

    assert error.value.messages == [
        "Line 1 (99213): diagnosis pointer 3 points at no diagnosis (the encounter has 1).",
        "Line 2 (36415): point it at a diagnosis.",
    ]
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODING_IN_PROGRESS


def test_an_uncoded_encounter_cannot_be_completed(encounter, coder):
    with pytest.raises(ValidationError) as error:
        encounter_coding_complete(encounter=encounter, user=coder)

    assert error.value.messages == [
        "Add at least one diagnosis.",
        "Add at least one procedure line.",
    ]
    assert not EncounterDiagnosis.objects.filter(encounter=encounter).exists()


def test_saving_a_coded_encounter_reopens_it(encounter, coder):
    encounter_coding_save(
        encounter=encounter, diagnoses=["I10"], user=coder, lines=[ProcedureLineInput(code="99213")]
    )
    encounter_coding_complete(encounter=encounter, user=coder)

    encounter_coding_save(
        encounter=encounter,
        diagnoses=["I10", "E78.5"],
        user=coder,
        lines=[ProcedureLineInput(code="99213", diagnosis_pointers=[1, 2])],
    )

    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODING_IN_PROGRESS
    assert encounter.diagnoses.count() == 2

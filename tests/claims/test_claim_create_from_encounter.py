"""A claim is a faithful snapshot of the coded encounter, billed to the primary coverage."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, ClaimEvent
from claims.services import claim_create_from_encounter
from claims.state import ClaimStatus
from coding.models import EncounterDiagnosis
from patients.models import EncounterStatus, Relationship
from tests.factories import (
    CoverageFactory,
    EncounterDiagnosisFactory,
    EncounterFactory,
    PayerFactory,
    ProcedureLineFactory,
)

DOS = datetime.date(2026, 10, 1)


def _coded_encounter(practice, **extra):
    encounter = EncounterFactory(
        patient__practice=practice,
        date_of_service=DOS,
        status=EncounterStatus.CODED,
        place_of_service="11",
        prior_authorization=extra.pop("prior_authorization", ""),
    )
    EncounterDiagnosisFactory(encounter=encounter, position=1, code="M17.11")
    EncounterDiagnosisFactory(encounter=encounter, position=2, code="E11.9")
    ProcedureLineFactory(
        encounter=encounter,
        position=1,
        code="99213",
        modifiers=["25"],
        diagnosis_pointers=[2, 1],
        charge=Decimal("150.00"),
    )
    ProcedureLineFactory(
        encounter=encounter,
        position=2,
        code="20610",
        modifiers=["RT"],
        diagnosis_pointers=[1],
        charge=Decimal("190.00"),
    )
    ProcedureLineFactory(
        encounter=encounter,
        position=3,
        code="J3301",
        units=Decimal("4"),
        diagnosis_pointers=[1],
        charge=Decimal("32.00"),
    )
    return encounter


@pytest.fixture
def encounter(practice_a):
    encounter = _coded_encounter(practice_a, prior_authorization="PA778")
    CoverageFactory(
        patient=encounter.patient,
        priority=1,
        payer=PayerFactory(name="Northwind"),
        effective_date=datetime.date(2026, 1, 1),
    )
    CoverageFactory(
        patient=encounter.patient,
        priority=2,
        payer=PayerFactory(name="Contoso"),
        effective_date=datetime.date(2026, 1, 1),
    )
    return encounter


def test_the_claim_snapshots_the_coded_encounter(encounter, biller):
    claim = claim_create_from_encounter(encounter=encounter, user=biller)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert claim.payer.name == "Northwind"
    assert claim.coverage.priority == 1
    assert (claim.practice, claim.patient, claim.rendering_provider) == (
        encounter.practice,
        encounter.patient,
        encounter.rendering_provider,
    )
    assert (claim.service_date_from, claim.service_date_to, claim.place_of_service) == (
        DOS,
        DOS,
        "11",
    )
    assert claim.prior_authorization == "PA778"
    assert claim.total_charge == Decimal("372.00")
    assert list(claim.diagnoses.values_list("position", "code")) == [(1, "M1711"), (2, "E119")]
    assert list(
        claim.lines.values_list(
            "position",
            "control_number",
            "procedure_code",
            "modifiers",
            "units",
            "diagnosis_pointers",
            "charge",
            "service_date",
        )
    ) == [
        (
            1,
            f"{claim.control_number}-1",
            "99213",
            ["25"],
            Decimal("1"),
            [2, 1],
            Decimal("150.00"),
            DOS,
        ),
        (
            2,
            f"{claim.control_number}-2",
            "20610",
            ["RT"],
            Decimal("1"),
            [1],
            Decimal("190.00"),
            DOS,
        ),
        (3, f"{claim.control_number}-3", "J3301", [], Decimal("4"), [1], Decimal("32.00"), DOS),
    ]


def test_the_timeline_starts_with_the_creation_and_the_encounter_is_billed(encounter, biller):
    claim = claim_create_from_encounter(encounter=encounter, user=biller)

    event = ClaimEvent.objects.get(claim=claim)
    assert (event.from_status, event.to_status, event.user) == ("", ClaimStatus.DRAFT, biller)
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.BILLED


def test_the_snapshot_does_not_follow_later_coding_changes(encounter, biller):
    claim = claim_create_from_encounter(encounter=encounter, user=biller)

    EncounterDiagnosis.objects.filter(encounter=encounter, position=1).update(code="M17.12")

    assert claim.diagnoses.get(position=1).code == "M1711"


def test_control_numbers_are_unique_and_name_the_claim(practice_a, biller):
    claims = []
    for _ in range(3):
        encounter = _coded_encounter(practice_a)
        CoverageFactory(patient=encounter.patient, effective_date=datetime.date(2026, 1, 1))
        claims.append(claim_create_from_encounter(encounter=encounter, user=biller))

    numbers = [claim.control_number for claim in claims]
    assert len(set(numbers)) == 3
    assert all(number == f"C{claim.pk:09d}" for number, claim in zip(numbers, claims, strict=True))
    line_numbers = [n for c in claims for n in c.lines.values_list("control_number", flat=True)]
    assert len(set(line_numbers)) == 9


def test_an_encounter_is_billed_once(encounter, biller):
    claim_create_from_encounter(encounter=encounter, user=biller)

    with pytest.raises(ValidationError, match="this one is billed"):
        claim_create_from_encounter(encounter=encounter, user=biller)

    assert Claim.objects.filter(encounter=encounter).count() == 1


def test_an_uncoded_encounter_is_not_billed(practice_a, biller):
    encounter = EncounterFactory(
        patient__practice=practice_a, status=EncounterStatus.CODING_IN_PROGRESS
    )

    with pytest.raises(ValidationError, match="Only a coded encounter can be billed"):
        claim_create_from_encounter(encounter=encounter, user=biller)


def test_without_primary_coverage_on_the_date_nothing_is_written(practice_a, biller):
    encounter = _coded_encounter(practice_a)
    CoverageFactory(
        patient=encounter.patient,
        effective_date=datetime.date(2025, 1, 1),
        termination_date=datetime.date(2026, 9, 30),
    )
    CoverageFactory(patient=encounter.patient, priority=2, effective_date=datetime.date(2025, 1, 1))

    with pytest.raises(ValidationError, match="no primary insurance in force on 10/01/2026"):
        claim_create_from_encounter(encounter=encounter, user=biller)

    assert not Claim.objects.filter(encounter=encounter).exists()
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODED


def test_a_dependent_is_billed_on_the_subscribers_coverage(practice_a, biller):
    encounter = _coded_encounter(practice_a)
    coverage = CoverageFactory(
        patient=encounter.patient,
        relationship=Relationship.CHILD,
        subscriber_first_name="Sam",
        subscriber_last_name="Parent",
        subscriber_date_of_birth=datetime.date(1975, 2, 2),
        effective_date=datetime.date(2026, 1, 1),
    )

    claim = claim_create_from_encounter(encounter=encounter, user=biller)

    assert claim.coverage == coverage

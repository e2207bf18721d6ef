"""The patient's share of a visit: copay, then deductible, then coinsurance, shown in words."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from patients.coverage.eligibility import eligibility_check
from patients.models import EligibilityCheck, EncounterStatus
from patients.visits.estimate import visit_estimate
from rcm.practice.models import FeeSchedule, FeeScheduleEntry
from tests.factories import CoverageFactory, EncounterFactory, PatientFactory

Status = EligibilityCheck.Status


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def coverage(practice_a):
    return CoverageFactory(patient=PatientFactory(practice=practice_a))


@pytest.fixture
def fees(practice_a):
    schedule = FeeSchedule.objects.create(
        practice=practice_a, name="Standard", effective_from=datetime.date(2025, 1, 1)
    )
    for code, charge in {"99213": "150.00", "99203": "200.00", "85025": "50.00"}.items():
        FeeScheduleEntry.objects.create(schedule=schedule, code=code, charge=Decimal(charge))
    return schedule


def benefits(coverage, day, **office_visit):
    figures = {"copay": "25.00", "coinsurance_percent": "20", "deductible_remaining": "100.00"}
    figures.update(office_visit)
    return EligibilityCheck.objects.create(
        practice=coverage.practice,
        coverage=coverage,
        service_date=day,
        status=Status.ACTIVE,
        summary={"active": True, "office_visit": figures},
    )


def test_copay_then_deductible_then_coinsurance(coverage, fees, today):
    benefits(coverage, today)

    estimate = visit_estimate(coverage=coverage, codes=["99213", "85025"], service_date=today)

    # $200 charged: $25 copay, $100 deductible, 20 % of the last $75 = $15.
    assert estimate.total_charge == Decimal("200.00")
    assert estimate.copay == Decimal("25.00")
    assert estimate.deductible == Decimal("100.00")
    assert estimate.coinsurance == Decimal("15.00")
    assert estimate.patient_share == Decimal("140.00")
    assert estimate.plan_pays == Decimal("60.00")
    assert estimate.steps == [
        "Charges: 99213 $150.00 + 85025 $50.00 = $200.00.",
        "Office visit copay: $25.00.",
        "Deductible: $100.00 of the $100.00 still to meet this year.",
        "Coinsurance: 20% of the remaining $75.00 = $15.00.",
        "Estimated patient share: $140.00; the plan would pay $60.00.",
    ]


def test_a_met_deductible_leaves_copay_and_coinsurance(coverage, fees, today):
    benefits(coverage, today, deductible_remaining="0.00")

    estimate = visit_estimate(coverage=coverage, codes=["99213"], service_date=today)

    assert estimate.deductible == Decimal("0.00")
    assert estimate.coinsurance == Decimal("25.00")  # 20 % of $125
    assert estimate.patient_share == Decimal("50.00")


def test_no_copay_without_an_office_visit_code(coverage, fees, today):
    benefits(coverage, today, deductible_remaining="1000.00")

    estimate = visit_estimate(coverage=coverage, codes=["85025"], service_date=today)

    assert estimate.copay == Decimal("0.00")
    assert estimate.patient_share == Decimal("50.00")  # all of it goes to the deductible


def test_the_out_of_pocket_remainder_caps_the_share(coverage, fees, today):
    benefits(coverage, today, out_of_pocket_remaining="30.00")

    estimate = visit_estimate(coverage=coverage, codes=["99213", "85025"], service_date=today)

    assert estimate.patient_share == Decimal("30.00")
    assert "Capped at the $30.00 left of the out-of-pocket maximum." in estimate.steps


def test_coinsurance_rounds_half_up_to_cents(coverage, practice_a, today):
    schedule = FeeSchedule.objects.create(practice=practice_a, name="S", effective_from=today)
    FeeScheduleEntry.objects.create(schedule=schedule, code="85025", charge=Decimal("33.30"))
    benefits(coverage, today, copay=None, deductible_remaining="0.00", coinsurance_percent="15")

    estimate = visit_estimate(coverage=coverage, codes=["85025"], service_date=today)

    assert estimate.coinsurance == Decimal("5.00")  # 15 % of 33.30 = 4.995


def test_without_an_active_check_there_is_no_estimate_but_a_reason(coverage, fees, today):
    estimate = visit_estimate(coverage=coverage, codes=["99213"], service_date=today)

    assert estimate.patient_share is None
    assert estimate.total_charge == Decimal("150.00")
    assert any("check eligibility" in w for w in estimate.warnings)


def test_inactive_coverage_means_the_patient_may_owe_it_all(coverage, fees, today):
    EligibilityCheck.objects.create(
        practice=coverage.practice, coverage=coverage, service_date=today, status=Status.INACTIVE
    )

    estimate = visit_estimate(coverage=coverage, codes=["99213"], service_date=today)

    assert estimate.patient_share == Decimal("150.00")
    assert any("inactive" in w for w in estimate.warnings)


def test_no_coverage_is_self_pay(fees, today):
    estimate = visit_estimate(coverage=None, codes=["99213"], service_date=today)

    # Without a coverage there is no practice to price with: nothing to estimate.
    assert estimate.patient_share is None
    assert estimate.warnings


def test_a_visit_without_coverage_is_self_pay(practice_a, fees, today):
    encounter = EncounterFactory(
        patient__practice=practice_a, date_of_service=today, status=EncounterStatus.SCHEDULED
    )

    estimate = visit_estimate(encounter=encounter)

    assert estimate.coverage is None
    assert estimate.patient_share == Decimal("200.00")  # new patient visit 99203
    assert any("self-pay" in w for w in estimate.warnings)


def test_a_code_without_a_fee_is_left_out_with_a_warning(coverage, fees, today):
    benefits(coverage, today)

    estimate = visit_estimate(coverage=coverage, codes=["99213", "J3490"], service_date=today)

    assert estimate.total_charge == Decimal("150.00")
    assert "J3490 has no fee on the fee schedule; it is left out." in estimate.warnings


def test_nothing_priced_means_nothing_to_estimate(coverage, today):
    benefits(coverage, today)

    estimate = visit_estimate(coverage=coverage, codes=["99213"], service_date=today)

    assert estimate.patient_share is None
    assert any("Nothing to estimate" in w for w in estimate.warnings)


def test_a_scheduled_visit_is_estimated_as_an_established_office_visit(
    coverage, fees, today, front_desk
):
    patient = coverage.patient
    EncounterFactory(patient=patient, date_of_service=today - datetime.timedelta(days=90))
    encounter = EncounterFactory(
        patient=patient, date_of_service=today, status=EncounterStatus.SCHEDULED
    )
    eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    estimate = visit_estimate(encounter=encounter)

    # Sandbox default plan: $25 copay, $1,000 deductible untouched: the rest is deductible.
    assert [line.code for line in estimate.lines] == ["99213"]
    assert estimate.copay == Decimal("25.00")
    assert estimate.deductible == Decimal("125.00")
    assert estimate.patient_share == Decimal("150.00")
    assert estimate.as_dict()["patient_share"] == "150.00"

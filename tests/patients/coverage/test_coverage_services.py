"""Adding and ending insurance coverages, and finding the primary one on a date."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from patients.coverage.selectors import coverage_primary_on
from patients.coverage.services import coverage_create, coverage_terminate
from patients.models import Coverage, Relationship
from tests.factories import PatientFactory, PayerFactory

JAN_1 = datetime.date(2026, 1, 1)


@pytest.fixture
def patient(practice_a):
    return PatientFactory(practice=practice_a)


@pytest.fixture
def payer(db):
    return PayerFactory(name="Northwind Health")


def test_a_coverage_belongs_to_the_patients_practice(patient, payer, front_desk):
    coverage = coverage_create(
        patient=patient,
        payer=payer,
        priority=1,
        member_id=" NW123 ",
        effective_date=JAN_1,
        user=front_desk,
        group_number="G-77",
    )

    assert coverage.practice_id == patient.practice_id
    assert coverage.member_id == "NW123"
    assert coverage.relationship == Relationship.SELF


def test_a_dependent_needs_the_subscribers_name_and_birth_date(patient, payer, front_desk):
    with pytest.raises(ValidationError) as error:
        coverage_create(
            patient=patient,
            payer=payer,
            priority=1,
            member_id="NW1",
            effective_date=JAN_1,
            user=front_desk,
            relationship=Relationship.CHILD,
            subscriber_first_name="Pat",
            # The rest of the subscriber is given: the name and birth date are what is missing.
            subscriber_sex="F",
            subscriber_address1="1 Main St",
            subscriber_city="Springfield",
            subscriber_state="IL",
            subscriber_zip_code="62701",
        )

    assert set(error.value.message_dict) == {"subscriber_last_name", "subscriber_date_of_birth"}
    assert not Coverage.objects.filter(patient=patient).exists()


def test_two_primary_coverages_cannot_overlap(patient, payer, front_desk):
    coverage_create(
        patient=patient,
        payer=payer,
        priority=1,
        member_id="A",
        effective_date=JAN_1,
        user=front_desk,
    )
    other = PayerFactory(name="Contoso Mutual")

    with pytest.raises(ValidationError, match="already has primary coverage with Northwind"):
        coverage_create(
            patient=patient,
            payer=other,
            priority=1,
            member_id="B",
            effective_date=datetime.date(2026, 6, 1),
            user=front_desk,
        )

    assert Coverage.objects.filter(patient=patient).count() == 1


def test_a_new_primary_may_start_after_the_old_one_ends(patient, payer, front_desk):
    old = coverage_create(
        patient=patient,
        payer=payer,
        priority=1,
        member_id="A",
        effective_date=JAN_1,
        user=front_desk,
    )
    coverage_terminate(coverage=old, termination_date=datetime.date(2026, 5, 31), user=front_desk)
    new = coverage_create(
        patient=patient,
        payer=PayerFactory(),
        priority=1,
        member_id="B",
        effective_date=datetime.date(2026, 6, 1),
        user=front_desk,
    )

    assert coverage_primary_on(patient=patient, day=datetime.date(2026, 5, 31)) == old
    assert coverage_primary_on(patient=patient, day=datetime.date(2026, 6, 1)) == new
    assert coverage_primary_on(patient=patient, day=datetime.date(2025, 12, 31)) is None


def test_a_coverage_cannot_end_before_it_starts(patient, payer, front_desk):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        coverage_create(
            patient=patient,
            payer=payer,
            priority=1,
            member_id="A",
            effective_date=JAN_1,
            termination_date=datetime.date(2025, 12, 1),
            user=front_desk,
        )


def test_an_inactive_payer_is_refused(patient, front_desk):
    retired = PayerFactory(is_active=False)

    with pytest.raises(ValidationError, match="no longer active"):
        coverage_create(
            patient=patient,
            payer=retired,
            priority=1,
            member_id="A",
            effective_date=JAN_1,
            user=front_desk,
        )

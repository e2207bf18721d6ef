"""Checking eligibility end to end through the sandbox payer: 270 out, 271 in, in words."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from patients.coverage.eligibility import SERVICE_TYPES, eligibility_check
from patients.models import EligibilityCheck, Relationship
from rcm.clearinghouse.gateway import TransportError
from rcm.files.models import Direction, FileKind
from rcm.files.services import stored_file_read
from rcm.practice.models import ClearinghouseConnection
from tests.factories import CoverageFactory, PatientFactory

Status = EligibilityCheck.Status


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def coverage(practice_a):
    return CoverageFactory(
        patient=PatientFactory(practice=practice_a), payer__claim_filing_indicator="CI"
    )


def test_an_active_coverage_reads_as_active_with_its_benefits(coverage, front_desk, today):
    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.status == Status.ACTIVE
    assert check.answered_at is not None
    assert check.requested_by == front_desk
    summary = check.summary
    assert summary["active"] is True
    assert summary["plan"] == coverage.payer.name
    office = summary["office_visit"]
    # The sandbox's default plan profile: $1,000 deductible, 20 % coinsurance, $25 copay.
    assert office["copay"] == "25.00"
    assert office["coinsurance_percent"] == "20"
    assert office["deductible"] == "1000.00"
    assert office["deductible_remaining"] == "1000.00"
    assert [s["name"] for s in summary["service_types"]] == list(SERVICE_TYPES.values())
    assert all(b["description"] for b in summary["benefits"])
    assert summary["rejections"] == []


def test_every_check_keeps_its_270_and_271(coverage, front_desk, today):
    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.request_file.kind == FileKind.ELIGIBILITY_270
    assert check.request_file.direction == Direction.OUTBOUND
    assert check.request_file.practice_id == coverage.practice_id
    request = stored_file_read(stored=check.request_file).decode()
    assert f"NM1*IL*1*{coverage.patient.last_name}" in request
    assert "EQ*98" in request and "EQ*30" in request
    assert check.response_file.kind == FileKind.ELIGIBILITY_271
    assert check.response_file.direction == Direction.INBOUND
    assert b"EB*1" in stored_file_read(stored=check.response_file)


def test_checking_twice_keeps_two_checks_with_their_own_files(coverage, front_desk, today):
    first = eligibility_check(coverage=coverage, service_date=today, user=front_desk)
    second = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert first.pk != second.pk
    assert first.response_file_id != second.response_file_id
    assert coverage.eligibility_checks.count() == 2


def test_a_terminated_coverage_reads_as_inactive(practice_a, front_desk, today):
    coverage = CoverageFactory(
        patient__practice=practice_a,
        effective_date=today - datetime.timedelta(days=400),
        termination_date=today - datetime.timedelta(days=30),
    )

    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.status == Status.INACTIVE
    assert check.summary["active"] is False
    assert check.summary["benefits"][0]["description"] == "Inactive"


def test_an_unknown_member_is_an_error_with_the_reason_in_words(coverage, front_desk, today):
    # The payer's roster has never heard of this member id (the change is not saved).
    coverage.member_id = "UNKNOWN999"

    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.status == Status.ERROR
    assert "Subscriber/insured not found" in check.error
    assert "Please correct and resubmit" in check.error
    assert check.summary["rejections"][0]["reason"] == "Subscriber/insured not found"
    assert check.summary["active"] is False
    assert check.response_file is not None


def test_a_dependent_is_asked_about_under_the_subscriber(practice_a, front_desk, today):
    coverage = CoverageFactory(
        patient=PatientFactory(practice=practice_a, first_name="Lily", last_name="Stone"),
        relationship=Relationship.CHILD,
        subscriber_first_name="Mara",
        subscriber_last_name="Stone",
        subscriber_date_of_birth=datetime.date(1980, 2, 3),
    )

    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    request = stored_file_read(stored=check.request_file).decode()
    assert "NM1*IL*1*Stone*Mara" in request
    assert "NM1*03*1*Stone*Lily" in request
    assert "HL*4*3*23*0" in request
    assert check.status == Status.ACTIVE


def test_a_transport_error_is_kept_as_an_error_with_the_request(
    coverage, front_desk, today, monkeypatch
):
    def refuse(self, request_270):
        raise TransportError("connection refused by the clearinghouse")

    monkeypatch.setattr("rcm.clearinghouse.sandbox.transport.SandboxTransport.eligibility", refuse)

    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.status == Status.ERROR
    assert "could not be reached" in check.error
    assert "connection refused" in check.error
    assert check.request_file is not None
    assert check.response_file is None
    assert check.answered_at is not None


def test_a_misconfigured_connection_is_an_error_not_a_crash(coverage, front_desk, today):
    ClearinghouseConnection.objects.create(
        practice=coverage.practice, transport="sftp", config={"password": "env:NO_SUCH_VAR_X"}
    )

    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.status == Status.ERROR
    assert "NO_SUCH_VAR_X" in check.error


def test_an_unreadable_answer_is_an_error_and_the_answer_is_kept(
    coverage, front_desk, today, monkeypatch
):
    monkeypatch.setattr(
        "rcm.clearinghouse.sandbox.transport.SandboxTransport.eligibility",
        lambda self, request: b"this is not X12",
    )

    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.status == Status.ERROR
    assert "could not be read" in check.error
    assert stored_file_read(stored=check.response_file) == b"this is not X12"


def test_a_request_that_cannot_be_built_is_an_error(coverage, front_desk, today):
    coverage.member_id = ""

    check = eligibility_check(coverage=coverage, service_date=today, user=front_desk)

    assert check.status == Status.ERROR
    assert "member id" in check.error
    assert check.request_file is None

"""Every coded visit billed: to the primary payer, to the patient (self-pay), or onto the list."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from claims import billing
from claims.billing import encounter_bill, encounters_bill_sweep
from claims.models import (
    BillingFix,
    BillingIssueReason,
    Claim,
    ClaimStatus,
    EncounterBillingIssue,
    FrequencyCode,
    SelfPayCharge,
)
from claims.scrub_types import ERROR, ScrubEdit, ScrubResult
from claims.tasks import bill_coded_visits_task, bill_encounter_task
from coding.models import ProcedureLine
from patients.models import Encounter, EncounterStatus
from rcm.practice.models import Practice, Provider
from tests.factories import (
    ClaimFactory,
    CoverageFactory,
    EncounterDiagnosisFactory,
    EncounterFactory,
    PayerFactory,
    ProcedureLineFactory,
)

DOS = datetime.date(2026, 10, 1)


def coded_visit(practice, *, charges=("150.00", "40.00"), **fields) -> Encounter:
    encounter: Encounter = EncounterFactory(
        patient__practice=practice, date_of_service=DOS, status=EncounterStatus.CODED, **fields
    )
    EncounterDiagnosisFactory(encounter=encounter, position=1, code="E11.9")
    for position, charge in enumerate(charges, start=1):
        ProcedureLineFactory(
            encounter=encounter,
            position=position,
            code=["99213", "36415", "85025"][position - 1],
            charge=None if charge is None else Decimal(charge),
        )
    return encounter


def insured(encounter: Encounter, name: str = "Northwind", priority: int = 1, **payer):
    return CoverageFactory(
        patient=encounter.patient,
        priority=priority,
        payer=PayerFactory(name=name, **payer),
        effective_date=datetime.date(2026, 1, 1),
    )


@pytest.fixture
def visit(practice_a):
    encounter = coded_visit(practice_a)
    insured(encounter, "Northwind", 1)
    insured(encounter, "Contoso", 2)
    return encounter


def open_issue(encounter: Encounter) -> EncounterBillingIssue:
    return EncounterBillingIssue.objects.get(encounter=encounter, resolved_at=None)


# --- billed --------------------------------------------------------------------------------------


def test_a_coded_visit_is_billed_to_its_primary_payer_and_scrubbed_ready(visit, biller):
    outcome = encounter_bill(encounter_id=visit.pk, user=biller)

    claim = Claim.objects.get(encounter=visit)
    assert outcome.claims == [claim] and outcome.held == [] and outcome.billed
    assert claim.payer.name == "Northwind"
    assert claim.status == ClaimStatus.READY
    assert claim.total_charge == Decimal("190.00")
    assert list(claim.events.values_list("to_status", flat=True)) == ["draft", "ready"]
    visit.refresh_from_db()
    assert visit.status == EncounterStatus.BILLED
    assert not EncounterBillingIssue.objects.exists()


def test_a_claim_the_scrubber_holds_stays_draft(visit, biller, monkeypatch):
    monkeypatch.setattr(
        billing,
        "claim_scrub",
        lambda *, claim, user: ScrubResult(
            edits=[ScrubEdit(edit="payer_id", severity=ERROR, message="Payer id missing.")]
        ),
    )

    outcome = encounter_bill(encounter_id=visit.pk, user=biller)

    [claim] = outcome.claims
    assert outcome.held == [claim]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.DRAFT


def test_billing_twice_makes_one_claim(visit, biller):
    encounter_bill(encounter_id=visit.pk, user=biller)

    again = encounter_bill(encounter_id=visit.pk, user=biller)

    assert again.claims == [] and again.skipped == "The visit is already billed."
    assert Claim.objects.filter(encounter=visit).count() == 1


def test_a_visit_not_coded_is_left_alone(practice_a, biller):
    encounter = EncounterFactory(patient__practice=practice_a, status=EncounterStatus.SCHEDULED)

    outcome = encounter_bill(encounter_id=encounter.pk, user=biller)

    assert outcome.skipped == "The visit is scheduled, not coded."
    assert not Claim.objects.exists() and not EncounterBillingIssue.objects.exists()


def test_an_unknown_visit_is_skipped_not_an_error(db):
    assert encounter_bill(encounter_id=987654, user=None).skipped == "No such visit."


# --- not billed: the reason in words and the fix -----------------------------------------------


def test_no_coverage_in_force_lands_on_the_list_then_bills_once_fixed(practice_a, biller):
    encounter = coded_visit(practice_a)
    CoverageFactory(  # ended before the visit
        patient=encounter.patient,
        effective_date=datetime.date(2025, 1, 1),
        termination_date=datetime.date(2026, 6, 30),
    )

    outcome = encounter_bill(encounter_id=encounter.pk, user=biller)

    issue = open_issue(encounter)
    assert outcome.issue == issue and not outcome.billed
    assert issue.reason == BillingIssueReason.NO_COVERAGE
    assert issue.fix == BillingFix.COVERAGE
    assert issue.message == (
        f"{encounter.patient.full_name} has no primary insurance in force on 10/01/2026: add or "
        "correct their coverage, or mark the visit self-pay."
    )
    assert not Claim.objects.exists()
    assert Encounter.objects.get(pk=encounter.pk).status == EncounterStatus.CODED

    insured(encounter)
    fixed = encounter_bill(encounter_id=encounter.pk, user=biller)

    assert len(fixed.claims) == 1
    issue.refresh_from_db()
    assert issue.resolved_at is not None


def test_an_invalid_rendering_npi_points_to_the_providers_page(practice_a, biller):
    encounter = coded_visit(practice_a)
    insured(encounter)
    Provider.objects.filter(pk=encounter.rendering_provider_id).update(npi="1234567890")

    encounter_bill(encounter_id=encounter.pk, user=biller)

    issue = open_issue(encounter)
    assert (issue.reason, issue.fix) == (BillingIssueReason.RENDERING_NPI, BillingFix.PROVIDERS)
    assert issue.message == (
        f"The rendering provider {encounter.rendering_provider}: NPI 1234567890 is not valid "
        "(this NPI's check digit is wrong: check for a mistyped digit)."
    )
    assert not Claim.objects.exists()


def test_a_missing_billing_npi_is_named(practice_a, biller):
    encounter = coded_visit(practice_a)
    insured(encounter)
    Practice.objects.filter(pk=practice_a.pk).update(npi="")

    encounter_bill(encounter_id=encounter.pk, user=biller)

    issue = open_issue(encounter)
    assert issue.reason == BillingIssueReason.BILLING_NPI
    assert issue.message == f"The billing provider {practice_a.name}: no NPI is on file."


@pytest.mark.parametrize("charge", [None, "0.00"])
def test_a_line_without_a_charge_points_to_the_coding_form(practice_a, biller, charge):
    encounter = coded_visit(practice_a, charges=("150.00", charge))
    insured(encounter)

    encounter_bill(encounter_id=encounter.pk, user=biller)

    issue = open_issue(encounter)
    assert (issue.reason, issue.fix) == (BillingIssueReason.NO_CHARGE, BillingFix.CODING)
    assert issue.message == (
        "Line 2 (36415) has no charge: enter one, or add the code to the fee schedule."
    )


def test_a_visit_without_lines_is_named(practice_a, biller):
    encounter = coded_visit(practice_a, charges=())
    insured(encounter)

    encounter_bill(encounter_id=encounter.pk, user=biller)

    issue = open_issue(encounter)
    assert issue.reason == BillingIssueReason.NO_CODES
    assert issue.message == "The coded visit has no service line: complete its coding."


def test_trying_again_keeps_one_open_issue_with_the_latest_reason(practice_a, biller):
    encounter = coded_visit(practice_a, charges=("150.00", None))

    encounter_bill(encounter_id=encounter.pk, user=biller)  # no charge
    assert open_issue(encounter).reason == BillingIssueReason.NO_CHARGE
    ProcedureLine.objects.filter(encounter=encounter).update(charge=10)
    encounter_bill(encounter_id=encounter.pk, user=biller)  # now: no coverage

    issue = open_issue(encounter)
    assert (issue.reason, issue.attempts) == (BillingIssueReason.NO_COVERAGE, 2)
    assert EncounterBillingIssue.objects.count() == 1


def test_a_cancelled_visit_leaves_the_list(practice_a, biller):
    encounter = coded_visit(practice_a)
    encounter_bill(encounter_id=encounter.pk, user=biller)
    Encounter.objects.filter(pk=encounter.pk).update(status=EncounterStatus.CANCELLED)

    encounter_bill(encounter_id=encounter.pk, user=biller)

    assert not EncounterBillingIssue.objects.filter(resolved_at=None).exists()


# --- self-pay ------------------------------------------------------------------------------------


def test_a_self_pay_visit_is_owed_by_the_patient_and_no_payer_is_billed(practice_a, biller):
    encounter = coded_visit(practice_a, self_pay=True)
    insured(encounter)  # insured, but the patient asked to pay this visit themselves
    Provider.objects.filter(pk=encounter.rendering_provider_id).update(npi="")  # no payer: moot

    outcome = encounter_bill(encounter_id=encounter.pk, user=biller)

    charge = SelfPayCharge.objects.get()
    assert outcome.self_pay == charge and outcome.claims == []
    assert (charge.encounter, charge.patient, charge.amount) == (
        encounter,
        encounter.patient,
        Decimal("190.00"),
    )
    assert [line["procedure"] for line in charge.lines] == ["99213", "36415"]
    assert not Claim.objects.exists()
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.BILLED
    assert encounter.events.last().note == "Self-pay: $190.00 owed by the patient."
    assert encounter_bill(encounter_id=encounter.pk, user=biller).skipped
    assert SelfPayCharge.objects.count() == 1


# --- one visit, one claim per payer --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_racing_workers_bill_a_visit_once(practice_a):
    encounter = coded_visit(practice_a)
    insured(encounter)
    workers = 6
    start = threading.Barrier(workers)
    outcomes: list[str] = []

    def bill() -> None:
        try:
            start.wait()
            outcome = encounter_bill(encounter_id=encounter.pk, user=None)
            outcomes.append("billed" if outcome.claims else outcome.skipped)
        finally:
            connection.close()

    threads = [threading.Thread(target=bill) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["The visit is already billed."] * (workers - 1) + ["billed"]
    assert Claim.objects.filter(encounter=encounter).count() == 1
    assert encounter.events.filter(to_status=EncounterStatus.BILLED).count() == 1


def test_the_database_refuses_a_second_original_claim_for_one_visit_and_coverage(practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a)

    with (
        pytest.raises(IntegrityError, match="claim_one_original_per_coverage"),
        transaction.atomic(),
    ):
        ClaimFactory(encounter=claim.encounter, coverage=claim.coverage)

    assert Claim.objects.count() == 1


def test_a_replacement_a_void_and_a_voided_claim_may_share_the_visit(practice_a):
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.VOID)
    same = {"encounter": claim.encounter, "coverage": claim.coverage}
    live = ClaimFactory(**same)  # the voided one no longer counts
    ClaimFactory(**same, frequency_code=FrequencyCode.CORRECTED, original_claim=live)
    ClaimFactory(**same, frequency_code=FrequencyCode.VOID, original_claim=live)
    secondary = CoverageFactory(patient=claim.patient, priority=2)
    ClaimFactory(encounter=claim.encounter, coverage=secondary, primary_claim=live)

    assert Claim.objects.filter(encounter=claim.encounter).count() == 5


# --- the trigger, the task and the sweep ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_completing_the_coding_bills_the_visit_through_a_worker(
    practice_a, coder, icd10cm, celery_worker_on_queue
):
    from coding.encounter.services import encounter_coding_complete

    encounter = coded_visit(practice_a, charges=("150.00",))
    Encounter.objects.filter(pk=encounter.pk).update(status=EncounterStatus.CODING_IN_PROGRESS)
    insured(encounter)

    encounter_coding_complete(encounter=encounter, user=coder)  # commits: on_commit enqueues

    # Created, then scrubbed in its own transaction: wait for the scrubbed claim.
    celery_worker_on_queue.wait_for(
        lambda: Claim.objects.filter(encounter=encounter, status=ClaimStatus.READY).exists()
    )
    assert Claim.objects.filter(encounter=encounter).count() == 1
    assert Encounter.objects.get(pk=encounter.pk).status == EncounterStatus.BILLED


def test_coding_names_the_task_claims_registers():
    from coding.encounter.services import BILL_ENCOUNTER_TASK
    from rcm.celery import app

    assert bill_encounter_task.name == BILL_ENCOUNTER_TASK
    assert BILL_ENCOUNTER_TASK in app.tasks


def test_the_task_bills_the_visit_and_is_safe_to_run_twice(visit):
    first = bill_encounter_task(visit.pk)
    second = bill_encounter_task(visit.pk)

    claim = Claim.objects.get(encounter=visit)
    assert first == f"billed: {claim.control_number}"
    assert second == "The visit is already billed."


def test_the_sweep_bills_visits_billing_never_ran_for(practice_a):
    forgotten = coded_visit(practice_a)
    insured(forgotten)
    with_issue = coded_visit(practice_a)  # no coverage: already on the list
    encounter_bill(encounter_id=with_issue.pk, user=None)
    just_coded = coded_visit(practice_a)
    insured(just_coded)
    long_ago = datetime.datetime(2026, 10, 2, tzinfo=datetime.UTC)
    Encounter.objects.filter(pk__in=[forgotten.pk, with_issue.pk]).update(updated_at=long_ago)
    Encounter.objects.filter(pk=just_coded.pk).update(
        updated_at=long_ago + datetime.timedelta(hours=1)
    )

    outcomes = encounters_bill_sweep(now=long_ago + datetime.timedelta(minutes=30))

    assert [outcome.encounter_id for outcome in outcomes] == [forgotten.pk]
    assert Claim.objects.filter(encounter=forgotten).exists()
    assert not Claim.objects.filter(encounter=just_coded).exists()  # its own task is on its way
    assert open_issue(with_issue).attempts == 1


def test_the_beat_task_is_scheduled(db, settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "claims.tasks.bill_coded_visits_task" in entries
    assert bill_coded_visits_task() == 0

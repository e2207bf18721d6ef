"""The eligibility sweep of upcoming visits, and the front-desk worklist it feeds."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from patients.models import EligibilityCheck, EncounterStatus
from patients.tasks import eligibility_sweep_task
from patients.visits.selectors import eligibility_worklist
from tests.factories import CoverageFactory, EncounterFactory, PatientFactory

Status = EligibilityCheck.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def sandbox_in_tmp(settings):
    settings.RCM_ELIGIBILITY_SWEEP_DAYS = 3
    settings.RCM_ELIGIBILITY_STALE_DAYS = 7


@pytest.fixture
def today():
    return timezone.localdate()


def visit(practice, day, *, covered=True, status=EncounterStatus.SCHEDULED, **coverage):
    patient = PatientFactory(practice=practice)
    if covered:
        CoverageFactory(patient=patient, **coverage)
    return EncounterFactory(patient=patient, date_of_service=day, status=status)


def old_check(encounter, *, days_ago, status=Status.ACTIVE, service_date=None):
    check = EligibilityCheck.objects.create(
        practice=encounter.practice,
        coverage=encounter.patient.coverages.get(),
        service_date=service_date or encounter.date_of_service,
        status=status,
        error="The payer could not answer: Subscriber/insured not found."
        if status == "error"
        else "",
    )
    EligibilityCheck.objects.filter(pk=check.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return check


def test_the_sweep_checks_upcoming_visits_once(practice_a, today):
    tomorrow = visit(practice_a, today + DAY)
    in_three_days = visit(practice_a, today + 3 * DAY)

    assert eligibility_sweep_task() == 2
    assert eligibility_sweep_task() == 0  # idempotent: nothing left to check

    for encounter in (tomorrow, in_three_days):
        [check] = encounter.eligibility_checks.all()
        assert check.status == Status.ACTIVE
        assert check.service_date == encounter.date_of_service
        assert check.requested_by is None


def test_the_sweep_leaves_what_does_not_need_it(practice_a, today):
    far = visit(practice_a, today + 10 * DAY)
    past = visit(practice_a, today - DAY)
    coded = visit(practice_a, today, status=EncounterStatus.AWAITING_CODING)
    cancelled = visit(practice_a, today, status=EncounterStatus.CANCELLED)
    uninsured = visit(practice_a, today + DAY, covered=False)
    fresh = visit(practice_a, today + DAY)
    old_check(fresh, days_ago=2)

    assert eligibility_sweep_task() == 0
    for encounter in (far, past, coded, cancelled, uninsured):
        assert not EligibilityCheck.objects.filter(encounter=encounter).exists()
    assert fresh.patient.coverages.get().eligibility_checks.count() == 1


def test_a_stale_check_or_one_for_another_date_is_redone(practice_a, today):
    stale = visit(practice_a, today + DAY)
    old_check(stale, days_ago=8)
    other_date = visit(practice_a, today + 2 * DAY)
    old_check(other_date, days_ago=1, service_date=today - 30 * DAY)

    assert eligibility_sweep_task() == 2
    assert stale.eligibility_checks.get().status == Status.ACTIVE
    assert other_date.eligibility_checks.get().service_date == today + 2 * DAY


def test_the_sweep_window_follows_the_setting(settings, practice_a, today):
    settings.RCM_ELIGIBILITY_SWEEP_DAYS = 10
    visit(practice_a, today + 9 * DAY)

    assert eligibility_sweep_task() == 1


def test_the_sweep_is_scheduled_on_its_own_queue():
    entry = django_settings.CELERY_BEAT_SCHEDULE["eligibility-sweep"]
    assert entry["task"] == "patients.tasks.eligibility_sweep_task"
    route = django_settings.CELERY_TASK_ROUTES["patients.tasks.eligibility_sweep_task"]
    assert route == {"queue": "eligibility"}


def test_the_worklist_names_each_problem_in_words(practice_a, front_desk, today):
    uninsured = visit(practice_a, today + DAY, covered=False)
    unchecked = visit(practice_a, today + DAY)
    inactive = visit(practice_a, today + 2 * DAY)
    old_check(inactive, days_ago=1, status=Status.INACTIVE)
    failed = visit(practice_a, today + 2 * DAY)
    old_check(failed, days_ago=1, status=Status.ERROR)
    stale = visit(practice_a, today + 3 * DAY)
    old_check(stale, days_ago=9)
    other_date = visit(practice_a, today + 3 * DAY)
    old_check(other_date, days_ago=1, service_date=today - 40 * DAY)
    fine = visit(practice_a, today + DAY)
    old_check(fine, days_ago=1)

    rows = {row.encounter.pk: row for row in eligibility_worklist(user=front_desk)}

    assert fine.pk not in rows
    assert "No primary insurance covers" in rows[uninsured.pk].problem
    assert rows[unchecked.pk].problem == "Eligibility has not been checked for this visit."
    assert "not active" in rows[inactive.pk].problem
    assert rows[inactive.pk].level == "danger"
    assert "Subscriber/insured not found" in rows[failed.pk].problem
    assert "more than 7 days ago" in rows[stale.pk].problem
    assert "not the visit date" in rows[other_date.pk].problem


def test_after_the_sweep_only_real_problems_remain(practice_a, front_desk, today):
    visit(practice_a, today + DAY)
    terminated = visit(
        practice_a,
        today + DAY,
        effective_date=today - 400 * DAY,
        termination_date=today + DAY,
    )
    # The coverage ends the day of the visit (still covered); make another whose payer
    # says no: a coverage the roster cannot see as active on the date.
    unknown = visit(practice_a, today + 2 * DAY)
    coverage = unknown.patient.coverages.get()
    coverage.effective_date = today + 5 * DAY  # starts after the visit: not primary on the date
    coverage.save()

    eligibility_sweep_task()
    rows = {row.encounter.pk: row for row in eligibility_worklist(user=front_desk)}

    assert terminated.pk not in rows
    assert list(rows) == [unknown.pk]
    assert "No primary insurance covers" in rows[unknown.pk].problem


def test_the_worklist_is_fenced_by_practice_and_role(
    practice_a, practice_b, front_desk, biller, today
):
    visit(practice_b, today + DAY)
    mine = visit(practice_a, today + DAY)

    assert [row.encounter.pk for row in eligibility_worklist(user=front_desk)] == [mine.pk]
    assert eligibility_worklist(user=biller) == []


def test_eligibility_worklist_page_queries_do_not_grow_with_rows(
    client, front_desk, practice_a, django_assert_max_num_queries
):
    from django.urls import reverse

    from tests.factories import EncounterFactory

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(front_desk)
    EncounterFactory(patient__practice=practice_a, status="scheduled", date_of_service=tomorrow)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("eligibility-worklist"))
    for _ in range(10):
        EncounterFactory(patient__practice=practice_a, status="scheduled", date_of_service=tomorrow)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("eligibility-worklist"))
    assert page.status_code == 200

"""Changing the order of coverages: primary, secondary and tertiary swap atomically."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patients.coverage.services import coverage_move
from tests.factories import CoverageFactory, PatientFactory

JAN_1 = datetime.date(2026, 1, 1)


@pytest.fixture
def patient(practice_a):
    return PatientFactory(practice=practice_a)


def priorities(*coverages):
    for coverage in coverages:
        coverage.refresh_from_db()
    return [coverage.priority for coverage in coverages]


def test_moving_the_secondary_up_swaps_it_with_the_primary(patient, front_desk):
    primary = CoverageFactory(patient=patient, priority=1, effective_date=JAN_1)
    secondary = CoverageFactory(patient=patient, priority=2, effective_date=JAN_1)

    moved = coverage_move(coverage=secondary, direction="up", user=front_desk)

    assert moved.priority == 1
    assert priorities(primary, secondary) == [2, 1]


def test_moving_down_from_secondary_makes_it_tertiary(patient, front_desk):
    primary = CoverageFactory(patient=patient, priority=1)
    secondary = CoverageFactory(patient=patient, priority=2)
    tertiary = CoverageFactory(patient=patient, priority=3)

    coverage_move(coverage=secondary, direction="down", user=front_desk)

    assert priorities(primary, secondary, tertiary) == [1, 3, 2]


def test_a_move_with_nobody_in_the_way_only_changes_that_coverage(patient, front_desk):
    ended_primary = CoverageFactory(
        patient=patient, priority=1, effective_date=datetime.date(2020, 1, 1),
        termination_date=datetime.date(2020, 12, 31),
    )  # fmt: skip
    secondary = CoverageFactory(patient=patient, priority=2, effective_date=JAN_1)

    coverage_move(coverage=secondary, direction="up", user=front_desk)

    assert priorities(ended_primary, secondary) == [1, 1]


@pytest.mark.parametrize(("priority", "direction"), [(1, "up"), (3, "down")])
def test_the_ends_of_the_order_cannot_move_further(patient, front_desk, priority, direction):
    coverage = CoverageFactory(patient=patient, priority=priority)

    with pytest.raises(ValidationError, match="cannot move"):
        coverage_move(coverage=coverage, direction=direction, user=front_desk)

    assert priorities(coverage) == [priority]


def test_a_swap_that_would_overlap_another_coverage_changes_nothing(patient, front_desk):
    # The secondary only covers 2026; the primary is open-ended from 2025. Swapping would put
    # the old primary at secondary, where it overlaps the 2025 secondary: refuse it all.
    old_secondary = CoverageFactory(
        patient=patient, priority=2, effective_date=datetime.date(2025, 1, 1),
        termination_date=datetime.date(2025, 12, 31),
    )  # fmt: skip
    primary = CoverageFactory(patient=patient, priority=1, effective_date=datetime.date(2025, 1, 1))
    secondary = CoverageFactory(
        patient=patient,
        priority=2,
        effective_date=JAN_1,
        termination_date=datetime.date(2026, 12, 31),
    )

    with pytest.raises(ValidationError, match="already has secondary coverage"):
        coverage_move(coverage=secondary, direction="up", user=front_desk)

    assert priorities(old_secondary, primary, secondary) == [2, 1, 2]


def test_the_move_button_reorders_and_the_chart_shows_it(client, front_desk, patient):
    CoverageFactory(patient=patient, priority=1, payer__name="Alpha Plan")
    secondary = CoverageFactory(patient=patient, priority=2, payer__name="Beta Plan")
    client.force_login(front_desk)

    response = client.post(reverse("coverage-move", args=[secondary.pk]), {"direction": "up"})

    assert response.status_code == 302
    chart = client.get(response["Location"]).content.decode()
    assert "Beta Plan is now the primary coverage." in chart
    assert chart.index("<strong>Primary:</strong> Beta Plan") < chart.index("Alpha Plan")


def test_the_move_button_explains_a_refusal(client, front_desk, patient):
    primary = CoverageFactory(patient=patient, priority=1)
    client.force_login(front_desk)

    response = client.post(
        reverse("coverage-move", args=[primary.pk]), {"direction": "up"}, follow=True
    )

    assert "already primary; it cannot move up" in response.content.decode()
    assert priorities(primary) == [1]


def test_moving_needs_a_post_the_right_role_and_the_right_practice(
    client, front_desk, biller, patient, practice_b
):
    secondary = CoverageFactory(patient=patient, priority=2)
    b_coverage = CoverageFactory(patient__practice=practice_b, priority=2)
    url = reverse("coverage-move", args=[secondary.pk])

    client.force_login(front_desk)
    assert client.get(url).status_code == 405
    b_url = reverse("coverage-move", args=[b_coverage.pk])
    assert client.post(b_url, {"direction": "up"}).status_code == 404
    client.force_login(biller)
    assert client.post(url, {"direction": "up"}).status_code == 403

    assert priorities(secondary, b_coverage) == [2, 2]


def test_the_only_coverage_cannot_move_down(client, front_desk, patient):
    only = CoverageFactory(patient=patient, priority=1, payer__name="Alpha Plan")

    with pytest.raises(ValidationError) as refused:
        coverage_move(coverage=only, direction="down", user=front_desk)

    assert refused.value.messages == [
        "Alpha Plan is the only primary coverage for its dates: moving it down would leave no "
        "primary. Add the coverage that comes first, then change the order."
    ]
    assert priorities(only) == [1]


def test_moving_down_needs_a_coverage_to_take_its_place(patient, front_desk):
    primary = CoverageFactory(patient=patient, priority=1, effective_date=JAN_1)
    # A secondary that ended before this primary began cannot become primary in its place.
    CoverageFactory(
        patient=patient, priority=2, effective_date=datetime.date(2024, 1, 1),
        termination_date=datetime.date(2024, 12, 31),
    )  # fmt: skip

    with pytest.raises(ValidationError, match="would leave no primary"):
        coverage_move(coverage=primary, direction="down", user=front_desk)

    assert priorities(primary) == [1]


def test_the_chart_offers_move_down_only_where_a_coverage_takes_the_place(
    client, front_desk, patient
):
    only = CoverageFactory(patient=patient, priority=1, payer__name="Alpha Plan")
    client.force_login(front_desk)

    chart = client.get(reverse("patient-detail", args=[patient.pk])).content.decode()
    assert "Move down" not in chart
    refused = client.post(
        reverse("coverage-move", args=[only.pk]), {"direction": "down"}, follow=True
    )
    assert "would leave no primary" in refused.content.decode()
    assert priorities(only) == [1]

    CoverageFactory(patient=patient, priority=2, payer__name="Beta Plan")
    chart = client.get(reverse("patient-detail", args=[patient.pk])).content.decode()
    assert 'Move down<span class="visually-hidden">: Alpha Plan' in chart

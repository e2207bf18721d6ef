"""The front desk adds and edits coverages on web forms; the chart shows them in order."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from patients.models import Coverage, Relationship
from tests.factories import CoverageFactory, PatientFactory, PayerFactory

TODAY = datetime.date.today()


@pytest.fixture
def patient(practice_a):
    return PatientFactory(practice=practice_a, first_name="Maria", last_name="Lopez")


@pytest.fixture
def payer(db):
    return PayerFactory(name="Northwind Health")


def form_data(payer, **changes):
    data = {
        "payer": payer.pk,
        "priority": "1",
        "member_id": "NW123456",
        "group_number": "G-77",
        "plan_name": "Gold PPO",
        "relationship": Relationship.SELF,
        "effective_date": "2026-01-01",
        "termination_date": "",
    }
    data.update(changes)
    return data


SPOUSE = {
    "relationship": Relationship.SPOUSE,
    "subscriber_first_name": "Carlos",
    "subscriber_last_name": "Lopez",
    "subscriber_date_of_birth": "03/14/1968",
    "subscriber_sex": "M",
    "subscriber_address1": "12 Elm St",
    "subscriber_city": "Springfield",
    "subscriber_state": "il",
    "subscriber_zip_code": "62704",
}


def test_the_form_labels_every_field(client, front_desk, patient):
    client.force_login(front_desk)

    body = client.get(reverse("coverage-create", args=[patient.pk])).content.decode()

    for field, label in [
        ("payer", "Payer"),
        ("member_id", "Member ID"),
        ("relationship", "Patient&#x27;s relationship to subscriber"),
        ("subscriber_date_of_birth", "Subscriber date of birth"),
        ("effective_date", "Effective date"),
        ("termination_date", "Termination date"),
    ]:
        assert f'for="id_{field}">{label}' in body


def test_front_desk_adds_a_coverage_and_sees_it_on_the_chart(client, front_desk, patient, payer):
    client.force_login(front_desk)

    response = client.post(reverse("coverage-create", args=[patient.pk]), form_data(payer))

    assert response.status_code == 302
    coverage = Coverage.objects.get(patient=patient)
    assert (coverage.member_id, coverage.priority, coverage.payer) == ("NW123456", 1, payer)
    chart = client.get(reverse("patient-detail", args=[patient.pk])).content.decode()
    assert "Northwind Health" in chart and "NW123456" in chart and "G-77" in chart
    assert "Added primary coverage." in chart
    assert "Active today" in chart


def test_a_spouse_subscriber_needs_their_own_details(client, front_desk, patient, payer):
    client.force_login(front_desk)

    response = client.post(
        reverse("coverage-create", args=[patient.pk]),
        form_data(payer, relationship=Relationship.SPOUSE),
    )

    assert response.status_code == 200
    body = response.content.decode()
    for message in [
        "Enter the subscriber&#x27;s first name.",
        "Enter the subscriber&#x27;s last name.",
        "Enter the subscriber&#x27;s date of birth.",
        "Choose the subscriber&#x27;s sex.",
        "Enter the subscriber&#x27;s street address.",
        "Enter the subscriber&#x27;s ZIP code.",
    ]:
        assert message in body
    assert 'aria-invalid="true"' in body
    assert not Coverage.objects.exists()


def test_a_spouse_subscriber_is_kept_in_full(client, front_desk, patient, payer):
    client.force_login(front_desk)

    client.post(reverse("coverage-create", args=[patient.pk]), form_data(payer, **SPOUSE))

    coverage = Coverage.objects.get(patient=patient)
    assert coverage.relationship == Relationship.SPOUSE
    assert coverage.subscriber_date_of_birth == datetime.date(1968, 3, 14)
    assert (coverage.subscriber_state, coverage.subscriber_zip_code) == ("IL", "62704")


def test_subscriber_details_are_dropped_when_the_patient_is_the_subscriber(
    client, front_desk, patient, payer
):
    client.force_login(front_desk)

    client.post(
        reverse("coverage-create", args=[patient.pk]),
        form_data(payer, **{**SPOUSE, "relationship": Relationship.SELF}),
    )

    coverage = Coverage.objects.get(patient=patient)
    assert coverage.subscriber_first_name == ""
    assert coverage.subscriber_date_of_birth is None


def test_a_bad_subscriber_state_and_zip_are_explained(client, front_desk, patient, payer):
    client.force_login(front_desk)
    data = form_data(payer, **{**SPOUSE, "subscriber_state": "XX", "subscriber_zip_code": "123"})

    body = client.post(reverse("coverage-create", args=[patient.pk]), data).content.decode()

    assert "&#x27;XX&#x27; is not a US state" in body
    assert "A ZIP code is 5 or 9 digits" in body
    assert not Coverage.objects.exists()


def test_the_coverage_cannot_end_before_it_starts(client, front_desk, patient, payer):
    client.force_login(front_desk)

    body = client.post(
        reverse("coverage-create", args=[patient.pk]),
        form_data(payer, termination_date="2025-12-31"),
    ).content.decode()

    assert "The termination date cannot be before the effective date (01/01/2026)." in body
    assert not Coverage.objects.exists()


def test_missing_and_malformed_fields_are_explained(client, front_desk, patient, payer):
    client.force_login(front_desk)

    body = client.post(
        reverse("coverage-create", args=[patient.pk]),
        {**form_data(payer, member_id="", effective_date="next tuesday"), "payer": ""},
    ).content.decode()

    assert "Enter the member ID from the insurance card." in body
    assert "Enter the date as MM/DD/YYYY." in body
    assert "Choose the insurance payer." in body


def test_an_overlapping_coverage_of_the_same_priority_is_refused(
    client, front_desk, patient, payer
):
    CoverageFactory(patient=patient, priority=1, effective_date=datetime.date(2025, 6, 1))
    client.force_login(front_desk)

    response = client.post(reverse("coverage-create", args=[patient.pk]), form_data(payer))

    assert response.status_code == 200
    assert "already has primary coverage with" in response.content.decode()
    assert Coverage.objects.filter(patient=patient).count() == 1


def test_an_inactive_payer_cannot_be_chosen(client, front_desk, patient):
    retired = PayerFactory(name="Gone Health", is_active=False)
    client.force_login(front_desk)

    body = client.post(
        reverse("coverage-create", args=[patient.pk]), form_data(retired)
    ).content.decode()

    assert "That payer is not available; choose another." in body
    assert not Coverage.objects.exists()


def test_front_desk_edits_a_coverage(client, front_desk, patient, payer):
    coverage = CoverageFactory(patient=patient, payer=payer, member_id="OLD1")
    client.force_login(front_desk)
    page = client.get(reverse("coverage-update", args=[coverage.pk])).content.decode()
    assert 'value="OLD1"' in page

    response = client.post(
        reverse("coverage-update", args=[coverage.pk]),
        form_data(payer, member_id="NEW2", termination_date="2026-12-31", **SPOUSE),
    )

    assert response.status_code == 302
    coverage.refresh_from_db()
    assert coverage.member_id == "NEW2"
    assert coverage.termination_date == datetime.date(2026, 12, 31)
    assert coverage.subscriber_last_name == "Lopez"


def test_an_edit_that_would_overlap_changes_nothing(client, front_desk, patient, payer):
    CoverageFactory(patient=patient, priority=1, effective_date=datetime.date(2025, 1, 1))
    secondary = CoverageFactory(patient=patient, payer=payer, priority=2, member_id="S1")

    body = _post_as(client, front_desk, "coverage-update", secondary.pk,
                    form_data(payer, priority="1", member_id="S2"))  # fmt: skip

    assert "already has primary coverage" in body
    secondary.refresh_from_db()
    assert (secondary.priority, secondary.member_id) == (2, "S1")


def _post_as(client, user, name, pk, data):
    client.force_login(user)
    return client.post(reverse(name, args=[pk]), data).content.decode()


def test_other_roles_cannot_add_coverage(client, biller, coder, patient, payer):
    for user in (biller, coder):
        client.force_login(user)
        assert client.get(reverse("coverage-create", args=[patient.pk])).status_code == 403
        response = client.post(reverse("coverage-create", args=[patient.pk]), form_data(payer))
        assert response.status_code == 403
    assert not Coverage.objects.exists()


def test_another_practices_patient_and_coverage_are_not_found(
    client, front_desk, practice_b, payer
):
    b_patient = PatientFactory(practice=practice_b)
    b_coverage = CoverageFactory(patient=b_patient)
    client.force_login(front_desk)

    assert client.get(reverse("coverage-create", args=[b_patient.pk])).status_code == 404
    assert (
        client.post(reverse("coverage-create", args=[b_patient.pk]), form_data(payer)).status_code
        == 404
    )
    assert client.get(reverse("coverage-update", args=[b_coverage.pk])).status_code == 404
    assert client.get(reverse("coverage-update", args=[999_999_999])).status_code == 404
    assert not Coverage.objects.filter(patient=b_patient).exclude(pk=b_coverage.pk).exists()


def test_the_chart_shows_the_order_and_the_buttons_by_role(client, front_desk, biller, patient):
    CoverageFactory(patient=patient, priority=2, payer__name="Second Plan", member_id="S22")
    CoverageFactory(
        patient=patient, priority=1, payer__name="First Plan",
        effective_date=datetime.date(2020, 1, 1), termination_date=datetime.date(2020, 12, 31),
    )  # fmt: skip

    client.force_login(front_desk)
    body = client.get(reverse("patient-detail", args=[patient.pk])).content.decode()
    assert body.index("First Plan") < body.index("Second Plan")
    assert "Not active today" in body and "Active today" in body
    assert "Add coverage" in body and "Move up" in body and "Upload card" in body

    client.force_login(biller)
    body = client.get(reverse("patient-detail", args=[patient.pk])).content.decode()
    assert "Second Plan" in body
    assert "Add coverage" not in body and "Move up" not in body

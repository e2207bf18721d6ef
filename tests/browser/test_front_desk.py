"""In a real browser, the front desk's day: register, insure, scan the card, check, schedule."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from patients.models import Coverage, CoverageCard, EligibilityCheck, Encounter, Patient
from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.factories import (
    MembershipFactory,
    PatientFactory,
    PayerFactory,
    PracticeFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A synthetic one-pixel "card", never a real one. (Before issue 9 this was a PNG header with a
# broken IDAT chunk; uploads are now checked whole, so it is a valid PNG.)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000"
    "000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082"
)


@pytest.fixture
def clinic():
    practice = PracticeFactory(name="Front Desk Clinic")
    ProviderFactory(practice=practice, first_name="Dana", last_name="Reyes", credential="MD")
    PayerFactory(name="Lakeside Health", payer_id="LKSD1")
    user = UserFactory(username="desk")
    MembershipFactory(user=user, practice=practice, role=Role.FRONT_DESK)
    return practice, user


def fill_patient(page, first="Avery", last="Quinlan", dob="05/17/1980", zip_code="62704"):
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Date of birth").fill(dob)
    page.get_by_label("Sex").select_option("F")
    page.locator("#id_address1").fill("12 Elm St")  # "Address" also prefixes "Address line 2"
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("State").fill("IL")
    page.get_by_label("ZIP").fill(zip_code)
    page.get_by_label("Phone").fill("(217) 555-0142")


def test_register_insure_scan_check_and_schedule(page, live_server, clinic, tmp_path):
    _practice, user = clinic
    sign_in(page, live_server.url, user.username)

    page.goto(f"{live_server.url}/patients/register/")
    fill_patient(page)
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_test_id("patient-name")).to_contain_text("Avery Quinlan")
    patient = Patient.objects.get(last_name="Quinlan")
    assert patient.phone == "2175550142"

    page.get_by_role("link", name="Add coverage").click()
    page.get_by_label("Payer").select_option(label="Lakeside Health")
    page.get_by_label("Member ID").fill("LK-5551234")
    page.get_by_label("Effective date").fill("2025-01-01")
    page.get_by_role("button", name="Add coverage").click()
    expect(page.get_by_text("LK-5551234").first).to_be_visible()
    coverage = Coverage.objects.get(patient=patient)

    page.get_by_role("link", name="Upload card").click()
    card = tmp_path / "card-front.png"
    card.write_bytes(PNG)
    page.get_by_label("Card image or PDF").set_input_files(str(card))
    page.get_by_role("button", name="Upload card").click()
    expect(page.get_by_test_id("patient-name")).to_be_visible()
    assert CoverageCard.objects.filter(coverage=coverage, side="front").exists()

    page.get_by_role("button", name="Check eligibility").first.click()
    expect(page.get_by_text("active", exact=False).first).to_be_visible()
    check = EligibilityCheck.objects.get(coverage=coverage)
    assert check.status == EligibilityCheck.Status.ACTIVE
    assert check.request_file is not None and check.response_file is not None

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Schedule a visit").click()
    page.get_by_label("Provider").select_option(label="Dana Reyes, MD")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Date of service").fill(tomorrow.isoformat())
    page.get_by_role("button", name="Schedule visit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visit on")
    assert Encounter.objects.filter(patient=patient, date_of_service=tomorrow).exists()


def test_a_likely_duplicate_must_be_confirmed(page, live_server, clinic):
    practice, user = clinic
    PatientFactory(
        practice=practice,
        first_name="Avery",
        last_name="Quinlan",
        date_of_birth=datetime.date(1980, 5, 17),
    )
    sign_in(page, live_server.url, user.username)

    page.goto(f"{live_server.url}/patients/register/")
    fill_patient(page, first="Avry", last="Quinlan")
    page.get_by_role("button", name="Register patient").click()

    expect(page.get_by_role("button", name="Create anyway")).to_be_visible()
    assert Patient.objects.filter(last_name="Quinlan").count() == 1
    page.get_by_role("button", name="Create anyway").click()
    expect(page.get_by_test_id("patient-name")).to_contain_text("Avry Quinlan")
    assert Patient.objects.filter(last_name="Quinlan").count() == 2


def test_bad_input_is_explained_and_nothing_is_saved(page, live_server, clinic):
    _practice, user = clinic
    sign_in(page, live_server.url, user.username)

    page.goto(f"{live_server.url}/patients/register/")
    next_year = timezone.localdate().year + 1
    fill_patient(page, dob=f"01/01/{next_year}", zip_code="6270")
    page.get_by_label("State").fill("Illinois")
    page.get_by_role("button", name="Register patient").click()

    expect(page.get_by_text("can't be in the future")).to_be_visible()
    expect(page.get_by_text("two-letter state code")).to_be_visible()
    expect(page.get_by_text("ZIP is 5 or 9 digits")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Avery")  # the input is kept
    assert not Patient.objects.exists()

"""In a real browser, an administrator's setup: a provider, a fee schedule by CSV (a bad row first),
then the audit trail of a patient found by name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from rcm.practice.models import FeeSchedule, FeeScheduleEntry, Provider, Role
from tests.browser.conftest import sign_in
from tests.factories import MembershipFactory, PatientFactory, PracticeFactory, UserFactory, npi_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_provider_fee_import_and_audit_search(page, live_server, tmp_path):
    practice = PracticeFactory(name="Setup Clinic")
    admin = UserFactory(username="setupadmin")
    MembershipFactory(user=admin, practice=practice, role=Role.ADMINISTRATOR)
    patient = PatientFactory(practice=practice, first_name="Wren", last_name="Halloway")
    sign_in(page, live_server.url, admin.username)

    page.get_by_role("link", name="Practice setup").click()
    expect(page.get_by_role("heading", name="Practice setup")).to_contain_text("Setup Clinic")

    page.get_by_role("link", name="Providers").click()
    page.get_by_label("First name").fill("Iris")
    page.get_by_label("Last name").fill("Calder")
    page.get_by_label("Credential").fill("MD")
    page.get_by_label("NPI").fill(npi_for(777, "1"))
    page.get_by_label("Taxonomy").fill("207Q00000X")
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_role("alert").filter(has_text="Iris Calder, MD added")).to_be_visible()
    expect(page.get_by_test_id("providers")).to_contain_text(npi_for(777, "1"))
    assert Provider.objects.filter(practice=practice, last_name="Calder").exists()

    page.get_by_role("link", name="Fee schedules").click()
    bad, good = tmp_path / "bad.csv", tmp_path / "fees.csv"
    bad.write_text("code,charge\n99213,145.00\n99214,abc\n")
    good.write_text("code,charge\n99213,145.00\n99214,210.00\n")
    page.get_by_label("Effective from").fill("2026-01-01")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import fees").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text(
        "Line 3: the charge 'abc' is not an amount."
    )
    assert not FeeScheduleEntry.objects.exists()

    page.get_by_label("Effective from").fill("2026-01-01")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import fees").click()
    expect(page.get_by_role("alert").filter(has_text="Imported 2 fees")).to_be_visible()
    schedule = FeeSchedule.objects.get(practice=practice)
    assert dict(schedule.entries.values_list("code", "charge")) == {
        "99213": Decimal("145.00"),
        "99214": Decimal("210.00"),
    }

    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Patient").fill("Halloway")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("audit-patient")).to_contain_text("Halloway, Wren")
    expect(page.get_by_test_id("audit-table")).to_contain_text(f"Patient #{patient.pk}")
    expect(page.get_by_test_id("audit-export")).to_be_visible()

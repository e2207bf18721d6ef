"""In a real browser, from the keyboard: code a visit, meet an edit that blocks, fix, complete."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from patients.models import Encounter, EncounterStatus
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, label, typed, code):
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.type(typed)
    expect(page.get_by_role("option").first).to_contain_text(code)
    page.keyboard.press("Enter")
    expect(field).to_have_value(code)


def test_keyboard_coding_with_a_blocking_edit(page, live_server, coder_with_work):
    sign_in(page, live_server.url, coder_with_work.username)
    page.goto(f"{live_server.url}/coding/worklist/")
    page.get_by_role("button", name="Next encounter").click()
    expect(page.get_by_test_id("clinical-note")).to_contain_text("hyperglycemia")

    pick(page, "Diagnosis 1", "DM2 hyperglycemia", "E11.65")
    pick(page, "Line 1 procedure code", "99213", "99213")
    page.get_by_label("Line 1 charge").fill("120.00")  # this practice has no fee schedule
    page.get_by_role("button", name="Add diagnosis").press("Enter")
    pick(page, "Diagnosis 2", "O09.90", "O09.90")  # a pregnancy code for a man

    edits = page.get_by_test_id("coding-edits")
    expect(edits.locator('[data-severity="error"]').first).to_contain_text("O09.90")
    page.get_by_role("button", name="Coding complete").click()
    expect(page.get_by_role("alert").first).to_contain_text("O09.90")
    encounter = Encounter.objects.get()
    assert encounter.status != EncounterStatus.CODED

    page.get_by_role("button", name="Remove diagnosis 2").press("Enter")
    expect(page.get_by_text("nothing stops")).to_be_visible()
    page.get_by_role("button", name="Coding complete").click()
    expect(page.get_by_role("alert").first).to_contain_text("complete")
    encounter.refresh_from_db()
    assert encounter.status == EncounterStatus.CODED
    assert list(encounter.diagnoses.values_list("code", flat=True)) == ["E11.65"]

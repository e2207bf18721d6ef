"""In a real browser, from the keyboard: code a visit, meet an edit that blocks, fix, complete."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from coding.models import Code, CodeSetRelease, CodeSystem
from patients.models import Encounter, EncounterStatus
from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.factories import EncounterFactory, MembershipFactory, PracticeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A small synthetic release: the live tests reload the real one; here a handful of codes will do.
ICD = {
    "E11": ("Type 2 diabetes mellitus", False),
    "E11.65": ("Type 2 diabetes mellitus with hyperglycemia", True),
    "E11.9": ("Type 2 diabetes mellitus without complications", True),
    "I10": ("Essential (primary) hypertension", True),
    "O09.90": ("Supervision of high risk pregnancy, unspecified, unspecified trimester", True),
}
CPT = {"99213": "Office visit, established patient, low complexity"}


def release(system, version, codes):
    made = CodeSetRelease.objects.create(
        # In force on the visit's date even when the full release is loaded (it starts
        # 2026-04-01): searching it would first build its 98,000-code index.
        system=system,
        version=version,
        effective_date=datetime.date(2026, 9, 1),
        source="test",
    )
    Code.objects.bulk_create(
        Code(
            release=made,
            system=system,
            code=code,
            compact=code.replace(".", ""),
            description=text,
            billable=billable,
            parent=code[:3] if "." in code else "",
        )
        for code, (text, billable) in codes.items()
    )


@pytest.fixture
def coder_with_work():
    release(CodeSystem.ICD10CM, "browser", ICD)
    release(CodeSystem.CPT, "browser", {code: (text, True) for code, text in CPT.items()})
    practice = PracticeFactory(name="Coding Clinic")
    EncounterFactory(
        patient__practice=practice,
        patient__sex="M",
        patient__date_of_birth=datetime.date(1961, 2, 2),
        date_of_service=datetime.date(2026, 10, 1),
        clinical_note="A: Type 2 diabetes with hyperglycemia; A1c 9.1. P: increase metformin.",
    )
    user = UserFactory(username="keyboard_coder")
    MembershipFactory(user=user, practice=practice, role=Role.CODER)
    return user


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

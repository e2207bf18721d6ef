"""In a real browser: each role signs in and sees its own home page with its own data."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.state import ClaimStatus
from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.factories import (
    ClaimFactory,
    EncounterFactory,
    MembershipFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def practice_with_work():
    practice = PracticeFactory(name="Browser Test Clinic")
    EncounterFactory.create_batch(4, patient__practice=practice)
    ClaimFactory(encounter__patient__practice=practice, status=ClaimStatus.REJECTED)
    return practice


@pytest.mark.parametrize(
    ("role", "heading", "testid", "expected"),
    [
        (Role.FRONT_DESK, "Front desk", "patient-count", "5"),
        (Role.CODER, "Coding", "waiting-count", "4"),
        (Role.BILLER, "Billing", "queue-rejected", "1"),
        (Role.ADMINISTRATOR, "Administration", "practice-count", "1"),
    ],
)
def test_each_role_signs_in_to_its_home(
    page, live_server, practice_with_work, role, heading, testid, expected
):
    user = UserFactory(username=f"browser_{role}")
    MembershipFactory(user=user, practice=practice_with_work, role=role)

    sign_in(page, live_server.url, user.username)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_test_id(testid)).to_have_text(expected)
    expect(page.get_by_test_id("signed-in-as")).to_be_visible()


def test_a_wrong_password_says_so_and_stays_on_sign_in(page, live_server):
    UserFactory(username="careful_biller")
    sign_in(page, live_server.url, "careful_biller", password="not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("didn't match")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_out_returns_to_sign_in(page, live_server, practice_with_work):
    user = UserFactory(username="leaving_biller")
    MembershipFactory(user=user, practice=practice_with_work, role=Role.BILLER)
    sign_in(page, live_server.url, user.username)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

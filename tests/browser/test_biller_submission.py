"""In a real browser: a biller submits the ready claims and follows one to the sandbox payer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from claims.state import ClaimStatus
from claims.submission import batch_send, batches_build
from denials.inbox import inbox_poll
from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.claims.test_pipeline import ready_claim
from tests.factories import MembershipFactory, PracticeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def sandbox_in_tmp(settings):
    settings.RCM_SANDBOX_REMIT_DELAY_SECONDS = 0


def test_biller_submits_ready_claims_and_sees_them_paid(page, live_server):
    practice = PracticeFactory(name="Submission Clinic")
    claims = [ready_claim(practice) for _ in range(2)]
    biller = UserFactory(username="submitting_biller")
    MembershipFactory(user=biller, practice=practice, role=Role.BILLER)
    sign_in(page, live_server.url, biller.username)

    page.goto(f"{live_server.url}/claims/queue/ready/")
    expect(page.get_by_test_id("queue-count")).to_have_text("2")
    page.get_by_role("button", name="Submit all ready claims").click()

    expect(page.get_by_role("alert")).to_contain_text("2 claims queued")
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.QUEUED}

    # What the worker and beat do (tested with a real worker in tests/claims/test_pipeline.py).
    for batch_id in batches_build(practice_id=practice.pk):
        batch_send(batch_id=batch_id)
    inbox_poll()

    page.goto(f"{live_server.url}/claims/{claims[0].pk}/")
    expect(page.get_by_test_id("claim-status")).to_have_text("Paid")
    timeline = page.get_by_test_id("claim-timeline")
    expect(timeline).to_contain_text("Accepted by the payer")
    expect(timeline).to_contain_text("277CA claim acknowledgment")
    expect(timeline).to_contain_text("835 remittance")

"""In a real browser: a biller works the Denied queue: search, sort, bulk follow-up, Next claim,
a note and a hold on the claim page, and the follow-up waiting on the home page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Claim
from claims.state import ClaimStatus
from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.factories import ClaimFactory, MembershipFactory, PracticeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_biller_works_the_denied_queue(page, live_server):
    practice = PracticeFactory(name="Queue Clinic")
    biller = UserFactory(username="queue_biller", first_name="Quinn", last_name="Biller")
    MembershipFactory(user=biller, practice=practice, role=Role.BILLER)
    small, large, other = (
        ClaimFactory(
            encounter__patient__practice=practice, encounter__patient__last_name=name,
            status=ClaimStatus.DENIED, total_charge=Decimal(amount),
        )
        for name, amount in (("Nguyen", "80.00"), ("Okafor", "640.00"), ("Park", "210.00"))
    )  # fmt: skip
    sign_in(page, live_server.url, biller.username)

    page.goto(f"{live_server.url}/claims/queue/denied/")
    expect(page.get_by_test_id("queue-count")).to_have_text("3")
    expect(page.get_by_test_id("queue-charges")).to_have_text("$930.00")

    # Search (htmx swaps the table only), then sort by amount.
    page.get_by_test_id("queue-search").fill("Okaf")
    page.get_by_test_id("queue-search").press("Enter")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    expect(page.get_by_test_id("queue-table")).to_contain_text(large.control_number)
    page.get_by_test_id("queue-search").fill("")
    page.get_by_label("Sort by").select_option("amount")
    expect(page.get_by_test_id("queue-row")).to_have_count(3)
    expect(page.get_by_test_id("queue-row").first).to_contain_text(large.control_number)

    # Bulk: a follow-up date today on two selected claims.
    page.get_by_label(f"Select {small.control_number}").check()
    page.get_by_label(f"Select {other.control_number}").check()
    page.get_by_label("With the selected claims").select_option("assign")
    page.get_by_label("Biller", exact=True).select_option(str(biller.pk))
    page.get_by_test_id("bulk-apply").click()
    expect(page.get_by_role("alert")).to_contain_text("2 assigned")
    page.get_by_label(f"Select {small.control_number}").check()
    page.get_by_label(f"Select {other.control_number}").check()
    page.get_by_label("With the selected claims").select_option("follow_up")
    page.get_by_label("Follow-up date").fill(timezone.localdate().isoformat())
    page.get_by_test_id("bulk-apply").click()
    expect(page.get_by_role("alert")).to_contain_text("Follow-up date set on 2")

    # Next claim: the one nobody has (the large one), now mine.
    page.get_by_test_id("next-claim").click()
    expect(page.get_by_test_id("claim-assignee")).to_have_text("Quinn Biller")
    assert page.url.endswith(f"/claims/{large.pk}/")
    page.get_by_label("Note").fill("Called the payer: reprocessing.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_label("Hold (not batched until released)").fill("Waiting for reprocessing")
    page.get_by_role("button", name="Hold", exact=True).click()
    expect(page.get_by_test_id("claim-hold")).to_contain_text("Waiting for reprocessing")
    timeline = page.get_by_test_id("claim-timeline")
    expect(timeline).to_contain_text("Called the payer: reprocessing.")
    expect(timeline).to_contain_text("Taken by Quinn Biller (Next claim).")
    expect(timeline).to_contain_text("Put on hold")

    page.goto(f"{live_server.url}/billing/")
    follow_ups = page.get_by_test_id("my-follow-ups")
    expect(follow_ups).to_contain_text(small.control_number)
    expect(follow_ups).to_contain_text(other.control_number)
    expect(page.get_by_test_id("queue-on-hold")).to_have_text("1")
    assert Claim.objects.get(pk=large.pk).on_hold

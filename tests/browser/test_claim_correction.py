"""In a real browser: a biller corrects a denied claim as a replacement (frequency 7)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Claim, FrequencyCode
from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.claims.correction_world import (  # noqa: F401 (fixtures)
    PAYER_CLAIM_NUMBER,
    adjudicated_claim,
    code_sets,
    exported_837,
)
from tests.factories import MembershipFactory, PracticeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("code_sets")
def test_a_denied_claim_is_corrected_as_a_replacement(page, live_server, tmp_path):
    practice = PracticeFactory(name="Correction Clinic")
    denied = adjudicated_claim(practice)
    biller = UserFactory(username="correcting_biller")
    MembershipFactory(user=biller, practice=practice, role=Role.BILLER)
    sign_in(page, live_server.url, biller.username)

    page.goto(f"{live_server.url}/claims/{denied.pk}/")
    expect(page.get_by_test_id("claim-status")).to_have_text("Denied")
    page.get_by_role("link", name="Correct (replacement)").click()

    # Saving nothing changed is refused, with the reason.
    page.get_by_role("button", name="Create the replacement").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("Nothing was changed")
    page.get_by_label("Line 1 modifier 1").fill("25")
    page.get_by_label("Line 2 units").fill("2")
    page.get_by_label("Line 2 charge").fill("160.00")
    page.get_by_role("button", name="Create the replacement").click()

    expect(page.get_by_role("alert")).to_contain_text("Replacement claim created (frequency 7)")
    replacement = Claim.objects.get(original_claim=denied)
    assert page.url.endswith(f"/claims/{replacement.pk}/")
    expect(page.get_by_test_id("claim-status")).to_have_text("Ready to submit")
    expect(page.get_by_test_id("corrects")).to_contain_text(
        f"Replacement (frequency 7) of claim {denied.control_number} "
        f"(payer claim # {PAYER_CLAIM_NUMBER})"
    )
    timeline = page.get_by_test_id("claim-timeline")
    expect(timeline).to_contain_text("line 1 modifiers: none → 25")
    expect(timeline).to_contain_text("line 2 units: 1 → 2")
    assert replacement.frequency_code == FrequencyCode.CORRECTED
    text = exported_837(replacement, tmp_path)  # and pyx12 finds nothing wrong with it
    assert f"CLM*{replacement.control_number}*360***11:B:7" in text
    assert f"REF*F8*{PAYER_CLAIM_NUMBER}~" in text

    # The payer wants the plan of care with it: recorded on the replacement, which is scrubbed
    # again and sends a PWK segment.
    page.get_by_label("Document").select_option("08")
    page.get_by_label("Sent").select_option("FX")
    page.get_by_label("Control number").fill("FAX-2026-7")
    page.get_by_role("button", name="Add attachment").click()
    expect(page.get_by_role("alert")).to_contain_text("Attachment added.")
    expect(page.get_by_test_id("claim-attachments")).to_contain_text("FAX-2026-7")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text(
        "Attachment added: 08 Plan of Treatment, by fax, control number FAX-2026-7."
    )
    assert "PWK*08*FX***AC*FAX-2026-7~" in exported_837(replacement, tmp_path)

    page.get_by_role("link", name=f"claim {denied.control_number}").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("Closed")
    expect(page.get_by_test_id("corrected-by")).to_contain_text(
        f"claim {replacement.control_number} (replacement of a prior claim, ready to submit)"
    )
    expect(page.get_by_role("link", name="Correct (replacement)")).to_have_count(0)

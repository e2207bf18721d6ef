"""In a real browser: a biller prints the paper payers' claims, which sends them."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from claims.models import Claim
from claims.paper import PRINTED_NOTE
from claims.state import ClaimStatus
from claims.submission import claim_submit
from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.claims.test_paper import paper_claim
from tests.factories import MembershipFactory, PracticeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_biller_prints_the_to_print_list_and_the_claims_are_sent(page, live_server, tmp_path):
    practice = PracticeFactory(name="Paper Clinic")
    biller = UserFactory(username="paper_biller")
    MembershipFactory(user=biller, practice=practice, role=Role.BILLER)
    claims = [paper_claim(practice, status=ClaimStatus.READY) for _ in range(2)]
    for claim in claims:
        claim_submit(claim=claim, user=biller)
    sign_in(page, live_server.url, biller.username)

    page.goto(f"{live_server.url}/claims/to-print/")
    expect(page.get_by_test_id("queue-count")).to_have_text("2")
    page.get_by_label(f"Select claim {claims[0].control_number}").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Print selected").click()
    pdf = tmp_path / "printed.pdf"
    download.value.save_as(pdf)

    [form] = PdfReader(pdf).pages
    assert claims[0].control_number in form.extract_text()
    assert Claim.objects.get(pk=claims[0].pk).status == ClaimStatus.SUBMITTED
    assert Claim.objects.get(pk=claims[1].pk).status == ClaimStatus.QUEUED

    page.goto(f"{live_server.url}/claims/{claims[0].pk}/")
    expect(page.get_by_test_id("claim-status")).to_have_text("Submitted")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text(PRINTED_NOTE)
    expect(page.get_by_test_id("print-cms1500")).to_have_attribute(
        "href", f"/claims/{claims[0].pk}/cms1500.pdf"
    )
    response = page.request.get(f"{live_server.url}/claims/{claims[0].pk}/cms1500.pdf?plain=1")
    assert response.headers["content-type"] == "application/pdf"
    assert (
        "HEALTH INSURANCE CLAIM FORM"
        in PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    )

    page.goto(f"{live_server.url}/claims/to-print/")
    expect(page.get_by_test_id("queue-count")).to_have_text("1")
    page.screenshot(path=str(tmp_path / "to-print.png"), full_page=True)

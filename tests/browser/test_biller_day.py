"""In a real browser: a biller's day. A coded visit is billed by the worker, sent, rejected by
the payer's 277CA, fixed and sent again, paid by the 835, and its secondary billed on its own;
and an agency biller works two practices' claims in one queue."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from claims.models import BatchStatus, Claim
from claims.state import ClaimStatus
from coding.models import CodeSystem
from denials.inbox import inbox_poll
from patients.coverage.roster import DatabaseRoster
from patients.models import Encounter
from rcm.clearinghouse.sandbox.adjudication import MemberFacts
from rcm.practice.models import Role
from tests.browser.conftest import CPT, ICD, release, sign_in
from tests.browser.test_coding_flow import pick
from tests.factories import (
    ClaimFactory,
    CoverageFactory,
    EncounterFactory,
    MembershipFactory,
    PatientFactory,
    PayerFactory,
    PracticeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOS = datetime.date(2026, 10, 1)
# The member id on the patient's card, and the one the front desk typed (a letter O for a 0).
MEMBER_ID = "HBH10020030"
MISTYPED_MEMBER_ID = "HBH1002003O"
CARC = {
    "45": ("Charge exceeds fee schedule/maximum allowable or contracted/legislated fee "
           "arrangement.", True),
    "3": ("Co-payment Amount", True),
}  # fmt: skip


class PayerEnrolment(DatabaseRoster):
    """The sandbox payer's roster, but only for the members the payer enrolled: a member id
    typed wrong at the front desk is on our coverage, not on the payer's books."""

    def member(
        self, payer_id: str, member_id: str, service_date: datetime.date
    ) -> MemberFacts | None:
        if member_id == MISTYPED_MEMBER_ID:
            return None
        return super().member(payer_id, member_id, service_date)


@pytest.fixture
def sandbox_payer(settings):
    settings.RCM_SANDBOX_REMIT_DELAY_SECONDS = 0  # the 835 comes with the 277CA
    settings.RCM_SANDBOX_ROSTER = f"{__name__}.PayerEnrolment"


@pytest.fixture
def day(sandbox_payer):
    """Harbor Family Medicine: a visit to code for a patient with an HMO (its member id
    mistyped) and a supplemental plan; a coder, and a biller who also keeps the coverages."""
    release(CodeSystem.ICD10CM, "browser", ICD)
    release(CodeSystem.CPT, "browser", {code: (text, True) for code, text in CPT.items()})
    release(CodeSystem.CARC, "browser", CARC)
    practice = PracticeFactory(name="Harbor Family Medicine")
    patient = PatientFactory(
        practice=practice, first_name="Rosa", last_name="Alvarez", sex="F",
        date_of_birth=datetime.date(1958, 3, 9),
    )  # fmt: skip
    primary = CoverageFactory(
        patient=patient, priority=1, member_id=MISTYPED_MEMBER_ID,
        payer=PayerFactory(name="Harbor HMO", payer_id="HBH01", claim_filing_indicator="HM"),
        effective_date=datetime.date(2026, 1, 1),
    )  # fmt: skip
    secondary = CoverageFactory(
        patient=patient, priority=2, member_id="LKS555000111",
        payer=PayerFactory(name="Lakeside Supplemental", payer_id="LKS01"),
        effective_date=datetime.date(2026, 1, 1),
    )  # fmt: skip
    EncounterFactory(
        patient=patient, date_of_service=DOS,
        clinical_note="A: Type 2 diabetes with hyperglycemia; A1c 9.1. P: increase metformin.",
    )  # fmt: skip
    coder = UserFactory(username="day_coder")
    MembershipFactory(user=coder, practice=practice, role=Role.CODER)
    biller = UserFactory(username="day_biller", first_name="Dana", last_name="Biller")
    MembershipFactory(user=biller, practice=practice, role=Role.BILLER)
    MembershipFactory(user=biller, practice=practice, role=Role.FRONT_DESK)
    return {"practice": practice, "primary": primary, "secondary": secondary,
            "coder": coder, "biller": biller}  # fmt: skip


def shot(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def code_the_visit(page, base_url: str) -> None:
    page.goto(f"{base_url}/coding/worklist/")
    page.get_by_role("button", name="Next encounter").click()
    expect(page.get_by_test_id("clinical-note")).to_contain_text("hyperglycemia")
    pick(page, "Diagnosis 1", "DM2 hyperglycemia", "E11.65")
    pick(page, "Line 1 procedure code", "99213", "99213")
    page.get_by_label("Line 1 charge").fill("120.00")
    page.get_by_label("Line 1 charge").press("Tab")  # leaving the field is its change
    expect(page.get_by_text("nothing stops")).to_be_visible()
    page.get_by_role("button", name="Coding complete").click()
    expect(page.get_by_role("alert").first).to_contain_text("complete")


def sent(claim: Claim, times: int) -> bool:
    """The claim went out `times` times: the batch is at the sandbox, its answers in the inbox
    (the claim is SUBMITTED when its batch is built, a moment before the batch is sent)."""
    return claim.submissions.filter(batch__status=BatchStatus.SENT).count() == times


def status_of(claim: Claim) -> str:
    claim.refresh_from_db()
    return claim.status


def test_a_billers_day_from_coding_to_the_secondary(
    page, live_server, day, celery_worker_on_queue, tmp_path
):
    worker, base = celery_worker_on_queue, live_server.url
    sign_in(page, base, day["coder"].username)
    code_the_visit(page, base)

    # The worker bills the coded visit (the task coding enqueued on commit) and scrubs it.
    worker.wait_for(lambda: Claim.objects.filter(status=ClaimStatus.READY).exists())
    claim = Claim.objects.get()
    assert claim.encounter == Encounter.objects.get()
    assert claim.coverage == day["primary"]

    page.context.clear_cookies()
    sign_in(page, base, day["biller"].username)
    page.goto(f"{base}/billing/")
    expect(page.get_by_test_id("queue-ready")).to_have_text("1")
    page.goto(f"{base}/claims/queue/ready/")
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(claim.control_number)
    expect(rows.first).to_contain_text("Alvarez, Rosa")
    expect(rows.first).to_contain_text("Harbor HMO")
    shot(page, tmp_path, "01-ready-queue")

    # Submit from the queue; the worker writes the batch and sends it to the sandbox payer.
    page.get_by_label(f"Select {claim.control_number}").check()
    page.get_by_label("With the selected claims").select_option("submit")
    page.get_by_test_id("bulk-apply").click()
    expect(page.get_by_role("alert")).to_contain_text("1 queued for the next batch")
    worker.wait_for(lambda: sent(claim, 1))
    inbox_poll()  # what beat does: the 999 and the 277CA come back
    assert status_of(claim) == ClaimStatus.REJECTED

    page.goto(f"{base}/claims/queue/rejected/")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    expect(page.get_by_test_id("queue-row").first).to_contain_text(claim.control_number)
    page.get_by_role("link", name=claim.control_number).click()
    expect(page.get_by_test_id("claim-status")).to_have_text("Rejected")
    timeline = page.get_by_test_id("claim-timeline")
    expect(timeline.locator("li").first).to_contain_text("· billing")  # made by the task
    expect(timeline).to_contain_text("277CA")
    expect(timeline).to_contain_text("Subscriber and subscriber id not found")
    expect(page.get_by_test_id("claim-as-sent")).to_contain_text(MISTYPED_MEMBER_ID)
    shot(page, tmp_path, "02-rejected-claim")

    # The fix: the member id as the card has it, on the coverage; then the claim, scrubbed again.
    page.get_by_role("link", name="Rosa Alvarez").click()
    page.get_by_role("link", name="Edit primary coverage, Harbor HMO").click()
    page.get_by_label("Member ID").fill(MEMBER_ID)
    page.get_by_role("button", name="Save coverage").click()
    expect(page.get_by_role("alert")).to_contain_text("Coverage saved.")
    page.goto(f"{base}/claims/{claim.pk}/")
    page.get_by_role("link", name="Edit and scrub again").click()
    page.get_by_role("button", name="Save and scrub again").click()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Claim saved and scrubbed again. Claim {claim.control_number} is ready."
    )
    expect(page.get_by_test_id("claim-status")).to_have_text("Ready to submit")
    expect(page.get_by_test_id("claim-as-sent")).to_contain_text(MEMBER_ID)
    expect(timeline).to_contain_text("Corrected after the rejection")
    shot(page, tmp_path, "03-fixed-ready")

    # Resubmitted from the claim page: accepted, and the 835 pays it.
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("queued for the next batch")
    worker.wait_for(lambda: sent(claim, 2))
    inbox_poll()
    page.reload()
    expect(page.get_by_test_id("claim-status")).to_have_text("Paid")
    expect(timeline).to_contain_text("Accepted for adjudication (277CA).")
    expect(timeline).to_contain_text("CLP02 1, paid 76.00")
    remittance = page.get_by_test_id("claim-remittances")
    expect(remittance).to_contain_text("Harbor HMO · Processed as primary")
    expect(page.get_by_test_id("remit-allowed")).to_have_text("$96.00")
    expect(page.get_by_test_id("remit-paid")).to_have_text("$76.00")
    expect(
        remittance.get_by_role(
            "row", name="Charged $120.00 Allowed $96.00 Paid $76.00 Patient responsibility $20.00"
        )
    ).to_be_visible()
    adjustments = page.get_by_test_id("remit-adjustments")
    expect(adjustments).to_contain_text("CO Contractual obligation")
    expect(adjustments).to_contain_text("CARC 45: Charge exceeds fee schedule/maximum allowable")
    expect(adjustments).to_contain_text("PR Patient responsibility")
    expect(adjustments).to_contain_text("CARC 3: Co-payment Amount")
    expect(page.get_by_test_id("claim-balance")).to_have_text("$20.00")
    shot(page, tmp_path, "04-paid")

    # Posting the 835 enqueued the next payer's claim: the worker bills the supplemental plan.
    worker.wait_for(lambda: Claim.objects.filter(primary_claim=claim).exists())
    secondary = Claim.objects.get(primary_claim=claim)
    worker.wait_for(lambda: status_of(secondary) == ClaimStatus.READY)
    assert secondary.coverage == day["secondary"]
    page.reload()
    expect(page.get_by_role("button", name="Bill the next payer")).to_have_count(0)
    page.goto(f"{base}/claims/queue/ready/")
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(secondary.control_number)
    expect(rows.first).to_contain_text("Lakeside Supplemental")
    expect(rows.first).to_contain_text("LKS555000111")
    page.get_by_role("link", name=secondary.control_number).click()
    expect(page.get_by_test_id("claim-status")).to_have_text("Ready to submit")
    expect(page.get_by_test_id("prior-payer")).to_contain_text("primary paid $76.00")
    expect(page.get_by_test_id("claim-as-sent")).to_contain_text("Lakeside Supplemental (LKS01)")
    expect(page.get_by_test_id("claim-timeline")).to_contain_text("Scrubbed: 0 errors")
    expect(page.get_by_test_id("claim-timeline").locator("li").first).to_contain_text("Draft · ")
    shot(page, tmp_path, "05-secondary-ready")


# --- the agency view -----------------------------------------------------------------------------


def denied_claim(practice, last_name: str, amount: str) -> Claim:
    claim: Claim = ClaimFactory(
        encounter__patient__practice=practice, encounter__patient__last_name=last_name,
        encounter__patient__first_name="Sam", status=ClaimStatus.DENIED,
        total_charge=Decimal(amount),
    )  # fmt: skip
    return claim


def test_an_agency_biller_works_two_practices_in_one_queue(page, live_server, tmp_path):
    north, river = (PracticeFactory(name=name) for name in ("North Shore Pediatrics",
                                                             "Riverbend Cardiology"))  # fmt: skip
    coded_only, elsewhere = (PracticeFactory(name=name) for name in ("Lakeview Orthopedics",
                                                                     "Not Our Clinic"))  # fmt: skip
    biller = UserFactory(username="agency_biller", first_name="Ari", last_name="Agency")
    for practice in (north, river):
        MembershipFactory(user=biller, practice=practice, role=Role.BILLER)
    MembershipFactory(user=biller, practice=coded_only, role=Role.CODER)
    nguyen, okafor = denied_claim(north, "Nguyen", "80.00"), denied_claim(north, "Okafor", "640.00")
    petrov = denied_claim(river, "Petrov", "210.00")
    # The same name in a practice where the biller only codes, and in one they do not work in.
    coders_petrov = denied_claim(coded_only, "Petrov", "300.00")
    strangers = denied_claim(elsewhere, "Petrov", "400.00")
    mine = {nguyen.pk, okafor.pk, petrov.pk}
    base = live_server.url
    sign_in(page, base, biller.username)

    # The home counts both practices where they bill, and only those.
    page.goto(f"{base}/billing/")
    expect(page.get_by_test_id("queue-denied")).to_have_text("3")
    shot(page, tmp_path, "10-agency-home")

    page.goto(f"{base}/claims/queue/denied/")
    expect(page.get_by_test_id("queue-count")).to_have_text("3")
    expect(page.get_by_test_id("queue-charges")).to_have_text("$930.00")
    table = page.get_by_test_id("queue-table")
    expect(table.get_by_role("columnheader", name="Practice")).to_be_visible()
    for claim, practice in ((nguyen, north), (okafor, north), (petrov, river)):
        row = page.get_by_test_id("queue-row").filter(has_text=claim.control_number)
        expect(row).to_contain_text(practice.name)
    expect(table).not_to_contain_text(coders_petrov.control_number)
    expect(table).not_to_contain_text(strangers.control_number)
    shot(page, tmp_path, "11-agency-queue")

    # Searching a name three practices share finds the claim of the practice they bill for.
    page.get_by_test_id("queue-search").fill("Petrov")
    page.get_by_test_id("queue-search").press("Enter")
    expect(page.get_by_test_id("queue-row")).to_have_count(1)
    expect(page.get_by_test_id("queue-row").first).to_contain_text(petrov.control_number)
    expect(page.get_by_test_id("queue-row").first).to_contain_text("Riverbend Cardiology")
    shot(page, tmp_path, "12-agency-search")

    # Next claim hands out every claim of both practices, each once, and nothing else.
    handed = []
    for _ in range(3):
        page.goto(f"{base}/claims/queue/denied/")
        page.get_by_test_id("next-claim").click()
        expect(page.get_by_test_id("claim-assignee")).to_have_text("Ari Agency")
        handed.append(int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert set(handed) == mine
    page.goto(f"{base}/claims/queue/denied/")
    page.get_by_test_id("next-claim").click()
    expect(page.get_by_role("alert")).to_contain_text("No unassigned claim is left in Denied.")

    # Where they only code, the claim page is read-only and its biller actions are refused;
    # a practice they do not work in does not exist for them.
    page.goto(f"{base}/claims/{coders_petrov.pk}/")
    expect(page.get_by_test_id("claim-status")).to_have_text("Denied")
    expect(page.get_by_role("heading", name="Work this claim")).to_have_count(0)
    expect(page.get_by_role("link", name="Correct (replacement)")).to_have_count(0)
    shot(page, tmp_path, "13-coder-only-claim")
    assert page.goto(f"{base}/claims/{coders_petrov.pk}/correct/").status == 403
    assert page.goto(f"{base}/claims/{strangers.pk}/").status == 404
    assert page.goto(f"{base}/claims/{strangers.pk}/correct/").status == 404
    assert (
        not Claim.objects.filter(pk__in=[coders_petrov.pk, strangers.pk])
        .exclude(assignee=None)
        .exists()
    )

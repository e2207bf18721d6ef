"""The main pages of every role load in a real browser under the Content-Security-Policy with
nothing in the console: no refused inline style or script, no error, no failed request."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rcm.practice.models import Role
from tests.browser.conftest import sign_in
from tests.claims.test_pipeline import ready_claim
from tests.factories import MembershipFactory, PatientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reported to the console too, but this names the directive and what it refused.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


def watch(page) -> list[str]:
    """Every console error, uncaught page error and failed request of the page, as text."""
    problems: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: problems.append(f"{page.url}: {message.text}")
        if message.type in ("error", "warning") else None,
    )  # fmt: skip
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.on(
        "response",
        lambda response: problems.append(f"{response.url}: HTTP {response.status}")
        if response.status >= 400 else None,
    )  # fmt: skip
    return problems


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")  # htmx fragments and their scripts too


def practice_of(user):
    return user.memberships.get().practice


def user_with(role: str, practice, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, practice=practice, role=role)
    return user


def test_the_main_pages_of_every_role_log_nothing(page, live_server, coder_with_work):
    practice = practice_of(coder_with_work)
    patient = PatientFactory(practice=practice, last_name="Okafor")
    claim = ready_claim(practice)
    base = live_server.url
    problems = watch(page)
    pages = {
        Role.FRONT_DESK: [
            "/front-desk/",
            "/patients/?q=Okafor",
            f"/patients/{patient.pk}/",
            "/patients/register/",
        ],
        Role.CODER: ["/coding/", "/coding/worklist/"],
        Role.BILLER: [
            "/billing/",
            "/claims/queue/ready/",
            f"/claims/{claim.pk}/",
            "/remittances/quarantine/",
            "/api/docs/",
        ],
        Role.ADMINISTRATOR: [
            "/administration/",
            "/administration/audit/?patient=Okafor",
            "/administration/setup/",
            f"/administration/setup/{practice.pk}/users/",
            f"/administration/setup/{practice.pk}/providers/",
            f"/administration/setup/{practice.pk}/payers/",
            f"/administration/setup/{practice.pk}/fees/",
            f"/administration/setup/{practice.pk}/clearinghouse/",
        ],
    }
    for role, urls in pages.items():
        user = coder_with_work if role == Role.CODER else user_with(role, practice, f"u_{role}")
        page.context.clear_cookies()
        sign_in(page, base, user.username)
        for url in urls:
            visit(page, base + url)
        if role == Role.CODER:
            page.get_by_role("button", name="Next encounter").click()
            expect(page.get_by_test_id("clinical-note")).to_contain_text("hyperglycemia")
            page.wait_for_load_state("networkidle")
            page.get_by_label("Diagnosis 1", exact=True).focus()
            page.keyboard.type("E11")
            expect(page.get_by_role("option").first).to_contain_text("E11")
        if role == Role.BILLER:
            expect(page.locator(".swagger-ui .info")).to_contain_text("RCM API")

    page.context.clear_cookies()
    operator = UserFactory(username="operator_c", is_staff=True, is_superuser=True)
    visit(page, f"{base}/admin/login/")
    page.get_by_label("Username").fill(operator.username)
    page.get_by_label("Password").fill("test-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    for url in ("/admin/practice/practice/", f"/admin/practice/practice/{practice.pk}/change/"):
        visit(page, base + url)

    assert problems == [], "\n".join(problems)

"""Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from coding.models import Code, CodeSetRelease, CodeSystem
from rcm.practice.models import Role
from tests.factories import EncounterFactory, MembershipFactory, PracticeFactory, UserFactory

# Playwright's sync API keeps an event loop on the test thread; Django would otherwise refuse
# ORM calls from it (the live server runs in its own thread either way).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's services at start: this network is closed.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", "test-results"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: on a loaded 2-core machine an htmx answer can take
    # longer than Playwright's 5 s default, and a slow answer is not a wrong one.
    expect.set_options(timeout=10_000)

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make chromium` installs Debian's package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


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
    """A coder of "Coding Clinic" with one visit to code, on a small synthetic code release."""
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


def sign_in(page, base_url: str, username: str, password: str = "test-password-1") -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/login/verify/" in page.url:  # an enrolled user's second step: the code from the device
        page.get_by_label("Code from your authenticator app").fill(_totp_code_for(username))
        page.get_by_role("button", name="Verify").click()


def _totp_code_for(username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    assert device is not None, f"{username} has no confirmed authenticator to sign in with"
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

"""The coding form's typeahead against the races a fast typist (or a slow network) meets: the
list opens for the first query typed, a field left behind does not close the next one's list,
and after Escape no late answer reopens it. Page timers run on Playwright's clock."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEARCH = "**/api/codes/search/**"


def open_form(page, live_server, user) -> None:
    """The coding form, its timers then on a paused clock: they run only in `run_for`."""
    page.clock.install()
    sign_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/coding/worklist/")
    page.get_by_role("button", name="Next encounter").click()
    expect(page.get_by_test_id("clinical-note")).to_contain_text("hyperglycemia")
    page.wait_for_load_state("load")
    page.clock.pause_at(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=2))


def held_routes(page) -> list:
    held: list = []
    page.route(SEARCH, lambda route: held.append(route))
    return held


def pump_until(page, condition) -> None:
    """Let Playwright dispatch its events (route handlers) until `condition()` holds."""
    for _ in range(100):
        if condition():
            return
        page.wait_for_timeout(50)  # the driver's timer, not the page's (faked) clock
    raise AssertionError("timed out")


def test_the_list_opens_for_what_was_typed_before_the_script_ran(
    page,
    live_server,
    coder_with_work,
):
    sign_in(page, live_server.url, coder_with_work.username)
    page.goto(f"{live_server.url}/coding/worklist/")
    scripts: list = []
    # The form's script arrives late, after the coder has started typing.
    page.route("**/js/coding*.js", lambda route: scripts.append(route))
    page.get_by_role("button", name="Next encounter").click()
    field = page.get_by_label("Diagnosis 1", exact=True)
    field.focus()
    page.keyboard.type("DM2 hyperglycemia")
    pump_until(page, lambda: bool(scripts))

    scripts[0].continue_()

    expect(page.get_by_role("option").first).to_contain_text("E11.65")
    page.keyboard.press("Enter")
    expect(field).to_have_value("E11.65")


def test_leaving_a_code_field_does_not_close_the_next_fields_list(
    page,
    live_server,
    coder_with_work,
):
    open_form(page, live_server, coder_with_work)
    listbox = page.get_by_role("listbox")

    page.get_by_label("Diagnosis 1", exact=True).focus()
    page.get_by_label("Line 1 procedure code", exact=True).focus()  # diagnosis 1 left
    page.keyboard.type("99")
    page.clock.run_for(130)  # typing has paused: the search is asked for
    expect(page.get_by_role("option").first).to_contain_text("99213")
    page.clock.run_for(200)  # what leaving diagnosis 1 scheduled is past

    expect(listbox).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Line 1 procedure code", exact=True)).to_have_value("99213")


def test_escape_closes_the_list(page, live_server, coder_with_work):
    open_form(page, live_server, coder_with_work)
    page.get_by_label("Diagnosis 1", exact=True).focus()
    page.keyboard.type("E11")
    page.clock.run_for(130)
    expect(page.get_by_role("option").first).to_contain_text("E11")

    page.keyboard.press("Escape")

    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(page.get_by_label("Diagnosis 1", exact=True)).to_have_value("E11")


@pytest.mark.parametrize("list_open_before", [False, True])
def test_a_late_answer_does_not_reopen_the_list_after_escape(
    page,
    live_server,
    coder_with_work,
    list_open_before,
):
    open_form(page, live_server, coder_with_work)
    field = page.get_by_label("Diagnosis 1", exact=True)
    field.focus()
    if list_open_before:
        page.keyboard.type("E1")
        page.clock.run_for(130)
        expect(page.get_by_role("option").first).to_contain_text("E11")
    held = held_routes(page)
    page.keyboard.type("1.6")
    page.clock.run_for(130)  # the search for "E11.6" (or "1.6") is asked for, and held
    pump_until(page, lambda: bool(held))

    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)
    with page.expect_response(SEARCH):
        held[0].continue_()  # the answer arrives after Escape
    page.clock.run_for(500)
    page.wait_for_timeout(300)  # its handler has run

    expect(page.get_by_role("listbox")).to_have_count(0)

"""The payer-rules page of practice setup: list, add, edit, switch off; every input checked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcm.practice.models import PayerRule
from tests.factories import PayerFactory


@pytest.fixture
def payer(db):
    return PayerFactory(name="Acme Health")


def _form(the_payer, **changes):
    data = {
        "payer": the_payer.pk, "codes": "97110, 97010-97799", "place_of_service": "",
        "action": "modifier", "modifier": "gp", "message": "", "severity": "error",
        "is_active": "on",
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_administrator_adds_lists_edits_and_switches_off_a_rule(admin_client, practice_a, payer):
    url = reverse("practice-setup-payer-rules", args=[practice_a.pk])

    response = admin_client.post(url, _form(payer))

    assert response.status_code == 302
    rule = PayerRule.objects.get()
    assert (rule.practice, rule.codes, rule.modifier, rule.is_active) == (
        practice_a, "97110, 97010-97799", "GP", True,
    )  # fmt: skip
    page = admin_client.get(url)
    assert b"97010-97799" in page.content and b"Acme Health" in page.content

    edit = reverse("practice-setup-payer-rule-edit", args=[practice_a.pk, rule.pk])
    assert admin_client.get(edit).status_code == 200
    admin_client.post(edit, _form(payer, action="hold", message="Call the payer first."))
    rule.refresh_from_db()
    assert (rule.action, rule.modifier, rule.message) == ("hold", "", "Call the payer first.")

    off = reverse("practice-setup-payer-rule-deactivate", args=[practice_a.pk, rule.pk])
    assert admin_client.post(off).status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"codes": ""}, "Enter the procedure codes."),
        ({"codes": "97110, 123"}, "is not a procedure code"),
        ({"codes": "97799-97010"}, "runs backwards"),
        ({"codes": "99213 " * 101}, "at most 400 characters"),
        ({"place_of_service": "1A"}, "two-digit place of service"),
        ({"modifier": ""}, "Enter the modifier"),
        ({"modifier": "G*"}, "two letters or digits"),
        ({"action": "hold", "message": ""}, "Say why the claim is held"),
        ({"action": "explode"}, "Choose one of the actions."),
        ({"severity": "fatal"}, "Choose error or warning."),
        ({"payer": "999999"}, "Choose one of the payers."),
        ({"message": "line\nbreak", "action": "hold"}, "may not contain line breaks"),
    ],
)
def test_a_bad_rule_is_refused_with_a_message(admin_client, practice_a, payer, changes, message):
    url = reverse("practice-setup-payer-rules", args=[practice_a.pk])

    response = admin_client.post(url, _form(payer, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PayerRule.objects.exists()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(max_size=500))
def test_any_text_in_any_field_is_a_page_not_a_500(admin_client, practice_a, payer, value):
    url = reverse("practice-setup-payer-rules", args=[practice_a.pk])
    for field in ("codes", "place_of_service", "modifier", "message", "payer", "severity"):
        response = admin_client.post(url, _form(payer, **{field: value}))
        assert response.status_code in (200, 302, 400), (field, response.status_code)
    PayerRule.objects.all().delete()


def test_another_practices_rule_is_not_found(admin_client, practice_a, practice_b, payer):
    other = PayerRule.objects.create(practice=practice_b, payer=payer, codes="97110",
                                     action="hold", message="x")  # fmt: skip

    edit = reverse("practice-setup-payer-rule-edit", args=[practice_a.pk, other.pk])
    off = reverse("practice-setup-payer-rule-deactivate", args=[practice_a.pk, other.pk])

    assert admin_client.get(edit).status_code == 404
    assert admin_client.post(off).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_a_biller_may_not_set_rules(client, biller, practice_a):
    client.force_login(biller)

    response = client.get(reverse("practice-setup-payer-rules", args=[practice_a.pk]))

    assert response.status_code == 403

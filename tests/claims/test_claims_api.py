"""Claims API: queue lists with filters and search, detail with timeline, the biller's writes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import Claim, ClaimEvent, EventKind
from claims.state import ClaimStatus
from tests.factories import ClaimFactory


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def claim(practice, status=ClaimStatus.READY, **kwargs):
    return ClaimFactory(encounter__patient__practice=practice, status=status, **kwargs)


def test_the_list_takes_the_queues_filters_and_search(biller, practice_a, practice_b):
    big = claim(practice_a, ClaimStatus.DENIED, total_charge=Decimal("700.00"))
    claim(practice_a, ClaimStatus.DENIED, total_charge=Decimal("70.00"))
    claim(practice_a, ClaimStatus.READY)
    claim(practice_b, ClaimStatus.DENIED, total_charge=Decimal("900.00"))
    api = api_for(biller)

    denied = api.get(reverse("api-claim-list"), {"queue": "denied", "sort": "amount"}).json()
    assert [row["total_charge"] for row in denied["results"]] == ["700.00", "70.00"]
    over = api.get(reverse("api-claim-list"), {"queue": "denied", "amount_min": "100"}).json()
    assert [row["id"] for row in over["results"]] == [big.pk]
    found = api.get(reverse("api-claim-list"), {"q": big.control_number}).json()
    assert [row["id"] for row in found["results"]] == [big.pk]
    assert api.get(reverse("api-claim-list")).json()["count"] == 3  # all mine, none of B's


def test_the_list_costs_the_same_queries_for_any_number_of_claims(
    biller, practice_a, django_assert_num_queries
):
    api = api_for(biller)
    for _ in range(3):
        claim(practice_a)
    with django_assert_num_queries(6) as few:  # the page's ids, then their rows
        api.get(reverse("api-claim-list"), {"queue": "ready"})
    for _ in range(60):
        claim(practice_a)
    with django_assert_num_queries(len(few.captured_queries)):
        response = api.get(reverse("api-claim-list"), {"queue": "ready"})
    assert response.json()["count"] == 63


@pytest.mark.parametrize(
    "params",
    [{"queue": "nope"}, {"amount_min": "1e400"}, {"service_from": "2026-02-30"},
     {"payer": "٣"}, {"assignee": "everyone"}, {"sort": "random()"}, {"age": "old"}],
)  # fmt: skip
def test_hostile_list_filters_are_a_400(biller, params):
    response = api_for(biller).get(reverse("api-claim-list"), params)

    assert response.status_code == 400
    assert response.json()


def test_detail_has_lines_and_the_timeline(biller, practice_a):
    found = claim(practice_a)
    api = api_for(biller)
    api.post(reverse("api-claim-note", args=[found.pk]), {"text": "Checked"}, format="json")

    body = api.get(reverse("api-claim-detail", args=[found.pk])).json()

    assert body["timeline"][-1]["kind"] == "note"
    assert body["timeline"][-1]["note"] == "Checked"
    assert body["timeline"][-1]["who"] == biller.get_full_name()
    assert body["on_hold"] is False


def test_the_writes(biller, practice_a):
    found = claim(practice_a)
    api = api_for(biller)
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()

    def post(name, body=None):
        return api.post(reverse(name, args=[found.pk]), body or {}, format="json")

    assert post("api-claim-assign", {"assignee": biller.pk}).json()["assignee_id"] == biller.pk
    assert post("api-claim-follow-up", {"date": day}).json()["follow_up_on"] == day
    assert post("api-claim-hold", {"reason": "Records"}).json()["on_hold"] is True
    submit = post("api-claim-submit")
    assert submit.status_code == 400
    assert "on hold" in submit.json()["non_field_errors"][0]
    assert post("api-claim-release").json()["on_hold"] is False
    assert post("api-claim-submit").json()["status"] == ClaimStatus.QUEUED
    assert post("api-claim-note", {"text": "Sent"}).status_code == 201
    status_check = post("api-claim-status-check")
    assert status_check.status_code == 400  # queued: not with the payer yet
    Claim.objects.filter(pk=found.pk).update(status=ClaimStatus.ACCEPTED)
    assert post("api-claim-status-check").status_code == 202
    kinds = list(found.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.ASSIGNMENT, EventKind.FOLLOW_UP, EventKind.HOLD, EventKind.RELEASE,
        EventKind.STATUS, EventKind.NOTE, EventKind.STATUS_CHECK,
    ]  # fmt: skip


WRITES = ["api-claim-assign", "api-claim-follow-up", "api-claim-hold", "api-claim-release",
          "api-claim-note", "api-claim-submit", "api-claim-status-check"]  # fmt: skip


@pytest.mark.parametrize("name", WRITES)
def test_another_practices_claim_is_404_and_a_coder_403(
    name, biller, coder, practice_a, practice_b
):
    theirs = claim(practice_b)
    mine = claim(practice_a)

    assert (
        api_for(biller).post(reverse(name, args=[theirs.pk]), {}, format="json").status_code == 404
    )
    assert api_for(coder).post(reverse(name, args=[mine.pk]), {}, format="json").status_code == 403


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("api-claim-note", {"text": "a\u0000b"}), ("api-claim-note", {"text": "x" * 5000}),
        ("api-claim-note", {"text": ["a"]}), ("api-claim-note", []),
        ("api-claim-hold", {"reason": ""}), ("api-claim-hold", {"reason": {"a": 1}}),
        ("api-claim-follow-up", {"date": "9999-99-99"}),
        ("api-claim-follow-up", {"date": "3026-01-01"}),
        ("api-claim-assign", {"assignee": "²"}), ("api-claim-assign", {"assignee": 10**20}),
        ("api-claim-assign", {"assignee": 999999}),
    ],
)  # fmt: skip
def test_hostile_writes_are_a_400_and_change_nothing(name, body, biller, practice_a):
    found = claim(practice_a)
    before = (ClaimEvent.objects.count(), Claim.objects.filter(pk=found.pk).values().get())

    response = api_for(biller).post(reverse(name, args=[found.pk]), body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()
    assert (ClaimEvent.objects.count(), Claim.objects.filter(pk=found.pk).values().get()) == before


def test_the_schema_documents_every_claim_endpoint(client, biller):
    client.force_login(biller)
    schema = client.get(reverse("api-schema")).content.decode()

    for path in ("/assign/", "/follow-up/", "/hold/", "/release/", "/notes/", "/submit/",
                 "/status-check/", "/void/", "/scrub/"):  # fmt: skip
        assert f"/api/claims/{{id}}{path}" in schema
    assert "amount_min" in schema


def test_void_an_unsent_claim_and_refuse_one_already_void(biller, practice_a):
    unsent = claim(practice_a, status=ClaimStatus.DRAFT)
    api = api_for(biller)

    answer = api.post(
        reverse("api-claim-void", args=[unsent.pk]), {"reason": "Entered twice"}, format="json"
    )

    assert answer.status_code == 200 and answer.json()["status"] == ClaimStatus.VOID
    again = api.post(reverse("api-claim-void", args=[unsent.pk]), {}, format="json")
    assert again.status_code == 400
    assert "void" in str(again.json()).lower()
    assert ClaimEvent.objects.filter(claim=unsent, to_status=ClaimStatus.VOID).count() == 1


def test_void_an_adjudicated_claim_without_a_payer_number_is_refused(biller, practice_a):
    denied = claim(practice_a, status=ClaimStatus.DENIED, payer_claim_number="")

    answer = api_for(biller).post(reverse("api-claim-void", args=[denied.pk]), {}, format="json")

    assert answer.status_code == 400
    assert "payer" in str(answer.json()).lower()
    denied.refresh_from_db()
    assert denied.status == ClaimStatus.DENIED and not denied.replacements.exists()


def test_scrub_again_through_the_api(biller, practice_a):
    from tests.factories import ClaimDiagnosisFactory, ClaimLineFactory

    draft = claim(practice_a, status=ClaimStatus.DRAFT)
    ClaimDiagnosisFactory(claim=draft)
    ClaimLineFactory(claim=draft, position=1)
    api = api_for(biller)

    answer = api.post(reverse("api-claim-scrub", args=[draft.pk]), format="json")

    assert answer.status_code == 200 and answer.json()["status"] == ClaimStatus.READY
    submitted = claim(practice_a, status=ClaimStatus.SUBMITTED)
    refused = api.post(reverse("api-claim-scrub", args=[submitted.pk]), format="json")
    assert refused.status_code == 400 and "draft or a ready claim" in str(refused.json())

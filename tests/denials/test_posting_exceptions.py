"""Posting exceptions: an unapplied claim payment is kept and queued; a biller matches it by
hand (posted like automatic posting) or resolves it; hostile input changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimEvent
from claims.state import ClaimStatus
from denials.inbox import era_post
from denials.models import Adjustment, ClaimPayment, PostingException, Remittance
from tests.denials.fixtures import northwind_bytes, northwind_claims
from tests.factories import ClaimFactory, PayerFactory

S = ClaimStatus


@pytest.fixture
def northwind(db):
    return PayerFactory(payer_id="NWH01", name="NORTHWIND HEALTH")


@pytest.fixture
def claims(practice_a, northwind):
    return northwind_claims(practice=practice_a, payer=northwind)


@pytest.fixture
def posted(claims):
    """The Northwind 835 posted: CLM9999 (no such claim) is its one exception."""
    era_post(content=northwind_bytes(), name="northwind.835")
    return PostingException.objects.get()


@pytest.fixture
def stray_claim(practice_a, northwind, claims):
    """The claim the payer meant by CLM9999 (they mistyped our control number)."""
    return ClaimFactory(
        encounter__patient=claims["CLM7781"].patient,
        coverage=claims["CLM7781"].coverage,
        control_number="CLM8899",
        status=S.ACCEPTED,
    )


def test_an_unmatched_clp_posts_the_others_and_makes_one_exception(posted, claims, practice_a):
    assert (posted.practice, posted.reason, posted.status) == (practice_a, "no_claim", "open")
    assert posted.message == "no claim with control number CLM9999"
    assert posted.claim_payment.control_number == "CLM9999"
    assert posted.claim_payment.claim is None
    assert ClaimPayment.objects.exclude(claim=None).count() == 5
    assert Claim.objects.get(pk=claims["CLM7781"].pk).status == S.PAID


def test_the_exceptions_page_lists_the_open_ones_with_the_reason(client, biller, posted):
    client.force_login(biller)

    page = client.get(reverse("posting-exceptions"))

    assert page.status_code == 200
    assert list(page.context["page_obj"]) == [posted]
    assert b"no claim with control number CLM9999" in page.content


def test_matching_by_hand_posts_it_and_moves_the_claim(client, biller, posted, stray_claim):
    client.force_login(biller)
    found = client.get(reverse("posting-exception", args=[posted.pk]), {"q": "CLM8899"})
    assert [c.pk for c in found.context["candidates"]] == [stray_claim.pk]

    response = client.post(
        reverse("posting-exception-match", args=[posted.pk]), {"claim": stray_claim.pk}
    )

    assert response.status_code == 302
    stray_claim.refresh_from_db()
    assert stray_claim.status == S.PAID  # CLP02 1, paid 80.00: the same rule as posting
    assert stray_claim.payer_claim_number == "2026331000128"
    event = ClaimEvent.objects.filter(claim=stray_claim).latest("id")
    assert (event.to_status, event.user) == (S.PAID, biller)
    payment = ClaimPayment.objects.get(control_number="CLM9999")
    assert payment.claim == stray_claim
    assert set(
        Adjustment.objects.filter(claim_payment=payment).values_list("claim_id", flat=True)
    ) <= {stray_claim.pk}
    posted.refresh_from_db()
    assert (posted.status, posted.resolved_by, posted.matched_claim) == (
        "resolved",
        biller,
        stray_claim,
    )
    assert posted.resolution_note == "matched by hand to claim CLM8899"
    assert client.get(reverse("posting-exceptions")).context["page_obj"].paginator.count == 0


def test_a_claim_that_cannot_take_the_payment_is_refused_and_nothing_changes(
    client, biller, posted, stray_claim
):
    Claim.objects.filter(pk=stray_claim.pk).update(status=S.VOID)
    client.force_login(biller)

    response = client.post(
        reverse("posting-exception-match", args=[posted.pk]), {"claim": stray_claim.pk}
    )

    assert response.status_code == 400
    assert "Claim CLM8899 is voided: it cannot take this payment" in response.content.decode()
    stray_claim.refresh_from_db()
    assert (stray_claim.status, stray_claim.payer_claim_number) == (S.VOID, "")
    posted.refresh_from_db()
    assert posted.status == "open" and posted.claim_payment.claim is None


def test_resolving_without_posting(client, biller, posted):
    client.force_login(biller)

    response = client.post(
        reverse("posting-exception-resolve", args=[posted.pk]),
        {"note": "not ours: returned to payer"},
    )

    assert response.status_code == 302
    posted.refresh_from_db()
    assert (posted.status, posted.resolution_note, posted.resolved_by) == (
        "resolved", "not ours: returned to payer", biller,
    )  # fmt: skip
    assert posted.claim_payment.claim is None and posted.resolved_at is not None
    again = client.post(reverse("posting-exception-resolve", args=[posted.pk]), {"note": "x"})
    assert again.status_code == 400
    assert "already resolved" in again.content.decode()


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        ("CLM8899*1~", "is not a claim id"),  # X12 delimiters
        ("12\x0034", "NUL"),  # NUL: the middleware refuses it for every field
        ("١٢", "is not a claim id"),  # Arabic-Indic digits
        ("9" * 40, "is not a claim id"),  # beyond bigint
        ("999999999999999999", "No claim with id 999999999999999999 in this practice"),
        ("", "is not a claim id"),
    ],
)
def test_hostile_claim_input_gets_a_clear_message_and_changes_nothing(
    client, biller, posted, claim, words
):
    client.force_login(biller)
    events = ClaimEvent.objects.count()

    response = client.post(reverse("posting-exception-match", args=[posted.pk]), {"claim": claim})

    assert response.status_code == 400
    assert words in response.content.decode()
    posted.refresh_from_db()
    assert posted.status == "open" and ClaimEvent.objects.count() == events


def test_another_practices_claim_cannot_be_matched(client, biller, posted, practice_b):
    theirs = ClaimFactory(encounter__patient__practice=practice_b, status=S.ACCEPTED)
    client.force_login(biller)

    response = client.post(
        reverse("posting-exception-match", args=[posted.pk]), {"claim": theirs.pk}
    )

    assert response.status_code == 400
    assert "in this practice" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == S.ACCEPTED


@pytest.mark.parametrize(
    ("note", "words"),
    [("   ", "Say why it is resolved"), ("a\x00b", "NUL"), ("x" * 501, "keep it to 500")],
)
def test_a_bad_note_is_refused(client, biller, posted, note, words):
    client.force_login(biller)

    response = client.post(reverse("posting-exception-resolve", args=[posted.pk]), {"note": note})

    assert response.status_code == 400
    assert words in response.content.decode()
    posted.refresh_from_db()
    assert posted.status == "open"


@pytest.mark.parametrize("q", ["CLM*~:^", "a\x00b", "١٢٣", "x" * 61])
def test_hostile_searches_answer_in_words(client, biller, posted, q):
    client.force_login(biller)

    page = client.get(reverse("posting-exception", args=[posted.pk]), {"q": q})
    listing = client.get(reverse("remittance-list"), {"q": q})

    assert page.status_code in (200, 400) and listing.status_code in (200, 400)
    if page.status_code == 400:
        assert "search" in page.content.decode() or "NUL" in page.content.decode()


def test_another_practices_exception_is_404_and_a_wrong_role_403(client, biller_b, coder, posted):
    client.force_login(biller_b)
    assert client.get(reverse("posting-exception", args=[posted.pk])).status_code == 404
    assert (
        client.post(
            reverse("posting-exception-resolve", args=[posted.pk]), {"note": "mine"}
        ).status_code
        == 404
    )
    assert client.get(reverse("posting-exception", args=[10**30])).status_code == 404
    client.force_login(coder)
    assert client.get(reverse("posting-exception", args=[posted.pk])).status_code == 403
    posted.refresh_from_db()
    assert posted.status == "open"


def test_the_remittance_list_and_page(client, biller, posted, claims):
    client.force_login(biller)
    remittance = Remittance.objects.get()

    listing = client.get(reverse("remittance-list"))
    page = client.get(reverse("remittance-detail", args=[remittance.pk]))

    assert listing.status_code == 200
    assert list(listing.context["page_obj"]) == [remittance]
    row = listing.context["page_obj"][0]
    assert (row.claim_count, row.open_exceptions) == (6, 1)
    text = listing.content.decode()
    assert "NORTHWIND HEALTH" in text and "T48213" in text and "1 exception" in text
    assert "Practice" not in text  # one practice: no column
    body = page.content.decode()
    assert page.status_code == 200
    assert "$501.10" in body and "ACH" in body
    assert reverse("claim-detail", args=[claims["CLM7781"].pk]) in body
    assert "Processed as primary" in body and "Denied" in body
    assert "L6: Interest owed" in body
    assert reverse("remittance-file", args=[remittance.pk]) in body
    assert "no claim with control number CLM9999" in body
    file = client.get(reverse("remittance-file", args=[remittance.pk]))
    assert file.status_code == 200 and file.content == northwind_bytes()


def test_the_list_searches_by_trace_or_payer(client, biller, posted):
    client.force_login(biller)

    def found(q: str) -> int:
        return client.get(reverse("remittance-list"), {"q": q}).context["page_obj"].paginator.count

    assert (found("t482"), found("northwind"), found("nobody")) == (1, 1, 0)


def test_an_agency_user_sees_every_practice_with_a_practice_column(
    client, biller, posted, practice_b
):
    from tests.factories import MembershipFactory

    MembershipFactory(user=biller, practice=practice_b, role="biller")
    Remittance.objects.create(
        practice=practice_b, payer_name="OTHER PAYER", trace_number="TB1",
        payer_identifier="X", payment_method="CHK", payment_amount=0,
    )  # fmt: skip
    client.force_login(biller)

    listing = client.get(reverse("remittance-list"))

    assert {r.trace_number for r in listing.context["page_obj"]} == {"T48213", "TB1"}
    assert "<th>Practice</th>" in listing.content.decode()


def test_another_practices_remittance_is_404_and_a_wrong_role_403(client, biller_b, coder, posted):
    remittance = Remittance.objects.get()
    client.force_login(biller_b)
    assert client.get(reverse("remittance-detail", args=[remittance.pk])).status_code == 404
    assert client.get(reverse("remittance-file", args=[remittance.pk])).status_code == 404
    assert list(client.get(reverse("remittance-list")).context["page_obj"]) == []
    client.force_login(coder)
    assert client.get(reverse("remittance-detail", args=[remittance.pk])).status_code == 403
    assert client.get(reverse("remittance-list")).status_code == 403


def test_the_lists_and_the_page_take_as_many_queries_for_many_rows_as_for_one(
    client, biller, posted, practice_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(biller)
    remittance = Remittance.objects.get()

    def queries() -> list[int]:
        counts = []
        for url in (
            reverse("remittance-list"),
            reverse("posting-exceptions"),
            reverse("remittance-detail", args=[remittance.pk]),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    before = queries()
    for n in range(3):
        other = Remittance.objects.create(
            practice=practice_a, payer_name="NORTHWIND HEALTH", trace_number=f"TX{n}",
            payer_identifier="1512345678", payment_method="CHK", payment_amount=0,
        )  # fmt: skip
        payment = ClaimPayment.objects.create(
            practice=practice_a, remittance=other, control_number=f"CLMX{n}", status_code="1",
            charge=0, paid=0,
        )  # fmt: skip
        PostingException.objects.create(
            practice=practice_a, remittance=other, claim_payment=payment, reason="no_claim",
            message=f"no claim with control number CLMX{n}",
        )  # fmt: skip
    assert queries() == before

"""The queues' reason filter: a group and a CARC, a bare CARC, a RARC, words, a scrubber edit,
and hostile text, against claims denied and paid by their 835s."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimEdit, ClaimEvent
from claims.queues import QUEUES, ClaimCriteria, claim_queue_page
from claims.reason_filter import reason_read
from claims.state import ClaimStatus
from coding.models import Code, CodeSetRelease
from denials.models import Adjustment, ClaimPayment, LinePayment, Remittance
from tests.factories import ClaimFactory, ClaimLineFactory

S = ClaimStatus


@pytest.fixture
def code_words(db):
    rows = {
        "CARC": [("16", "Claim/service lacks information or has submission/billing error(s)."),
                 ("45", "Charge exceeds fee schedule/maximum allowable."),
                 ("29", "The time limit for filing has expired"),
                 ("197", "Precertification/authorization/notification/pre-treatment absent")],
        "RARC": [("N290", "Missing/incomplete/invalid rendering provider primary identifier."),
                 ("M62", "Missing/incomplete/invalid treatment authorization code")],
    }  # fmt: skip
    for system, codes in rows.items():
        release = CodeSetRelease.objects.create(
            system=system, version=f"test {system}", effective_date=datetime.date(2020, 1, 1),
            source="test",
        )  # fmt: skip
        Code.objects.bulk_create(
            Code(release=release, system=system, code=code, compact=code, description=words)
            for code, words in codes
        )


def remitted(practice, status, *, adjustments, claim_remarks=(), line_remarks=()):
    """A claim with one 835 claim payment, one line payment and its CAS triplets."""
    claim = ClaimFactory(
        encounter__patient__practice=practice, status=status, total_charge=Decimal("100.00")
    )
    line = ClaimLineFactory(claim=claim, position=1, charge=Decimal("100.00"))
    remittance = Remittance.objects.create(
        practice=practice, payer=claim.payer, payer_name="P", trace_number=f"T{claim.pk}",
        payer_identifier="1999999999", payment_method="ACH", payment_amount=Decimal("0"),
    )  # fmt: skip
    payment = ClaimPayment.objects.create(
        practice=practice, remittance=remittance, claim=claim, control_number=claim.control_number,
        status_code="4" if status == S.DENIED else "1", charge=Decimal("100"), paid=Decimal("0"),
        remarks=list(claim_remarks),
    )  # fmt: skip
    line_payment = LinePayment.objects.create(
        claim_payment=payment, claim_line=line, procedure_code="99213", charge=Decimal("100"),
        paid=Decimal("0"), remarks=list(line_remarks),
    )  # fmt: skip
    for group, reason in adjustments:
        Adjustment.objects.create(
            claim_payment=payment,
            claim=claim,
            line_payment=line_payment,
            group=group,
            reason=reason,
            amount=1,
        )
    return claim


def found(biller, reason, queue="all"):
    page = claim_queue_page(
        user=biller, queue=QUEUES[queue], criteria=ClaimCriteria(reason=reason), sort="oldest",
        now=timezone.now(),
    )  # fmt: skip
    return {c.control_number for c in page.claims}


@pytest.fixture
def claims(practice_a, code_words):
    return {
        "co16": remitted(practice_a, S.DENIED, adjustments=[("CO", "16")], line_remarks=["N290"]),
        "co45": remitted(practice_a, S.PAID, adjustments=[("CO", "45")]),
        "pr16": remitted(practice_a, S.DENIED, adjustments=[("OA", "16")]),
        "auth": remitted(practice_a, S.DENIED, adjustments=[("CO", "197")], claim_remarks=["M62"]),
        "late": remitted(practice_a, S.DENIED, adjustments=[("CO", "29")]),
    }


def numbers(claims, *keys):
    return {claims[key].control_number for key in keys}


def test_a_group_and_carc_finds_the_claims_denied_with_it(biller, claims):
    assert found(biller, "CO-16") == numbers(claims, "co16")
    assert found(biller, "co 16") == numbers(claims, "co16")
    assert found(biller, "CO-45") == numbers(claims, "co45")
    assert claims["co45"].control_number not in found(biller, "CO-16")


def test_a_bare_carc_finds_it_in_any_group(biller, claims):
    assert found(biller, "16") == numbers(claims, "co16", "pr16")
    assert found(biller, "197") == numbers(claims, "auth")


def test_a_rarc_finds_line_and_claim_remarks(biller, claims):
    assert found(biller, "N290") == numbers(claims, "co16")  # LQ on the line
    assert found(biller, "m62") == numbers(claims, "auth")  # MOA on the claim


def test_words_find_the_codes_they_describe(biller, claims):
    # CARC 197 "…authorization…" and RARC M62 "…treatment authorization code".
    assert found(biller, "authorization") == numbers(claims, "auth")
    assert found(biller, "timely filing") == numbers(claims, "late")  # "time limit for filing"
    assert found(biller, "fee schedule") == numbers(claims, "co45")


def test_an_open_scrubber_edit_by_id_or_message(biller, practice_a, claims):
    held = ClaimFactory(encounter__patient__practice=practice_a, status=S.DRAFT)
    ClaimEdit.objects.create(
        claim=held, edit="npi.billing.luhn", severity="error",
        message="The billing provider's NPI fails its check digit.",
    )  # fmt: skip
    overridden = ClaimFactory(encounter__patient__practice=practice_a, status=S.READY)
    ClaimEdit.objects.create(
        claim=overridden, edit="npi.billing.luhn", severity="warning", message="x",
        overridden_at=timezone.now(),
    )  # fmt: skip

    assert found(biller, "npi.billing.luhn") == {held.control_number}
    assert found(biller, "check digit") == {held.control_number}


def test_the_timeline_notes_are_still_read(biller, practice_a, claims):
    rejected = ClaimFactory(encounter__patient__practice=practice_a, status=S.REJECTED)
    ClaimEvent.objects.create(
        claim=rejected, from_status=S.SUBMITTED, to_status=S.REJECTED, source="277CA",
        note="A7:562 Entity's National Provider Identifier (NPI)",
    )  # fmt: skip

    assert found(biller, "national provider") == {rejected.control_number}
    # The same words name RARC N290, "…rendering provider primary identifier": both found.
    assert found(biller, "provider identifier") == {
        rejected.control_number,
        claims["co16"].control_number,
    }


def test_another_practices_claims_are_never_found(biller, practice_b, claims):
    theirs = remitted(practice_b, S.DENIED, adjustments=[("CO", "16")])

    assert theirs.control_number not in found(biller, "CO-16")


def test_the_filter_is_one_indexed_subquery(biller, claims):
    claim_ids = Claim.objects.filter(ClaimCriteria(reason="CO-16").condition(
        user=biller, today=timezone.localdate()
    )).values_list("pk", flat=True)  # fmt: skip
    sql, params = claim_ids.query.sql_with_params()

    assert sql.count('"claims_claim"."id" IN ((SELECT') == 1
    assert "UNION ALL" in sql
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "denials_adjustment" in plan


@pytest.mark.parametrize(
    "text",
    ["CO-16\x00", "~*:^", "١٩٧", "CO-١٦", "%", "_", "'; DROP TABLE claims_claim; --", "A" * 80,
     "N290 OR 1=1", "\\", "PR-", "-16", "co--16"],
)  # fmt: skip
def test_hostile_reasons_are_no_500(client, biller, claims, text):
    client.force_login(biller)

    response = client.get(reverse("claim-queue", args=["denied"]), {"reason": text})

    assert response.status_code in (200, 400)
    assert found(biller, text.replace("\x00", "")) <= numbers(claims, *claims)


def test_the_reason_is_read_as_codes_or_words(db):
    assert reason_read("  ") is None
    assert reason_read("CO-16").group == "CO"
    assert reason_read("197").carcs == ("197",)
    assert reason_read("npi.billing.luhn").edit == "npi.billing.luhn"
    assert reason_read("١٩٧").carcs == ()  # not a code: Unicode digits are words


def test_a_reason_costs_no_query_or_one_for_words(
    client, biller, claims, django_assert_num_queries
):
    client.force_login(biller)
    client.get(reverse("claim-queue", args=["denied"]))  # warm the session
    with django_assert_num_queries(10):
        client.get(reverse("claim-queue", args=["denied"]), {"reason": "CO-16"})
    with django_assert_num_queries(11):  # the codes whose description holds the words
        response = client.get(reverse("claim-queue", args=["denied"]), {"reason": "authorization"})

    assert response.context["totals"].count == 1

"""era_post: rows written, claim statuses, idempotency and refusals of the Northwind 835."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claims.models import Claim, ClaimEvent
from claims.state import ClaimStatus
from denials.inbox import era_post
from denials.models import Adjustment, ClaimPayment, LinePayment, ProviderAdjustment, Remittance
from denials.posting import PostingRefused, money
from rcm.files.models import FileStatus, StoredFile
from tests.denials.fixtures import (
    PAYEE_NPI,
    northwind_bytes,
    northwind_claims,
    one_claim_payment,
)
from tests.factories import ClaimFactory, PayerFactory, PracticeFactory

S = ClaimStatus


def D(text: str) -> Decimal:  # noqa: N802 - reads like a literal
    return Decimal(text)


@pytest.fixture
def northwind(db):
    return PayerFactory(payer_id="NWH01", name="NORTHWIND HEALTH")


@pytest.fixture
def claims(practice_a, northwind):
    return northwind_claims(practice=practice_a, payer=northwind)


def statuses(claims) -> dict[str, str]:
    return {number: Claim.objects.get(pk=claim.pk).status for number, claim in claims.items()}


def nothing_posted() -> bool:
    return not (Remittance.objects.exists() or ClaimPayment.objects.exists())


def test_posting_writes_one_remittance_with_its_payments(claims, practice_a, northwind):
    result = era_post(content=northwind_bytes(), name="northwind.835")

    remittance = Remittance.objects.get()
    assert (remittance.practice, remittance.payer, remittance.payer_name) == (
        practice_a,
        northwind,
        "NORTHWIND HEALTH",
    )
    assert (remittance.trace_number, remittance.payer_identifier) == ("T48213", "1512345678")
    assert (remittance.payment_method, remittance.payment_amount) == ("ACH", D("501.10"))
    payments = {
        p.control_number: (p.claim_id, p.status_code, p.charge, p.paid, p.patient_responsibility)
        for p in ClaimPayment.objects.all()
    }
    assert payments == {
        "CLM7781": (claims["CLM7781"].pk, "1", D("410"), D("298"), D("0")),
        "CLM7782": (claims["CLM7782"].pk, "1", D("250"), D("120"), D("20")),
        "CLM7783": (claims["CLM7783"].pk, "4", D("150"), D("0"), D("0")),
        "CLM7784": (claims["CLM7784"].pk, "22", D("-125"), D("-100"), D("-25")),
        "CLM7785": (claims["CLM7785"].pk, "1", D("125"), D("100"), D("0")),
        "CLM9999": (None, "1", D("80"), D("80"), D("0")),
    }
    assert result.claims_matched == 5
    assert result.claims_unmatched == ["CLM9999"]
    assert result.remittances_posted == ["T48213"]
    assert StoredFile.objects.get(pk=result.stored_file_id).status == FileStatus.PROCESSED


def test_lines_are_matched_by_ref_6r_or_procedure_code(claims):
    era_post(content=northwind_bytes(), name="northwind.835")

    lines = {
        (
            line.claim_payment.control_number,
            line.claim_line.control_number if line.claim_line else None,
        ): (
            line.procedure_code,
            line.modifiers,
            line.charge,
            line.paid,
            line.remarks,
        )
        for line in LinePayment.objects.select_related("claim_payment", "claim_line")
    }
    assert lines == {
        ("CLM7781", "CLM7781-1"): ("99213", [], D("410"), D("298"), ["N130"]),
        ("CLM7782", "CLM7782-1"): ("99214", ["25"], D("200"), D("120"), ["N130"]),
        ("CLM7782", "CLM7782-2"): ("85025", [], D("50"), D("0"), ["M80"]),
        ("CLM7784", "CLM7784-1"): ("99213", [], D("-125"), D("-100"), []),
        ("CLM7785", "CLM7785-1"): ("99213", [], D("125"), D("100"), []),  # no REF*6R
    }


def test_every_cas_triplet_remark_and_plb_is_kept(claims):
    era_post(content=northwind_bytes(), name="northwind.835")

    adjustments = sorted(
        (
            a.claim_payment.control_number,
            a.line_payment.control_number if a.line_payment else "",
            a.group,
            a.reason,
            a.amount,
        )
        for a in Adjustment.objects.select_related("claim_payment", "line_payment")
    )
    assert adjustments == [
        ("CLM7781", "CLM7781-1", "CO", "45", D("112")),
        ("CLM7782", "CLM7782-1", "CO", "45", D("60")),
        ("CLM7782", "CLM7782-1", "PR", "2", D("20")),
        ("CLM7782", "CLM7782-2", "CO", "97", D("50")),
        ("CLM7783", "", "CO", "50", D("150")),
        ("CLM7784", "CLM7784-1", "PR", "1", D("-25")),
        ("CLM7785", "", "CO", "45", D("25")),
    ]
    # Each carries its claim (the reason filter's index), claim-level and line-level alike.
    for adjustment in Adjustment.objects.select_related("claim_payment"):
        assert adjustment.claim_id == adjustment.claim_payment.claim_id is not None
    remarks = dict(ClaimPayment.objects.values_list("control_number", "remarks"))
    assert (remarks["CLM7782"], remarks["CLM7783"], remarks["CLM7781"]) == (["MA01"], ["N362"], [])
    plb = ProviderAdjustment.objects.get()
    assert (plb.reason, plb.reference, plb.amount) == ("L6", "P20261", D("-3.10"))


def test_claims_move_to_the_status_their_payment_says(claims):
    result = era_post(content=northwind_bytes(), name="northwind.835")

    assert statuses(claims) == {
        "CLM7781": S.PAID,
        "CLM7782": S.PARTIALLY_PAID,
        "CLM7783": S.DENIED,
        "CLM7784": S.REVERSED,
        "CLM7785": S.PAID,
    }
    assert result.claims_not_moved == {}
    events = ClaimEvent.objects.filter(claim__control_number="CLM7782", source="835")
    assert [(e.from_status, e.to_status) for e in events] == [(S.ACCEPTED, S.PARTIALLY_PAID)]
    assert events[0].note == "835 T48213: CLP02 1, paid 120.00"


def test_a_submitted_claim_is_accepted_by_implication_then_paid(claims):
    era_post(content=northwind_bytes(), name="northwind.835")

    events = ClaimEvent.objects.filter(claim=claims["CLM7785"], source="835").order_by("id")
    assert [(e.from_status, e.to_status, e.note) for e in events] == [
        (S.SUBMITTED, S.ACCEPTED, "implied by the 835"),
        (S.ACCEPTED, S.PAID, "835 T48213: CLP02 1, paid 100.00"),
    ]


def test_payer_claim_number_is_filled_only_where_empty(claims):
    claims["CLM7781"].payer_claim_number = "FROM277CA"
    claims["CLM7781"].save(update_fields=["payer_claim_number"])

    era_post(content=northwind_bytes(), name="northwind.835")

    claims["CLM7781"].refresh_from_db()
    claims["CLM7782"].refresh_from_db()
    assert claims["CLM7781"].payer_claim_number == "FROM277CA"
    assert claims["CLM7782"].payer_claim_number == "2026331000124"


def test_a_claim_that_cannot_move_becomes_an_exception_not_an_error(claims):
    Claim.objects.filter(pk=claims["CLM7781"].pk).update(status=S.VOID)

    result = era_post(content=northwind_bytes(), name="northwind.835")

    assert result.claims_not_moved == {claims["CLM7781"].pk: S.VOID}
    assert statuses(claims)["CLM7781"] == S.VOID
    assert not ClaimPayment.objects.filter(claim=claims["CLM7781"]).exists()
    assert not Adjustment.objects.filter(claim=claims["CLM7781"]).exists()
    payment = ClaimPayment.objects.get(control_number="CLM7781")
    assert payment.claim is None
    assert payment.posting_exception.message == (
        "claim CLM7781 is voided: it cannot take this payment (CLP02 1, paid 298.00)"
    )


def test_importing_the_same_file_twice_posts_once(claims):
    first = era_post(content=northwind_bytes(), name="northwind.835")
    events = ClaimEvent.objects.count()

    second = era_post(content=northwind_bytes(), name="northwind-again.835")

    assert second.duplicate and not first.duplicate
    assert second.stored_file_id == first.stored_file_id
    assert second.remittances_posted == []
    assert (Remittance.objects.count(), ClaimPayment.objects.count()) == (1, 6)
    assert ClaimEvent.objects.count() == events


def test_the_same_payment_in_another_file_posts_once(claims):
    era_post(content=northwind_bytes(), name="northwind.835")
    other_file = northwind_bytes().replace(b"000000201", b"000000202").replace(b"*201", b"*202")

    result = era_post(content=other_file, name="northwind-resent.835")

    assert not result.duplicate
    assert (result.remittances_posted, result.remittances_skipped) == ([], ["T48213"])
    assert (Remittance.objects.count(), ClaimPayment.objects.count()) == (1, 6)
    assert StoredFile.objects.count() == 2


def test_an_unbalanced_file_is_refused_whole_and_quarantined(claims):
    unbalanced = northwind_bytes().replace(b"BPR*I*501.1*", b"BPR*I*600*")

    with pytest.raises(PostingRefused, match="does not balance: remittance 0001: BPR02 600") as e:
        era_post(content=unbalanced, name="unbalanced.835")

    assert nothing_posted()
    assert statuses(claims)["CLM7781"] == S.ACCEPTED
    kept_id = e.value.stored_file_id
    assert kept_id is not None
    kept = StoredFile.objects.get(pk=kept_id)
    assert (kept.name, kept.status, kept.kind) == ("unbalanced.835", FileStatus.QUARANTINED, "835")
    assert "BPR02 600" in kept.error


def test_an_unbalanced_claim_is_an_exception_naming_the_claim_and_line(claims):
    # The payment total still balances: only CLM7781's lines do not add up to its paid amount.
    unbalanced = northwind_bytes().replace(b"CAS*CO*45*112", b"CAS*CO*45*111")

    result = era_post(content=unbalanced, name="unbalanced.835")

    assert result.remittances_posted == ["T48213"]
    payment = ClaimPayment.objects.get(control_number="CLM7781")
    assert payment.claim is None
    assert payment.posting_exception.reason == "unbalanced"
    assert payment.posting_exception.message.startswith(
        "the lines do not add up to the claim's paid amount: claim CLM7781 line 1 (99213)"
    )
    assert statuses(claims)["CLM7781"] == S.ACCEPTED  # not moved
    assert statuses(claims)["CLM7782"] == S.PARTIALLY_PAID  # the others are posted


def test_an_unbalanced_claim_in_a_file_whose_total_is_broken_refuses_the_file(claims):
    unbalanced = (
        northwind_bytes()
        .replace(b"CAS*CO*45*112", b"CAS*CO*45*111")
        .replace(b"BPR*I*501.1*", b"BPR*I*600*")
    )

    with pytest.raises(PostingRefused, match=r"claim CLM7781 line 1 \(99213\).*BPR02 600"):
        era_post(content=unbalanced, name="unbalanced.835")

    assert nothing_posted()


def test_a_truncated_file_is_refused_naming_segment_and_line(claims):
    truncated = b"".join(northwind_bytes().splitlines(keepends=True)[:20])

    with pytest.raises(PostingRefused, match=r"truncated.*\(segment \w+ #20 line 20\)") as e:
        era_post(content=truncated, name="truncated.835")

    assert nothing_posted()
    kept_id = e.value.stored_file_id
    assert kept_id is not None
    assert StoredFile.objects.get(pk=kept_id).status == FileStatus.QUARANTINED


def test_a_garbled_amount_is_refused_naming_segment_and_line(claims):
    garbled = northwind_bytes().replace(b"CLP*CLM7782*1*250*120", b"CLP*CLM7782*1*250*1X0")

    with pytest.raises(
        PostingRefused, match=r"CLP04 is not a number: '1X0' \(segment CLP #18 line 18\)"
    ):
        era_post(content=garbled, name="garbled.835")

    assert nothing_posted()
    assert statuses(claims)["CLM7785"] == S.SUBMITTED


def test_a_payment_to_an_unknown_payee_is_refused(db):
    with pytest.raises(PostingRefused, match="payee unknown"):
        era_post(content=one_claim_payment(trace="T1", npi="1000000004"), name="stray.835")

    assert nothing_posted()
    assert StoredFile.objects.get().status == FileStatus.QUARANTINED


def test_a_payment_with_no_claim_we_know_goes_to_the_payee_practice(db):
    practice = PracticeFactory(npi=PAYEE_NPI)

    result = era_post(content=one_claim_payment(trace="T2", npi=PAYEE_NPI), name="stray.835")

    assert result.claims_unmatched == ["CLM9999"]
    assert Remittance.objects.get().practice == practice
    assert ClaimPayment.objects.get().claim is None


def test_a_payment_for_claims_of_two_practices_is_refused(claims, practice_b, northwind):
    ClaimFactory(control_number="CLM9999", encounter__patient__practice=practice_b)

    with pytest.raises(PostingRefused) as refusal:
        era_post(content=northwind_bytes(), name="northwind.835")
    assert str(refusal.value) == "payment T48213 pays claims of 2 practices; an 835 pays one payee"

    assert nothing_posted()


def test_a_refused_file_fixed_later_is_posted(db):
    stray = one_claim_payment(trace="T3", npi=PAYEE_NPI)
    with pytest.raises(PostingRefused, match="payee unknown: payment T3 matches no claim"):
        era_post(content=stray, name="stray.835")
    PracticeFactory(npi=PAYEE_NPI)

    result = era_post(content=stray, name="stray.835")

    assert result.remittances_posted == ["T3"]
    assert StoredFile.objects.get().status == FileStatus.PROCESSED


@pytest.mark.parametrize(
    ("amount", "text"),
    [("512.4", "512.40"), ("-3.1", "-3.10"), ("0", "0.00"), ("-0.00", "0.00"), ("7", "7.00")],
)
def test_money_has_two_places(amount, text):
    assert money(Decimal(amount)) == text


@pytest.mark.parametrize(
    ("amount", "where"),
    [("10000000000", "BPR02"), ("-10000000000", "BPR02"), ("99999999999.99", "BPR02")],
)
def test_an_amount_larger_than_the_books_hold_is_refused_before_anything_is_written(
    db, amount, where
):
    practice = PracticeFactory(npi=PAYEE_NPI)
    huge = one_claim_payment(trace="T1", npi=PAYEE_NPI).replace(b"*80*", f"*{amount}*".encode())
    huge = huge.replace(b"*80*0*", f"*{amount}*0*".encode())

    with pytest.raises(PostingRefused) as refused:
        era_post(content=huge, name="huge.835")

    assert str(refused.value).startswith("the 835 holds amounts too large to post:")
    assert f"{where} {amount}" in str(refused.value)
    assert nothing_posted()
    kept = StoredFile.objects.get()
    assert kept.status == FileStatus.QUARANTINED and "too large" in kept.error
    assert kept.practice_id in (None, practice.pk)


def test_the_largest_amount_the_books_hold_is_posted(db):
    PracticeFactory(npi=PAYEE_NPI)
    largest = one_claim_payment(trace="T1", npi=PAYEE_NPI).replace(b"*80*", b"*9999999999.99*")
    largest = largest.replace(b"*80*0*", b"*9999999999.99*0*")

    era_post(content=largest, name="largest.835")

    assert Remittance.objects.get().payment_amount == D("9999999999.99")

"""Posting, row by row: who and when are saved, which payments count as the same, and refusals.

The duplicate key of a payment is (TRN03 payer identifier, TRN02 trace number): a second payment
in one file, or another payer reusing a trace number, is a payment of its own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from claims.models import Claim, ClaimEvent
from claims.state import ClaimStatus
from denials.inbox import era_post
from denials.models import Adjustment, ClaimPayment, LinePayment, ProviderAdjustment, Remittance
from denials.posting import PostingRefused, era_check, era_plan, era_preview
from rcm.files.models import StoredFile
from tests.denials.fixtures import (
    PAYEE_NPI,
    interchange,
    northwind_bytes,
    northwind_claims,
    one_claim_payment,
)
from tests.factories import ClaimFactory, ClaimLineFactory, PayerFactory, PracticeFactory

S = ClaimStatus


def D(text: str) -> Decimal:  # noqa: N802 - reads like a literal
    return Decimal(text)


@pytest.fixture
def northwind(db):
    return PayerFactory(payer_id="NWH01", name="NORTHWIND HEALTH")


@pytest.fixture
def claims(practice_a, northwind):
    return northwind_claims(practice=practice_a, payer=northwind)


def payments_file(*payments: tuple[str, str], control: str = "000000401") -> bytes:
    """One interchange, one group, one 835 per (trace, payer id) paying 80.00 on CLM9999."""
    transactions = []
    for number, (trace, payer_id) in enumerate(payments, start=1):
        st = f"{number:04d}"
        body = [
            f"ST*835*{st}",
            "BPR*I*80*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261127",
            f"TRN*1*{trace}*{payer_id}",
            "N1*PR*NORTHWIND HEALTH*XV*NWH01",
            f"N1*PE*ALPHA FAMILY MEDICINE*XX*{PAYEE_NPI}",
            "LX*1",
            "CLP*CLM9999*1*80*80*0*12*2026331000200*11*1",
        ]
        body.append(f"SE*{len(body) + 1}*{st}")
        transactions.extend(body)
    isa = (
        "ISA*00*          *00*          *ZZ*NORTHWIND      *ZZ*RCMTEST        *261127*1200*^*"
        f"00501*{control}*0*T*:"
    )
    gs = f"GS*HP*NORTHWIND*RCMTEST*20261127*1200*{int(control)}*X*005010X221A1"
    trailer = [f"GE*{len(payments)}*{int(control)}", f"IEA*1*{control}"]
    return ("~\n".join([isa, gs, *transactions, *trailer]) + "~\n").encode()


def test_posting_saves_the_user_the_file_and_the_dates(claims, biller):
    result = era_post(content=northwind_bytes(), name="northwind.835", user=biller)

    remittance = Remittance.objects.get()
    assert remittance.payment_date == date(2026, 11, 27)  # BPR16
    assert remittance.file_id == result.stored_file_id
    assert set(LinePayment.objects.values_list("service_date", flat=True)) == {date(2026, 10, 1)}
    events = ClaimEvent.objects.filter(source="835")
    assert events.count() == 6  # five payments, one implied acceptance
    assert set(events.values_list("user", "file")) == {(biller.pk, result.stored_file_id)}


def test_units_quantities_and_amounts_are_saved_exactly(claims):
    content = northwind_bytes().replace(b"CAS*CO*45*112~", b"CAS*CO*45*112*2~")
    content = content.replace(b"SVC*HC:99213*410*298**1~", b"SVC*HC:99213*410*298**3~")
    era_post(content=content, name="northwind.835")

    line = LinePayment.objects.get(claim_payment__control_number="CLM7781")
    assert (line.units, line.charge, line.paid) == (D("3"), D("410"), D("298"))
    adjustment = Adjustment.objects.get(line_payment=line)
    assert (adjustment.quantity, adjustment.claim_payment_id) == (D("2"), line.claim_payment_id)
    unquantified = Adjustment.objects.get(claim_payment__control_number="CLM7783")
    assert (unquantified.quantity, unquantified.line_payment) == (None, None)


def test_a_claim_level_adjustment_keeps_its_quantity(claims):
    content = northwind_bytes().replace(b"CAS*CO*50*150~", b"CAS*CO*50*150*1~")
    era_post(content=content, name="northwind.835")

    claim_level = Adjustment.objects.get(claim_payment__control_number="CLM7783")
    assert (claim_level.quantity, claim_level.line_payment) == (D("1"), None)
    payment = ClaimPayment.objects.get(control_number="CLM7782")
    assert (payment.payer_claim_number, payment.practice_id) == (
        "2026331000124",
        payment.remittance.practice_id,
    )


def test_two_payments_in_one_file_are_both_posted(db):
    PracticeFactory(npi=PAYEE_NPI)

    result = era_post(
        content=payments_file(("T1", "1512345678"), ("T2", "1512345678")), name="two.835"
    )

    assert result.remittances_posted == ["T1", "T2"]
    assert sorted(Remittance.objects.values_list("trace_number", flat=True)) == ["T1", "T2"]
    assert ClaimPayment.objects.count() == 2


def test_another_payer_may_reuse_a_trace_number(db):
    PracticeFactory(npi=PAYEE_NPI)
    era_post(content=payments_file(("T1", "1512345678")), name="first.835")

    result = era_post(
        content=payments_file(("T1", "1999999999"), control="000000402"), name="other-payer.835"
    )

    assert (result.remittances_posted, result.remittances_skipped) == (["T1"], [])
    assert sorted(Remittance.objects.values_list("payer_identifier", "trace_number")) == [
        ("1512345678", "T1"),
        ("1999999999", "T1"),
    ]


def test_the_same_payment_twice_in_one_file_posts_once(db):
    PracticeFactory(npi=PAYEE_NPI)

    result = era_post(
        content=payments_file(("T1", "1512345678"), ("T1", "1512345678")), name="twice.835"
    )

    assert (result.remittances_posted, result.remittances_skipped) == (["T1"], ["T1"])
    assert (Remittance.objects.count(), ClaimPayment.objects.count()) == (1, 1)


def test_the_result_summary_says_what_happened(claims):
    result = era_post(content=northwind_bytes(), name="northwind.835")

    assert result.summary() == {
        "remittances_posted": ["T48213"],
        "remittances_skipped": [],
        "claims_matched": 5,
        "claims_unmatched": ["CLM9999"],
        "claims_not_moved": {},
    }
    assert StoredFile.objects.get(pk=result.stored_file_id).summary == result.summary()


def test_a_file_with_no_835_is_refused(db):
    empty = (
        b"ISA*00*          *00*          *ZZ*NORTHWIND      *ZZ*RCMTEST        *261127*1200*^*"
        b"00501*000000501*0*T*:~GS*HP*NORTHWIND*RCMTEST*20261127*1200*501*X*005010X221A1~"
        b"GE*0*501~IEA*1*000000501~"
    )
    with pytest.raises(PostingRefused) as refusal:
        era_check(content=empty)
    assert str(refusal.value) == "the file holds no 835 transaction"


def _unbalanced(claims: int) -> bytes:
    body = ["BPR*I*0*C*ACH", "TRN*1*T1*1512345678", *(f"CLP*C{n}*1*10*5" for n in range(claims))]
    segments = ["ST*835*0001", *body, f"SE*{len(body) + 2}*0001"]
    return (
        "~".join(
            [
                "ISA*00*          *00*          *ZZ*NORTHWIND      *ZZ*RCMTEST        *261127*"
                "1200*^*00501*000000601*0*T*:",
                "GS*HP*NORTHWIND*RCMTEST*20261127*1200*601*X*005010X221A1",
                *segments,
                "GE*1*601",
                "IEA*1*000000601",
            ]
        )
        + "~"
    ).encode()


def test_ten_balance_problems_are_shown_without_a_tail(db):
    with pytest.raises(PostingRefused) as refusal:
        era_check(content=_unbalanced(9))  # nine claims and the payment
    message = str(refusal.value)
    assert message.count("claim C") == 9
    assert message.endswith("BPR02 0 != claims paid 45 - provider adjustments 0 = 45")


def test_many_balance_problems_are_cut_to_ten(db):
    body = [
        "BPR*I*0*C*ACH",
        "TRN*1*T1*1512345678",
        *(f"CLP*C{n}*1*10*5" for n in range(12)),
    ]
    segments = ["ST*835*0001", *body, f"SE*{len(body) + 2}*0001"]
    content = (
        "~".join(
            [
                "ISA*00*          *00*          *ZZ*NORTHWIND      *ZZ*RCMTEST        *261127*"
                "1200*^*00501*000000601*0*T*:",
                "GS*HP*NORTHWIND*RCMTEST*20261127*1200*601*X*005010X221A1",
                *segments,
                "GE*1*601",
                "IEA*1*000000601",
            ]
        )
        + "~"
    ).encode()
    with pytest.raises(PostingRefused) as refusal:
        era_check(content=content)
    message = str(refusal.value)
    assert message.startswith(
        "the 835 does not balance: claim C0: charge 10 - adjustments 0 = 10, paid 5; "
    )
    assert message.count("claim C") == 10
    assert message.endswith(" (and 3 more)")  # 12 claims and the payment: 13 problems


def test_the_payer_comes_from_trn03_or_n1_when_no_claim_is_matched(db):
    practice = PracticeFactory(npi=PAYEE_NPI)
    payer = PayerFactory(payer_id="1512345678")

    [plan] = era_plan(era_check(content=one_claim_payment(trace="T9", npi=PAYEE_NPI)))

    assert (plan.practice_id, plan.payer_id, plan.claims) == (practice.pk, payer.pk, [None])


def test_a_payee_without_npi_is_refused_naming_it(db):
    content = one_claim_payment(trace="T9", npi=PAYEE_NPI).replace(
        f"N1*PE*SOMEONE*XX*{PAYEE_NPI}".encode(), b"N1*PE*SOMEONE*FI*123456789"
    )
    with pytest.raises(PostingRefused) as refusal:
        era_post(content=content, name="no-npi.835")
    assert str(refusal.value) == (
        "payee unknown: payment T9 matches no claim and the payee 'SOMEONE' NPI (none) "
        "is no practice's"
    )
    assert not Remittance.objects.exists()


def test_the_preview_is_the_import_era_shape(claims):
    [payment] = era_preview(era_check(content=northwind_bytes()))["payments"]
    assert (payment["trace"], payment["total"], payment["method"], payment["payer"]) == (
        "T48213",
        "501.10",
        "ACH",
        "NORTHWIND HEALTH",
    )
    assert payment["provider_adjustments"] == [
        {"reason": "L6", "reference": "P20261", "amount": "-3.10"}
    ]
    by_number = {c["control_number"]: c for c in payment["claims"]}
    assert by_number["CLM7782"] == {
        "control_number": "CLM7782",
        "status_code": "1",
        "charge": "250.00",
        "paid": "120.00",
        "patient_responsibility": "20.00",
        "payer_claim_number": "2026331000124",
        "adjustments": [],
        "remarks": ["MA01", "N130", "M80"],
        "lines": [
            {
                "control_number": "CLM7782-1",
                "procedure": "99214",
                "modifiers": ["25"],
                "charge": "200.00",
                "paid": "120.00",
                "adjustments": [
                    {"group": "CO", "reason": "45", "amount": "60.00"},
                    {"group": "PR", "reason": "2", "amount": "20.00"},
                ],
            },
            {
                "control_number": "CLM7782-2",
                "procedure": "85025",
                "modifiers": [],
                "charge": "50.00",
                "paid": "0.00",
                "adjustments": [{"group": "CO", "reason": "97", "amount": "50.00"}],
            },
        ],
    }
    assert by_number["CLM7783"]["adjustments"] == [
        {"group": "CO", "reason": "50", "amount": "150.00"}
    ]


def test_provider_adjustments_keep_reason_reference_and_amount(claims):
    content = northwind_bytes().replace(
        b"PLB*1999999999*20261231*L6:P20261*-3.1~",
        b"PLB*1999999999*20261231*L6:P20261*-4.1*WO*1~",
    )
    era_post(content=content, name="northwind.835")

    rows = sorted(ProviderAdjustment.objects.values_list("reason", "reference", "amount"))
    assert rows == [("L6", "P20261", D("-4.10")), ("WO", "", D("1.00"))]


def test_overlong_values_are_cut_to_their_columns(db):
    practice = PracticeFactory(npi=PAYEE_NPI)
    long = "X" * 70
    content = interchange(
        [
            "BPR*I*80*C*ACHX*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261127",
            f"TRN*1*T{long}*P{long}",
            f"N1*PR*N{long}*XV*NWH01",
            f"N1*PE*SOMEONE*XX*{PAYEE_NPI}",
            "LX*1",
            f"CLP*C{long}*123*80*80*0*12*N{long}*11*1",
            f"SVC*HC:P{long}*80*80**1",
            f"CAS*CO*R{long}*0",
            f"REF*6R*L{long}",
            f"PLB*{PAYEE_NPI}*20261231*ABC:F{long}*0",
        ]
    )

    era_post(content=content, name="long.835")

    remittance = Remittance.objects.get()
    assert remittance.practice == practice
    assert (remittance.trace_number, remittance.payer_identifier) == (
        ("T" + long)[:50],
        ("P" + long)[:50],
    )
    assert (remittance.payer_name, remittance.payment_method) == (("N" + long)[:60], "ACH")
    payment = ClaimPayment.objects.get()
    assert (payment.control_number, payment.status_code, payment.payer_claim_number) == (
        ("C" + long)[:38],
        "12",
        ("N" + long)[:50],
    )
    line = LinePayment.objects.get()
    assert (line.control_number, line.procedure_code) == (("L" + long)[:50], ("P" + long)[:48])
    assert Adjustment.objects.get().reason == "RXXXX"
    plb = ProviderAdjustment.objects.get()
    assert (plb.reason, plb.reference) == ("AB", ("F" + long)[:50])


def test_the_summary_names_the_claims_that_could_not_move(claims):
    Claim.objects.filter(pk=claims["CLM7781"].pk).update(status=S.VOID)

    result = era_post(content=northwind_bytes(), name="northwind.835")

    assert result.summary()["claims_not_moved"] == {str(claims["CLM7781"].pk): S.VOID}


def test_a_file_of_one_old_and_one_new_payment_posts_the_new_one(db):
    PracticeFactory(npi=PAYEE_NPI)
    era_post(content=payments_file(("T1", "1512345678")), name="first.835")

    result = era_post(
        content=payments_file(("T1", "1512345678"), ("T2", "1512345678"), control="000000402"),
        name="second.835",
    )

    assert (result.remittances_posted, result.remittances_skipped) == (["T2"], ["T1"])


def test_a_file_of_two_old_payments_posts_nothing(db):
    PracticeFactory(npi=PAYEE_NPI)
    both = (("T1", "1512345678"), ("T2", "1512345678"))
    era_post(content=payments_file(*both), name="first.835")

    result = era_post(content=payments_file(*both, control="000000402"), name="again.835")

    assert (result.remittances_posted, result.remittances_skipped) == ([], ["T1", "T2"])
    assert Remittance.objects.count() == 2


def test_lines_of_one_code_are_matched_by_ref_6r_then_in_order(practice_a, northwind):
    claim = ClaimFactory(
        control_number="CLM5000",
        encounter__patient__practice=practice_a,
        coverage__payer=northwind,
        status=S.ACCEPTED,
    )
    first = ClaimLineFactory(claim=claim, position=1, control_number="L1", procedure_code="99213")
    second = ClaimLineFactory(claim=claim, position=2, control_number="L2", procedure_code="99213")
    third = ClaimLineFactory(claim=claim, position=3, control_number="L3", procedure_code="99213")
    content = interchange(
        [
            "BPR*I*60*C*ACH",
            "TRN*1*T5000*1512345678",
            "N1*PR*NORTHWIND HEALTH*XV*NWH01",
            f"N1*PE*ALPHA FAMILY MEDICINE*XX*{PAYEE_NPI}",
            "CLP*CLM5000*1*60*60",
            "SVC*HC:99213*30*30",
            "REF*6R*L3",
            "SVC*HC:99213*20*20",  # no REF*6R: the first line of that code not yet taken
            "SVC*HC:99213*10*10",
        ]
    )

    era_post(content=content, name="lines.835")

    matched = dict(LinePayment.objects.values_list("charge", "claim_line_id"))
    assert matched == {D("30"): third.pk, D("20"): first.pk, D("10"): second.pk}

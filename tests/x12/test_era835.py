"""The 835 parser: exact values from a synthetic remittance, balance checks, the public corpus."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rcm.x12.base import X12Error
from rcm.x12.era835 import Adjustment, check_balance, parse_835
from tests.x12.corpus import CORPUS as SHARED_CORPUS

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_835.txt"
CORPUS = SHARED_CORPUS / "835"

# What each public sample does: None = parses, otherwise a fragment of the X12Error message.
CORPUS_EXPECTED: dict[str, str | None] = {
    "Inteligenz_X12Parser__835_WithMultipleInterchanges.txt": None,
    "Inteligenz_X12Parser__ExampleFromNth.txt": None,
    "Inteligenz_X12Parser__Example1.txt": "CLP03 is required and empty",
    "LinuxForHealth_x12__cob-contractural-adjustment.835": "SVC01 'HC>55669'",
    "LinuxForHealth_x12__managed-care.835": "BPR16 is not a date CCYYMMDD: '20002316'",
    "LinuxForHealth_x12__medicare-part-a.835": None,
    "LinuxForHealth_x12__secondary-payment.835": "SVC01 'HC>12345>26'",
    "LinuxForHealth_x12__tertiary-payment.835": "SVC01 'HC'",
    "azoner_pyx12__835_mult_loops.txt": None,
    "keironstoddart_edi-835-parser__blue_cross_nc_sample.txt": "not an X12 interchange",
    "keironstoddart_edi-835-parser__emedny_sample.txt": None,
    "keironstoddart_edi-835-parser__united_healthcare_legacy_sample.txt": None,
}


def D(text: str) -> Decimal:  # noqa: N802 - reads like a literal
    return Decimal(text)


@pytest.fixture
def text() -> str:
    return FIXTURE.read_text()


def test_remittance_header(text):
    [r] = parse_835(text)
    assert r.control_number == "0001"
    assert (r.handling_code, r.payment_amount, r.credit_debit) == ("I", D("70"), "C")
    assert (r.payment_method, r.payment_date) == ("ACH", date(2024, 1, 15))
    assert (r.trace_number, r.payer_id, r.production_date) == (
        "TRACE123",
        "1512345678",
        date(2024, 1, 14),
    )
    assert (r.payer_name, r.payer_identifier) == ("ACME HEALTH PLAN", "PAYER01")
    assert r.payer_references == {"2U": "PAYER01"}
    assert (r.payee_name, r.payee_npi, r.payee_id_qualifier) == (
        "GOOD DOCTORS PC",
        "1234567893",
        "XX",
    )
    assert [c.control_number for c in r.claims] == ["PCN1001", "PCN1002", "PCN0999"]


def test_paid_claim_with_lines(text):
    claim = parse_835(text)[0].claims[0]
    assert (claim.status_code, claim.charge, claim.paid) == ("1", D("300"), D("180"))
    assert (claim.patient_responsibility, claim.filing_indicator) == (D("20"), "12")
    assert (claim.payer_claim_number, claim.facility_type, claim.frequency) == (
        "PAYERCLM1",
        "11",
        "1",
    )
    assert (claim.patient_last_name, claim.patient_first_name, claim.patient_id) == (
        "DOE",
        "JANE",
        "MBR123",
    )
    assert (claim.service_date_start, claim.service_date_end) == (
        date(2024, 1, 2),
        date(2024, 1, 3),
    )
    assert claim.remark_codes == ["MA01", "N1"]
    assert claim.references == {"F8": "ORIGREF1"}
    assert claim.adjustments == []
    first, second = claim.service_lines
    assert (first.qualifier, first.procedure_code, first.modifiers) == ("HC", "99214", ["25", "59"])
    assert (first.charge, first.paid, first.units) == (D("200"), D("120"), D("1"))
    assert first.service_date == date(2024, 1, 2)
    assert first.adjustments == [
        Adjustment("CO", "45", D("60")),
        Adjustment("CO", "253", D("0")),
        Adjustment("PR", "2", D("20")),
    ]
    assert (first.control_number, first.remark_codes) == ("LN1", ["M15", "N130"])
    assert (second.procedure_code, second.modifiers, second.units) == ("85025", [], D("2"))
    assert second.adjustments == [Adjustment("CO", "45", D("40"), D("2"))]


def test_denied_claim_with_multi_triplet_cas(text):
    claim = parse_835(text)[0].claims[1]
    assert (claim.status_code, claim.charge, claim.paid, claim.patient_responsibility) == (
        "4",
        D("150"),
        D("0"),
        D("0"),
    )
    assert claim.adjustments == [
        Adjustment("CO", "50", D("100"), D("1")),
        Adjustment("CO", "97", D("50")),
    ]
    assert claim.service_lines == []
    assert claim.remark_codes == ["N362"]


def test_reversal(text):
    claim = parse_835(text)[0].claims[2]
    assert claim.is_reversal
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        D("-120"),
        D("-100"),
        D("-20"),
    )
    [line] = claim.service_lines
    assert (line.charge, line.paid, line.units, line.control_number) == (
        D("-120"),
        D("-100"),
        D("1"),
        "LN9",
    )
    assert line.adjustments == [Adjustment("PR", "1", D("-20"))]


def test_provider_adjustments(text):
    plb = parse_835(text)[0].provider_adjustments
    assert [(p.provider_id, p.fiscal_period_date) for p in plb] == [
        ("1234567893", date(2024, 12, 31))
    ] * 2
    assert [(p.reason, p.reference, p.amount) for p in plb] == [
        ("WO", "PCN0555", D("15")),
        ("72", "ADV1", D("-5")),
    ]


def test_balanced(text):
    [r] = parse_835(text)
    assert check_balance(r) == []


def test_unbalanced_claim_line_and_payment(text):
    [r] = parse_835(text.replace("SVC*HC:85025*100*60", "SVC*HC:85025*100*61"))
    r.claims[1].paid = D("1")
    problems = check_balance(r)
    assert len(problems) == 3
    assert problems[0].startswith("claim PCN1001 line 2 (85025): charge 100 - adjustments 40")
    assert problems[1] == "claim PCN1002: charge 150 - adjustments 150 = 0, paid 1"
    assert "BPR02 70 != claims paid 81 - provider adjustments 10 = 71" in problems[2]


def test_unbalanced_claim_level(text):
    [r] = parse_835(text.replace("CLP*PCN1001*1*300*180", "CLP*PCN1001*1*300*170"))
    problems = check_balance(r)
    assert problems[0] == "claim PCN1001: charge 300 - adjustments 120 = 180, paid 170"
    assert "BPR02 70" in problems[1]


def test_unbalanced_reversal(text):
    [r] = parse_835(text.replace("CAS*PR*1*-20", "CAS*PR*1*-30"))
    problems = check_balance(r)
    assert any(p.startswith("claim PCN0999 line 1") for p in problems)
    assert "claim PCN0999: charge -120 - adjustments -30 = -90, paid -100" in problems


def test_other_separators(text):
    other = text.replace("*", "|").replace(":", "}").replace("~\n", "\n")
    [r] = parse_835(other)
    assert r.claims[0].service_lines[0].modifiers == ["25", "59"]
    assert r.provider_adjustments[0].reference == "PCN0555"
    assert check_balance(r) == []


@pytest.mark.parametrize(
    ("old", "new", "segment_id", "fragment"),
    [
        ("CLP*PCN1001*1*300*180", "CLP*PCN1001*1*3X0*180", "CLP", "CLP03 is not a number: '3X0'"),
        ("CLP*PCN1001*1*300*180", "CLP*PCN1001*1*300*", "CLP", "CLP04 is required"),
        ("CLP*PCN1001*1*300*180", "CLP*PCN1001*1*300*1e3", "CLP", "CLP04 is not a number"),
        ("CLP*PCN1001*", "CLP**", "CLP", "CLP01 claim control number is empty"),
        ("CAS*CO*45*60", "CAS*XX*45*60", "CAS", "CAS01 'XX' is not an adjustment group code"),
        ("CAS*PR*2*20", "CAS*PR*2*twenty", "CAS", "CAS03 is not a number"),
        ("DTM*472*20240102", "DTM*472*20241302", "DTM", "DTM02 is not a date"),
        ("SVC*HC:85025", "SVC*85025", "SVC", "SVC01 '85025' is not qualifier:procedure code"),
        ("PLB*1234567893*20241231*WO:PCN0555*15", "PLB*1234567893*20241231*WO*x", "PLB", "PLB04"),
        ("LX*1~\n", "LX*1~\nSVC*HC:1*1*1~\n", "SVC", "SVC before any CLP"),
    ],
)
def test_structure_errors(text, old, new, segment_id, fragment):
    broken = text.replace(old, new, 1)
    if "~\nSVC*HC:1" in new:  # one more segment: keep SE01 right
        broken = broken.replace("SE*40*0001", "SE*41*0001")
    with pytest.raises(X12Error) as caught:
        parse_835(broken)
    assert fragment in caught.value.message
    assert caught.value.segment_id == segment_id
    assert caught.value.line is not None


def test_lq_outside_a_line(text):
    broken = text.replace("MOA***N362", "LQ*HE*N362")
    with pytest.raises(X12Error, match="LQ outside a service line"):
        parse_835(broken)


def test_other_transaction_type_is_refused(text):
    with pytest.raises(X12Error, match="'837' is not an 835"):
        parse_835(text.replace("ST*835*0001", "ST*837*0001"))


def _corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir()) if CORPUS.is_dir() else []


@pytest.mark.parametrize("name", _corpus_files() or ["(corpus missing)"])
def test_public_corpus(name):
    if not CORPUS.is_dir():
        pytest.skip("x12 corpus folder is absent")
    data = (CORPUS / name).read_bytes()
    if name not in CORPUS_EXPECTED:  # a new sample: either outcome, but errors must explain
        try:
            parse_835(data)
        except X12Error as error:
            assert error.message
        return
    expected = CORPUS_EXPECTED[name]
    if expected is None:
        remittances = parse_835(data)
        assert remittances
        assert all(r.claims for r in remittances)
        for remittance in remittances:
            assert isinstance(check_balance(remittance), list)
    else:
        with pytest.raises(X12Error) as caught:
            parse_835(data)
        assert expected in str(caught.value)


def test_corpus_medicare_part_a_balances():
    path = CORPUS / "LinuxForHealth_x12__medicare-part-a.835"
    if not path.is_file():
        pytest.skip("x12 corpus folder is absent")
    [r] = parse_835(path.read_bytes())
    assert r.payment_amount == D("150000.00")
    assert [p.amount for p in r.provider_adjustments] == [D("-1.27")]
    assert check_balance(r) == []

"""837P writer: every scenario must pass pyx12's 005010X222A1 validation with no errors."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest

from rcm.practice.validators import npi_check_digit
from rcm.x12.base import X12Error
from rcm.x12.claim837 import (
    Address,
    Adjustment,
    Attachment,
    Batch837P,
    BillingProvider,
    Claim,
    LineAdjudication,
    OtherCoverage,
    Patient,
    Payer,
    Receiver,
    RenderingProvider,
    ServiceFacility,
    ServiceLine,
    Submitter,
    Subscriber,
    write_837p,
)
from rcm.x12.writer import (
    FunctionalGroup,
    InterchangeHeader,
    SegmentWriter,
    format_amount,
    format_quantity,
)
from tests.x12.pyx12_check import pyx12_text_errors as pyx12_errors

WHEN = datetime(2026, 3, 14, 9, 30)


def fake_npi(first_nine: str) -> str:
    return first_nine + str(npi_check_digit(first_nine))


ADDRESS = Address("100 TEST STREET", "SPRINGFIELD", "IL", "627011234", line2="SUITE 2")
HOME = Address("42 SAMPLE LANE", "SPRINGFIELD", "IL", "62702")
PAYER = Payer("ACME HEALTH PLAN", "ACME1")
SECONDARY_PAYER = Payer("FAKE MUTUAL", "FAKE2")
SUBSCRIBER = Subscriber(
    "DOE", "JANE", "MEM123456", date(1980, 5, 1), "F", HOME, group_number="GRP77"
)


def line(code: str = "99213", charge: str = "125.00", **kwargs) -> ServiceLine:
    return ServiceLine(code, Decimal(charge), date(2026, 3, 1), **kwargs)


def claim(**kwargs) -> Claim:
    base = {
        "control_number": "CLM0001",
        "subscriber": SUBSCRIBER,
        "payer": PAYER,
        "diagnoses": ("E11.9",),
        "lines": (line(line_control_number="L1"),),
        "rendering_provider": RenderingProvider(
            "SMITH", "ALEX", fake_npi("123456789"), "207Q00000X"
        ),
    }
    base.update(kwargs)
    return Claim(**base)


def batch(*claims: Claim, **kwargs) -> Batch837P:
    base = {
        "interchange": InterchangeHeader("SUBMITTER01", "RECEIVER01", 905, WHEN),
        "group": FunctionalGroup("SUBMITTER01", "RECEIVER01", 77, WHEN),
        "transaction_control_number": 1234,
        "reference": "BATCH0001",
        "created": WHEN,
        "submitter": Submitter("TEST CLINIC LLC", "SUBMITTER01", "PAT ADMIN", "2175550100"),
        "receiver": Receiver("TEST CLEARINGHOUSE", "RECEIVER01"),
        "billing_provider": BillingProvider(
            "TEST CLINIC LLC", fake_npi("987654321"), "123456789", "207Q00000X", ADDRESS
        ),
        "claims": claims,
    }
    base.update(kwargs)
    return Batch837P(**base)


def segments(text: str) -> list[list[str]]:
    return [s.strip().split("*") for s in text.split("~") if s.strip()]


def find(text: str, segment_id: str, *prefix: str) -> list[list[str]]:
    return [s for s in segments(text) if s[0] == segment_id and s[1 : 1 + len(prefix)] == [*prefix]]


SECONDARY = OtherCoverage(
    payer=PAYER,
    subscriber=SUBSCRIBER,
    paid_amount=Decimal("80.00"),
)


def secondary_claim() -> Claim:
    adjudication = LineAdjudication(
        Decimal("80"),
        date(2026, 3, 10),
        (Adjustment("CO", "45", Decimal("20")), Adjustment("PR", "2", Decimal("25"))),
    )
    return claim(
        control_number="CLM0002",
        payer=SECONDARY_PAYER,
        responsibility="S",
        other_coverage=SECONDARY,
        lines=(line(line_control_number="L1", adjudication=adjudication),),
    )


SCENARIOS = {
    "one_line": lambda: batch(claim()),
    "twelve_diagnoses": lambda: batch(
        claim(
            diagnoses=tuple(f"J{i:02d}.{i % 10}" for i in range(12)),
            lines=(
                line(diagnosis_pointers=(1, 2, 3, 4), modifiers=("25", "59", "GT", "95")),
                line("85025", "19.5", diagnosis_pointers=(12,), units=Decimal("2")),
            ),
        )
    ),
    "dependent_patient": lambda: batch(
        claim(patient=Patient("DOE", "JIMMY", date(2015, 7, 4), "M", HOME, relationship="19"))
    ),
    "secondary_with_cob": lambda: batch(secondary_claim()),
    "correction": lambda: batch(claim(frequency="7", payer_claim_number="PAYERICN01")),
    "void": lambda: batch(claim(frequency="8", payer_claim_number="PAYERICN01")),
    "several_claims": lambda: batch(
        claim(),
        claim(
            control_number="CLM0003",
            prior_authorization="AUTH555",
            note="SYNTHETIC TEST NOTE",
            service_facility=ServiceFacility("TEST ANNEX", ADDRESS, fake_npi("555444333")),
            patient=Patient("DOE", "JIMMY", date(2015, 7, 4), "M", HOME),
        ),
        secondary_claim(),
        claim(control_number="CLM0004", frequency="7", payer_claim_number="ICN9"),
    ),
    "attachments": lambda: batch(
        claim(
            prior_authorization="AUTH555",
            attachments=tuple(
                Attachment(code, how, "" if how == "AA" else f"ACN{index:02d}")
                for index, (code, how) in enumerate(
                    [
                        ("OZ", "FX"),
                        ("08", "BM"),
                        ("PN", "AA"),
                        ("RR", "EL"),
                        ("LA", "EM"),
                        ("XP", "FT"),
                        ("03", "AA"),
                        ("B3", "FX"),
                        ("M1", "EL"),
                        ("DG", "BM"),
                    ]
                )
            ),
        )
    ),
    "pay_to_address": lambda: batch(
        claim(),
        billing_provider=BillingProvider(
            "TEST CLINIC LLC", fake_npi("987654321"), "123456789", "207Q00000X", ADDRESS, HOME
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_passes_pyx12(name, tmp_path):
    text = write_837p(SCENARIOS[name]())
    assert pyx12_errors(text, tmp_path) == []


def test_pyx12_check_catches_errors(tmp_path):
    bad = write_837p(batch(claim())).replace("SE*", "SE*9", 1)
    assert pyx12_errors(bad, tmp_path)


def test_control_numbers_and_counts():
    text = write_837p(SCENARIOS["several_claims"]())
    segs = segments(text)
    isa = segs[0]
    assert isa[13] == "000000905"
    assert find(text, "IEA") == [["IEA", "1", "000000905"]]
    assert find(text, "GS")[0][6] == "77"
    assert find(text, "GE") == [["GE", "1", "77"]]
    assert find(text, "ST") == [["ST", "837", "1234", "005010X222A1"]]
    ids = [s[0] for s in segs]
    se = segs[ids.index("SE")]
    assert se == ["SE", str(ids.index("SE") - ids.index("ST") + 1), "1234"]
    assert len(find(text, "CLM")) == 4


def test_isa_fixed_widths():
    isa = write_837p(batch(claim())).split("~")[0]
    assert len(isa) == 105  # 106 with the terminator
    fields = isa.split("*")
    assert fields[2] == fields[4] == " " * 10
    assert fields[6] == "SUBMITTER01".ljust(15)
    assert fields[9:17] == ["260314", "0930", "^", "00501", "000000905", "0", "T", ":"]


def test_dependent_patient_loops():
    text = write_837p(SCENARIOS["dependent_patient"]())
    assert find(text, "HL") == [
        ["HL", "1", "", "20", "1"],
        ["HL", "2", "1", "22", "1"],
        ["HL", "3", "2", "23", "0"],
    ]
    assert find(text, "SBR") == [["SBR", "P", "", "GRP77", "", "", "", "", "", "CI"]]
    assert find(text, "PAT") == [["PAT", "19"]]
    assert find(text, "NM1", "QC")


def test_claim_segments():
    text = write_837p(SCENARIOS["twelve_diagnoses"]())
    clm = find(text, "CLM")[0]
    assert clm == ["CLM", "CLM0001", "144.5", "", "", "11:B:1", "Y", "A", "Y", "Y"]
    hi = find(text, "HI")[0]
    assert hi[1] == "ABK:J000" and hi[2] == "ABF:J011" and len(hi) == 13
    sv1 = find(text, "SV1")
    assert sv1[0] == ["SV1", "HC:99213:25:59:GT:95", "125", "UN", "1", "", "", "1:2:3:4"]
    assert sv1[1] == ["SV1", "HC:85025", "19.5", "UN", "2", "", "", "12"]
    assert find(text, "DTP", "472") == [["DTP", "472", "D8", "20260301"]] * 2


def test_correction_and_void_carry_payer_claim_number():
    for frequency in ("7", "8"):
        text = write_837p(batch(claim(frequency=frequency, payer_claim_number="ICN1")))
        assert find(text, "REF", "F8") == [["REF", "F8", "ICN1"]]
        assert find(text, "CLM")[0][5] == f"11:B:{frequency}"
    assert not find(write_837p(batch(claim())), "REF", "F8")
    with pytest.raises(X12Error, match="a replacement or void needs the payer claim number"):
        write_837p(batch(claim(frequency="7")))


def test_secondary_claim_cob_loops():
    text = write_837p(SCENARIOS["secondary_with_cob"]())
    assert find(text, "SBR")[1] == ["SBR", "P", "18", "GRP77", "", "", "", "", "", "CI"]
    assert find(text, "AMT", "D") == [["AMT", "D", "80"]]
    assert find(text, "NM1", "PR")[1][-1] == "ACME1"
    assert find(text, "SVD") == [["SVD", "ACME1", "80", "HC:99213", "", "1"]]
    assert find(text, "CAS", "PR") == [["CAS", "PR", "2", "25"]]
    assert find(text, "DTP", "573") == [["DTP", "573", "D8", "20260310"]]


def test_claim_level_adjustments_grouped_six_per_cas(tmp_path):
    reasons = [Adjustment("CO", str(code), Decimal("1")) for code in range(1, 8)]
    reasons.append(Adjustment("PR", "1", Decimal("10.10")))
    other = dataclasses.replace(SECONDARY, adjustments=tuple(reasons))
    text = write_837p(batch(claim(responsibility="S", other_coverage=other)))
    cas = find(text, "CAS")
    assert cas[0][:4] == ["CAS", "CO", "1", "1"] and len(cas[0]) == 19
    assert cas[1:] == [["CAS", "CO", "7", "1"], ["CAS", "PR", "1", "10.1"]]
    assert pyx12_errors(text, tmp_path) == []


def test_line_adjudication_needs_other_coverage():
    adjudication = LineAdjudication(Decimal("1"), date(2026, 3, 10))
    with pytest.raises(X12Error, match="claim CLM0001: line adjudication needs other coverage"):
        write_837p(batch(claim(lines=(line(adjudication=adjudication),))))


def test_delimiter_inside_element_raises():
    bad = dataclasses.replace(SUBSCRIBER, last_name="DOE*SMITH")
    with pytest.raises(X12Error) as info:
        write_837p(batch(claim(subscriber=bad)))
    assert info.value.segment_id == "NM1"
    for value in ("A~B", "A:B", "A^B"):
        with pytest.raises(X12Error, match="delimiter"):
            SegmentWriter().add("REF", "EI", value)


def test_writer_trims_and_joins():
    w = SegmentWriter()
    w.add("SV1", ("HC", "99213", None, ""), "10", "", None)
    w.add("X", ["A", ("B", "C")])
    assert w.text() == "SV1*HC:99213*10~\nX*A^B:C~\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("125.00", "125"), ("125.50", "125.5"), ("0.00", "0"), ("100", "100"), ("0.005", "0.01")],
)
def test_format_amount(value, expected):
    assert format_amount(Decimal(value)) == expected


def test_format_quantity():
    assert format_quantity(Decimal("1.50")) == "1.5"
    assert format_quantity(3) == "3"


def test_too_many_diagnoses_rejected():
    with pytest.raises(X12Error, match="claim CLM0001: 1 to 12 diagnoses allowed"):
        write_837p(batch(claim(diagnoses=tuple(f"A{i:02d}" for i in range(13)))))


def test_pwk_segments_follow_clm_before_ref():
    text = write_837p(SCENARIOS["attachments"]())

    ids = [s[0] for s in segments(text)]
    clm = ids.index("CLM")
    assert ids[clm + 1 : clm + 12] == ["PWK"] * 10 + ["REF"]
    assert find(text, "PWK", "OZ") == [["PWK", "OZ", "FX", "", "", "AC", "ACN00"]]
    assert find(text, "PWK", "PN") == [["PWK", "PN", "AA"]]


@pytest.mark.parametrize(
    ("attachments", "said"),
    [
        (tuple(Attachment("OZ", "AA") for _ in range(11)), "at most 10"),
        ((Attachment("ZZ", "AA"),), "report type"),
        ((Attachment("OZ", "XX"),), "transmission"),
        ((Attachment("OZ", "FX"),), "needs its number"),
        ((Attachment("OZ", "FX", "N"),), "2 to 80"),
        ((Attachment("OZ", "FX", "N" * 81),), "2 to 80"),
    ],
)
def test_attachments_the_guide_refuses_raise(attachments, said):
    with pytest.raises(X12Error, match=said):
        write_837p(batch(claim(attachments=attachments)))


def test_an_attachment_number_with_a_delimiter_raises():
    with pytest.raises(X12Error, match="delimiter"):
        write_837p(batch(claim(attachments=(Attachment("OZ", "FX", "A~B"),))))

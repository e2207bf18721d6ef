"""The 837P writer, segment by segment: every element of every loop of a batch, as sent.

pyx12 (test_claim837.py) proves the structure; this proves the contents: whose address is in
which N3/N4, whose NPI in NM1*82 and NM1*77, which payer in which NM1*PR.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from rcm.x12.base import X12Error
from rcm.x12.claim837 import (
    Address,
    BillingProvider,
    LineAdjudication,
    Patient,
    RenderingProvider,
    ServiceFacility,
    write_837p,
)
from tests.x12.test_claim837 import (
    ADDRESS,
    HOME,
    SCENARIOS,
    SUBSCRIBER,
    batch,
    claim,
    fake_npi,
    line,
)

ISA = (
    "ISA*00*          *00*          *ZZ*SUBMITTER01    *ZZ*RECEIVER01     *260314*0930*^*00501*"
    "000000905*0*T*:"
)
EXPECTED = """\
GS*HC*SUBMITTER01*RECEIVER01*20260314*0930*77*X*005010X222A1
ST*837*1234*005010X222A1
BHT*0019*00*BATCH0001*20260314*0930*CH
NM1*41*2*TEST CLINIC LLC*****46*SUBMITTER01
PER*IC*PAT ADMIN*TE*2175550100
NM1*40*2*TEST CLEARINGHOUSE*****46*RECEIVER01
HL*1**20*1
PRV*BI*PXC*207Q00000X
NM1*85*2*TEST CLINIC LLC*****XX*9876543213
N3*100 TEST STREET*SUITE 2
N4*SPRINGFIELD*IL*627011234
REF*EI*123456789
NM1*87*2
N3*42 SAMPLE LANE
N4*SPRINGFIELD*IL*62702
HL*2*1*22*0
SBR*P*18*GRP77******CI
NM1*IL*1*DOE*JANE****MI*MEM123456
N3*42 SAMPLE LANE
N4*SPRINGFIELD*IL*62702
DMG*D8*19800501*F
NM1*PR*2*ACME HEALTH PLAN*****PI*ACME1
CLM*CLM0001*125***11:B:1*Y*A*Y*Y
HI*ABK:E119
NM1*82*1*SMITH*ALEX****XX*1234567893
PRV*PE*PXC*207Q00000X
LX*1
SV1*HC:99213*125*UN*1***1
DTP*472*D8*20260301
REF*6R*L1
HL*3*1*22*1
SBR*P**GRP77******CI
NM1*IL*1*DOE*JANE****MI*MEM123456
N3*42 SAMPLE LANE
N4*SPRINGFIELD*IL*62702
DMG*D8*19800501*F
NM1*PR*2*ACME HEALTH PLAN*****PI*ACME1
HL*4*3*23*0
PAT*19
NM1*QC*1*DOE*JIMMY
N3*42 SAMPLE LANE
N4*SPRINGFIELD*IL*62702
DMG*D8*20150704*M
CLM*CLM0003*125***11:B:1*Y*A*Y*Y
REF*G1*AUTH555
NTE*ADD*SYNTHETIC TEST NOTE
HI*ABK:E119
NM1*82*1*SMITH*ALEX****XX*1234567893
PRV*PE*PXC*207Q00000X
NM1*77*2*TEST ANNEX*****XX*5554443338
N3*100 TEST STREET*SUITE 2
N4*SPRINGFIELD*IL*627011234
LX*1
SV1*HC:99213*125*UN*1***1
DTP*472*D8*20260301
REF*6R*L1
HL*5*1*22*0
SBR*S*18*GRP77******CI
NM1*IL*1*DOE*JANE****MI*MEM123456
N3*42 SAMPLE LANE
N4*SPRINGFIELD*IL*62702
DMG*D8*19800501*F
NM1*PR*2*FAKE MUTUAL*****PI*FAKE2
CLM*CLM0002*125***11:B:1*Y*A*Y*Y
HI*ABK:E119
NM1*82*1*SMITH*ALEX****XX*1234567893
PRV*PE*PXC*207Q00000X
SBR*P*18*GRP77******CI
AMT*D*80
OI***Y***Y
NM1*IL*1*DOE*JANE****MI*MEM123456
N3*42 SAMPLE LANE
N4*SPRINGFIELD*IL*62702
NM1*PR*2*ACME HEALTH PLAN*****PI*ACME1
LX*1
SV1*HC:99213*125*UN*1***1
DTP*472*D8*20260301
REF*6R*L1
SVD*ACME1*80*HC:99213**1
CAS*CO*45*20
CAS*PR*2*25
DTP*573*D8*20260310
HL*6*1*22*0
SBR*P*18*GRP77******CI
NM1*IL*1*DOE*JANE****MI*MEM123456
N3*42 SAMPLE LANE
N4*SPRINGFIELD*IL*62702
DMG*D8*19800501*F
NM1*PR*2*ACME HEALTH PLAN*****PI*ACME1
CLM*CLM0004*125***11:B:7*Y*A*Y*Y
REF*F8*ICN9
HI*ABK:E119
NM1*82*1*SMITH*ALEX****XX*1234567893
PRV*PE*PXC*207Q00000X
LX*1
SV1*HC:99213*125*UN*1***1
DTP*472*D8*20260301
REF*6R*L1
SE*98*1234
GE*1*77
IEA*1*000000905
"""


def lines_of(text: str) -> list[str]:
    return [s.removesuffix("~") for s in text.splitlines()]


def test_a_full_batch_segment_by_segment():
    several = SCENARIOS["several_claims"]()
    pay_to = dataclasses.replace(several.billing_provider, pay_to_address=HOME)
    text = write_837p(dataclasses.replace(several, billing_provider=pay_to))

    assert text.endswith("~\n")
    assert lines_of(text) == [ISA, *EXPECTED.splitlines()]


def test_pay_to_address_equal_to_the_billing_address_is_left_out():
    same = BillingProvider("TEST CLINIC LLC", fake_npi("987654321"), "1", "X", ADDRESS, ADDRESS)
    assert "NM1*87*2" not in lines_of(write_837p(batch(claim(), billing_provider=same)))


def test_address_without_second_line_and_subscriber_without_address_or_birth_date():
    bare = dataclasses.replace(SUBSCRIBER, address=None, birth_date=None)
    one_line = Address("1 MAIN ST", "TOWN", "TX", "75001")
    segs = lines_of(
        write_837p(
            batch(
                claim(
                    subscriber=bare,
                    service_facility=ServiceFacility("ANNEX", one_line),
                    rendering_provider=None,
                )
            )
        )
    )
    start = segs.index("NM1*IL*1*DOE*JANE****MI*MEM123456")
    assert segs[start + 1] == "NM1*PR*2*ACME HEALTH PLAN*****PI*ACME1"  # no N3/N4, no DMG
    facility = segs.index("NM1*77*2*ANNEX")  # no NPI: NM108/NM109 left out
    assert segs[facility + 1 : facility + 3] == ["N3*1 MAIN ST", "N4*TOWN*TX*75001"]
    assert not [s for s in segs if s.startswith(("NM1*82", "PRV*PE"))]


def test_names_with_middle_names_and_diagnosis_codes_cleaned():
    middle = dataclasses.replace(SUBSCRIBER, middle_name="Q")
    dependant = Patient("DOE", "JIMMY", date(2015, 7, 4), "M", HOME, "19", middle_name="R")
    segs = lines_of(
        write_837p(batch(claim(subscriber=middle, patient=dependant, diagnoses=(" e11.9 ", "i10"))))
    )
    assert "NM1*IL*1*DOE*JANE*Q***MI*MEM123456" in segs
    assert "NM1*QC*1*DOE*JIMMY*R" in segs
    assert "HI*ABK:E119*ABF:I10" in segs


def test_rendering_provider_npi_and_taxonomy():
    rp = RenderingProvider("ROE", "RITA", fake_npi("111222333"), "208D00000X")
    segs = lines_of(write_837p(batch(claim(rendering_provider=rp))))
    at = segs.index(f"NM1*82*1*ROE*RITA****XX*{fake_npi('111222333')}")
    assert segs[at + 1] == "PRV*PE*PXC*208D00000X"


def test_line_adjudication_paid_units_default_to_the_lines_units():
    base = SCENARIOS["secondary_with_cob"]().claims[0]
    adjudicated = LineAdjudication(Decimal("10"), date(2026, 3, 10), paid_units=Decimal("2"))
    lines = (line(units=Decimal("3"), adjudication=adjudicated),)
    segs = lines_of(write_837p(batch(dataclasses.replace(base, lines=lines))))
    assert "SV1*HC:99213*125*UN*3***1" in segs
    assert "SVD*ACME1*10*HC:99213**2" in segs


@pytest.mark.parametrize(
    ("change", "message", "segment_id"),
    [
        (
            {"frequency": "8"},
            "claim CLM0001: a replacement or void needs the payer claim number",
            "REF",
        ),
        (
            {"frequency": "7"},
            "claim CLM0001: a replacement or void needs the payer claim number",
            "REF",
        ),
        ({"diagnoses": ()}, "claim CLM0001: 1 to 12 diagnoses allowed", "HI"),
        (
            {"diagnoses": tuple(f"A{i:02d}" for i in range(13))},
            "claim CLM0001: 1 to 12 diagnoses allowed",
            "HI",
        ),
        ({"lines": ()}, "claim CLM0001: 1 to 50 service lines allowed", "LX"),
        ({"lines": (line(),) * 51}, "claim CLM0001: 1 to 50 service lines allowed", "LX"),
        (
            {"lines": (line(diagnosis_pointers=(2,)),)},
            "claim CLM0001: bad diagnosis pointers (2,)",
            "SV1",
        ),
        (
            {"lines": (line(diagnosis_pointers=(0,)),)},
            "claim CLM0001: bad diagnosis pointers (0,)",
            "SV1",
        ),
        (
            {"lines": (line(diagnosis_pointers=()),)},
            "claim CLM0001: bad diagnosis pointers ()",
            "SV1",
        ),
        (
            {
                "diagnoses": ("A", "B", "C", "D", "E"),
                "lines": (line(diagnosis_pointers=(1, 2, 3, 4, 5)),),
            },
            "claim CLM0001: bad diagnosis pointers (1, 2, 3, 4, 5)",
            "SV1",
        ),
        (
            {"lines": (line(adjudication=LineAdjudication(Decimal(1), date(2026, 3, 10))),)},
            "claim CLM0001: line adjudication needs other coverage",
            "SVD",
        ),
        (
            {"lines": (line(modifiers=("25", "59", "76", "77", "GT")),)},
            "procedure 99213: at most 4 modifiers",
            "SV1",
        ),
    ],
)
def test_a_claim_that_cannot_be_written_is_refused_by_name(change, message, segment_id):
    with pytest.raises(X12Error) as refusal:
        write_837p(batch(claim(**change)))
    assert (refusal.value.message, refusal.value.segment_id) == (message, segment_id)


def test_the_limits_themselves_are_allowed():
    twelve = tuple(f"A{i:02d}" for i in range(12))
    pointers = (line(diagnosis_pointers=(9, 10, 11, 12), modifiers=("25", "59", "76", "77")),)
    assert write_837p(batch(claim(diagnoses=twelve, lines=pointers * 50))).count("LX*") == 50


def test_a_batch_needs_a_claim():
    with pytest.raises(X12Error) as refusal:
        write_837p(batch())
    assert (refusal.value.message, refusal.value.segment_id) == (
        "an 837P batch needs at least one claim",
        "CLM",
    )

"""The 835 parser segment by segment: which loop a segment belongs to and which element means what.

Each test feeds one small remittance built here, so a parser that reads the wrong element, or
lets a segment of one loop overwrite another's data, fails by name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from rcm.x12.base import X12Error
from rcm.x12.era835 import Adjustment, ProviderAdjustment, check_balance, parse_835

HEADER = [
    "BPR*I*100*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20240115",
    "TRN*1*TRACE9*1512345678",
    "DTM*405*20240114",
    "N1*PR*ACME HEALTH PLAN*XV*PAYER01",
    "N1*PE*GOOD DOCTORS PC*XX*1234567893",
]


def era(*body: str, header: list[str] | None = None, st: str = "0001") -> str:
    segments = [f"ST*835*{st}", *(HEADER if header is None else header), *body]
    segments.append(f"SE*{len(segments) + 1}*{st}")
    return (
        "~\n".join(
            [
                "ISA*00*          *00*          *ZZ*SUBMITTER01    *ZZ*RECEIVER01     "
                "*240115*1200*^*00501*000000101*0*T*:",
                "GS*HP*SENDER*RECEIVER*20240115*1200*101*X*005010X221A1",
                *segments,
                "GE*1*101",
                "IEA*1*000000101",
            ]
        )
        + "~\n"
    )


CLAIM = "CLP*PCN1*1*100*100**12*PAYERCLM1*11*1"
PATIENT = "NM1*QC*1*DOE*JANE*Q***MI*MBR123"


def claim_of(text: str):
    [remittance] = parse_835(text)
    [claim] = remittance.claims
    return claim


@pytest.mark.parametrize(
    "other",
    [
        "NM1*IL*1*SUBSCRIBER*SAM****MI*SUB999",  # the insured, when not the patient
        "NM1*74*1*CORRECTED*NAME****C*NEWID",  # corrected patient/insured name
        "NM1*82*1*RENDERING*DOC****XX*1234567893",  # the rendering provider
        "NM1*TT*2*CROSSOVER PLAN*****PI*CO1",  # crossover carrier
        "NM1*PR*2*CORRECTED PAYER*****PI*P2",  # corrected priority payer
    ],
)
def test_only_nm1_qc_names_the_patient(other):
    before = claim_of(era(CLAIM, PATIENT, other))
    after = claim_of(era(CLAIM, other, PATIENT))

    for claim in (before, after):
        assert (claim.patient_last_name, claim.patient_first_name, claim.patient_id) == (
            "DOE",
            "JANE",
            "MBR123",
        )


def test_a_claim_without_nm1_qc_has_no_patient_name():
    claim = claim_of(era(CLAIM, "NM1*IL*1*SUBSCRIBER*SAM****MI*SUB999"))
    assert (claim.patient_last_name, claim.patient_first_name, claim.patient_id) == ("", "", "")


def test_nm1_qc_inside_a_service_line_does_not_rename_the_claims_patient():
    claim = claim_of(era(CLAIM, PATIENT, "SVC*HC:99213*100*100", "NM1*QC*1*LINE*LEVEL****MI*OTHER"))
    assert (claim.patient_last_name, claim.patient_id) == ("DOE", "MBR123")


def test_nm1_qc_before_any_claim_is_ignored():
    [remittance] = parse_835(era(CLAIM, header=[*HEADER, "NM1*QC*1*NOBODY*X****MI*NONE"]))
    assert remittance.claims[0].patient_last_name == ""


def test_the_patient_id_is_nm109_stripped():
    claim = claim_of(era(CLAIM, "NM1*QC*1*DOE*JANE****MI* MBR123 "))
    assert claim.patient_id == "MBR123"


def test_moa_amounts_are_not_remark_codes():
    # MOA01 reimbursement rate, MOA02 payable amount, MOA03-07 remarks, MOA08-09 amounts.
    claim = claim_of(era(CLAIM, "MOA*0.8*55.25*MA01*N1*N2*N3*N4*12.50*7.00"))
    assert claim.remark_codes == ["MA01", "N1", "N2", "N3", "N4"]


def test_moa_with_only_amounts_has_no_remarks():
    claim = claim_of(era(CLAIM, "MOA*0.8*55.25******12.50*7.00"))
    assert claim.remark_codes == []


def test_mia_remarks_are_mia05_and_mia20_to_23():
    mia = ["MIA", "1", "10", "", "5.5", "MA01"] + [str(n) for n in range(6, 20)]
    mia += ["MA02", "MA03", "MA04", "MA05", "99"]
    claim = claim_of(era(CLAIM, "*".join(mia)))
    assert claim.remark_codes == ["MA01", "MA02", "MA03", "MA04", "MA05"]


def test_moa_before_any_claim_is_refused():
    with pytest.raises(X12Error, match="MOA before any CLP") as refusal:
        parse_835(era(CLAIM, header=[*HEADER, "MOA***MA01"]))
    assert refusal.value.segment_id == "MOA"


@pytest.mark.parametrize("segment", ["MIA*1***MA01", "CAS*CO*45*10", "SVC*HC:99213*10*10"])
def test_claim_segments_before_any_claim_are_refused(segment):
    with pytest.raises(X12Error, match=f"{segment[:3]} before any CLP"):
        parse_835(era(CLAIM, header=[*HEADER, segment]))


def test_line_dates_dtm150_and_dtm151():
    claim = claim_of(
        era(
            CLAIM,
            "DTM*232*20240101",
            "SVC*HC:99213*100*100",
            "DTM*150*20240102",
            "DTM*151*20240105",
        )
    )
    [line] = claim.service_lines
    assert (line.service_date, line.service_date_end) == (date(2024, 1, 2), date(2024, 1, 5))
    # the claim's own dates are not touched by the line's
    assert (claim.service_date_start, claim.service_date_end) == (date(2024, 1, 1), None)


def test_line_date_dtm472_is_the_single_service_date():
    [line] = claim_of(era(CLAIM, "SVC*HC:99213*100*100", "DTM*472*20240107")).service_lines
    assert (line.service_date, line.service_date_end) == (date(2024, 1, 7), None)


def test_claim_dates_dtm232_and_dtm233_inside_a_claim_but_before_lines():
    claim = claim_of(era(CLAIM, "DTM*232*20240101", "DTM*233*20240131", "DTM*050*20240201"))
    assert (claim.service_date_start, claim.service_date_end) == (
        date(2024, 1, 1),
        date(2024, 1, 31),
    )


def test_production_date_inside_a_claim_is_not_the_remittances():
    [remittance] = parse_835(era(CLAIM, "DTM*405*20990101", header=HEADER[:2]))
    assert remittance.production_date is None


def test_a_bad_line_date_is_refused_by_name():
    with pytest.raises(X12Error, match=r"DTM02 is not a date CCYYMMDD: '20241340'"):
        parse_835(era(CLAIM, "SVC*HC:99213*100*100", "DTM*150*20241340"))


def test_lq_he_is_a_remark_lq_rx_is_not():
    [line] = claim_of(
        era(CLAIM, "SVC*HC:99213*100*100", "LQ*HE*M15", "LQ*RX*12345", "LQ*HE*")
    ).service_lines
    assert line.remark_codes == ["M15"]


def test_lq_outside_a_line_is_refused():
    with pytest.raises(X12Error) as refusal:
        parse_835(era(CLAIM, "LQ*HE*M15"))
    assert (refusal.value.message, refusal.value.segment_id) == ("LQ outside a service line", "LQ")


def test_an_empty_plb_pair_does_not_hide_the_next():
    text = era(CLAIM, "PLB*1234567893*20241231*WO*15***72*-5", header=["BPR*I*90*C*ACH"])
    [remittance] = parse_835(text)
    assert [(p.reason, p.amount) for p in remittance.provider_adjustments] == [
        ("WO", Decimal("15")),
        ("72", Decimal("-5")),
    ]


def test_a_date_after_plb_belongs_to_no_line():
    [remittance] = parse_835(
        era(CLAIM, "SVC*HC:99213*100*100", "PLB*1234567893*20241231*WO*0", "DTM*472*20240109")
    )
    assert remittance.claims[0].service_lines[0].service_date is None


def test_cas_quantity_and_all_six_triplets():
    cas = "CAS*CO*" + "*".join(f"R{n}*{n}*{n + 10}" for n in range(1, 7))
    claim = claim_of(era("CLP*PCN1*1*100*79", cas))
    assert claim.adjustments == [
        Adjustment("CO", f"R{n}", Decimal(n), Decimal(n + 10)) for n in range(1, 7)
    ]


def test_cas_with_an_unknown_group_is_refused():
    with pytest.raises(X12Error, match="CAS01 'XX' is not an adjustment group code"):
        parse_835(era(CLAIM, "CAS*XX*45*10"))


def test_cas_amount_must_be_a_number():
    with pytest.raises(X12Error, match=r"CAS03 is not a number: '1O'"):
        parse_835(era(CLAIM, "CAS*CO*45*1O"))


def test_references_go_to_their_loop():
    [remittance] = parse_835(
        era(
            CLAIM,
            "REF*1K*CLAIMREF",
            "SVC*HC:99213*100*100",
            "REF*6R*LINE1",
            "REF*LU*LOCATION",
            header=[*HEADER[:4], "REF*EV*PAYERREF", "REF*2U*PAYER2U", HEADER[4], "REF*TJ*TAX"],
        )
    )
    assert remittance.payer_references == {"EV": "PAYERREF", "2U": "PAYER2U"}
    assert remittance.payer_identifier == "PAYER01"  # N104 wins over REF*2U
    [claim] = remittance.claims
    assert claim.references == {"1K": "CLAIMREF"}
    [line] = claim.service_lines
    assert line.references == {"6R": "LINE1", "LU": "LOCATION"}
    assert line.control_number == "LINE1"


def test_payer_identifier_falls_back_to_ref_2u():
    header = [*HEADER[:3], "N1*PR*ACME HEALTH PLAN", "REF*2U*PAYER2U", HEADER[4]]
    [remittance] = parse_835(era(CLAIM, header=header))
    assert remittance.payer_identifier == "PAYER2U"


def test_payee_without_npi():
    header = [*HEADER[:4], "N1*PE*GOOD DOCTORS PC*FI*123456789"]
    [remittance] = parse_835(era(CLAIM, header=header))
    assert (remittance.payee_id_qualifier, remittance.payee_id, remittance.payee_npi) == (
        "FI",
        "123456789",
        "",
    )


def test_lx_starts_a_new_group_of_claims():
    text = era(
        "LX*1",
        CLAIM,
        "SVC*HC:99213*100*100",
        "LX*2",
        "REF*6R*AFTERLX",
        "CLP*PCN2*1*50*50",
    )
    [remittance] = parse_835(text)
    first, second = remittance.claims
    assert first.references == {}
    assert first.service_lines[0].references == {}
    assert second.control_number == "PCN2"


def test_a_new_claim_starts_without_the_previous_line():
    text = era(CLAIM, "SVC*HC:99213*100*100", "CLP*PCN2*1*50*50", "CAS*CO*45*0")
    first, second = parse_835(text)[0].claims
    assert first.service_lines[0].adjustments == []
    assert second.adjustments == [Adjustment("CO", "45", Decimal("0"))]


def test_clp_amounts_and_defaults():
    claim = claim_of(era("CLP*PCN1*2*100*80"))
    assert (claim.charge, claim.paid, claim.patient_responsibility) == (
        Decimal("100"),
        Decimal("80"),
        Decimal("0"),
    )
    assert (claim.filing_indicator, claim.payer_claim_number, claim.frequency) == ("", "", "")


def test_clp_without_control_number_is_refused():
    with pytest.raises(X12Error) as refusal:
        parse_835(era("CLP**1*100*100"))
    assert refusal.value.message == "CLP01 claim control number is empty"


def test_an_empty_cas_triplet_does_not_hide_the_next():
    claim = claim_of(era("CLP*PCN1*1*100*85", "CAS*CO*45*10*****97*5"))
    assert claim.adjustments == [
        Adjustment("CO", "45", Decimal("10")),
        Adjustment("CO", "97", Decimal("5")),
    ]


def test_an_unbalanced_line_is_described_with_its_arithmetic():
    [remittance] = parse_835(era("CLP*PCN1*1*100*100", "SVC*HC:99213*100*100", "CAS*CO*45*10"))
    assert check_balance(remittance) == [
        "claim PCN1 line 1 (99213): charge 100 - adjustments 10 = 90, paid 100",
        "claim PCN1: charge 100 - adjustments 10 = 90, paid 100",
    ]


def test_svc_units_modifiers_and_revenue_code():
    [line] = claim_of(era(CLAIM, "SVC*HC:99213:25:59:76:77:XX*100*100*0450*3")).service_lines
    assert (line.qualifier, line.procedure_code) == ("HC", "99213")
    assert line.modifiers == ["25", "59", "76", "77"]
    assert (line.revenue_code, line.units) == ("0450", Decimal("3"))


def test_svc_without_a_procedure_names_the_component_separator():
    with pytest.raises(X12Error) as refusal:
        parse_835(era(CLAIM, "SVC*HC*100*100"))
    assert str(refusal.value) == (
        "SVC01 'HC' is not qualifier:procedure code (the ISA16 component separator is ':') "
        "(segment SVC #10 line 10)"
    )


def test_plb_reasons_references_and_amounts():
    text = era(CLAIM, "PLB*1234567893*20241231*WO:PCN0555*15*72*-5*L6:P1*3.10")
    [remittance] = parse_835(text)
    assert remittance.provider_adjustments == [
        ProviderAdjustment("1234567893", date(2024, 12, 31), "WO", "PCN0555", Decimal("15")),
        ProviderAdjustment("1234567893", date(2024, 12, 31), "72", "", Decimal("-5")),
        ProviderAdjustment("1234567893", date(2024, 12, 31), "L6", "P1", Decimal("3.10")),
    ]


def test_segments_after_plb_do_not_belong_to_the_last_claim():
    with pytest.raises(X12Error, match="CAS before any CLP"):
        parse_835(era(CLAIM, "PLB*1234567893*20241231*WO*15", "CAS*CO*45*10"))


def test_payment_balance_counts_provider_adjustments():
    text = era(CLAIM, "PLB*1234567893*20241231*WO*15", header=["BPR*I*85*C*ACH", *HEADER[1:]])
    [remittance] = parse_835(text)
    assert check_balance(remittance) == []


def test_every_remittance_in_a_file_is_read_with_its_own_trace():
    one = era(CLAIM, st="0001").split("~\n")
    two = era("CLP*PCN2*1*50*50", st="0002", header=["BPR*I*50*C*ACH", "TRN*1*TRACE10*1512345678"])
    two_segments = two.split("~\n")
    # both transactions in one group: GS ... ST 0001 ... SE, ST 0002 ... SE, GE*2
    body = one[2:-3] + two_segments[2:-3]
    text = "~\n".join([*one[:2], *body, "GE*2*101", "IEA*1*000000101"]) + "~\n"
    first, second = parse_835(text)
    assert (first.control_number, first.trace_number, first.payment_amount) == (
        "0001",
        "TRACE9",
        Decimal("100"),
    )
    assert (second.control_number, second.trace_number, second.payment_amount) == (
        "0002",
        "TRACE10",
        Decimal("50"),
    )
    assert [c.control_number for c in second.claims] == ["PCN2"]

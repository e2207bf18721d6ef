"""The 271 parser field by field (a dependent, LS/LE, payer-level AAA), the 270 text, refusals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from rcm.x12.base import X12Error
from rcm.x12.eligibility import (
    Benefit,
    EligibilityRequest,
    EligibilityResponse,
    Person,
    Rejection,
    benefit_summary,
    parse_271,
    write_270,
)
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

SUBSCRIBER = """\
BHT*0022*11*ELIG9*20240301*0815~
HL*1**20*1~
NM1*PR*2*ACME HEALTH PLAN*****PI*PAYER01~
AAA*Y**42*R~
HL*2*1*21*1~
NM1*1P*2*GOOD DOCTORS PC*****SV*PROV9~
HL*3*2*22*1~
TRN*2*TRACE1*9OURPRACT~
NM1*IL*1*DOE*JOHN****MI*MBR123~
REF*18*PLAN77~
REF*6P*GRP100*ACME EMPLOYER GROUP~
DMG*D8*19700101*M~
DTP*346*D8*20240101~
"""
DEPENDENT = """\
HL*4*3*23*0~
TRN*2*TRACE2~
NM1*03*1*DOE*JIMMY~
REF*18*PLAN88~
DTP*307*D8*20240201~
AAA*N**65*C~
EB*C*FAM*30^98*HM*GOLD PPO*23*1500*0.2*VS*20*N*Y*HC:99213~
MSG*FAMILY DEDUCTIBLE~
REF*G1*AUTH1~
DTP*292*RD8*20240101-20241231~
LS*2120~
NM1*P3*1*SMITH*ANNA****XX*1992753880~
LE*2120~
EB*1~
"""


def x271(body: str) -> str:
    count = body.count("~") + 2
    return (
        "ISA*00*          *00*          *ZZ*ACMEPAYER      *ZZ*OURPRACTICE    *240301*0815*^"
        "*00501*000000401*0*T*:~\n"
        "GS*HB*ACMEPAYER*OURPRACTICE*20240301*0815*401*X*005010X279A1~\n"
        f"ST*271*0007*005010X279A1~\n{body}SE*{count}*0007~\nGE*1*401~\nIEA*1*000000401~\n"
    )


PAYER_REJECTION = Rejection("information source", "Y", "42", "R")
DEDUCTIBLE = Benefit(
    info_code="C", coverage_level="FAM", service_types=["30", "98"], insurance_type="HM",
    plan_description="GOLD PPO", time_period="23", amount=Decimal("1500"),
    percent=Decimal("0.2"), quantity_qualifier="VS", quantity=Decimal("20"),
    authorization_required="N", in_network="Y", procedure="HC:99213",
    messages=["FAMILY DEDUCTIBLE"], dates={"292": "20240101-20241231"},
    references={"G1": "AUTH1"},
)  # fmt: skip
# NM1*P3 inside LS/LE names a benefit's provider, not the patient: it changes nothing here
JIMMY = EligibilityResponse(
    control_number="0007", trace_number="TRACE2", payer_name="ACME HEALTH PLAN",
    payer_id="PAYER01", provider_name="GOOD DOCTORS PC", provider_npi="",  # SV, not XX
    subscriber_last_name="DOE", subscriber_first_name="JOHN", member_id="MBR123",
    patient_last_name="DOE", patient_first_name="JIMMY", birth_date=None, gender="",
    is_dependent=True, plan_number="PLAN88", group_number="GRP100",
    group_name="ACME EMPLOYER GROUP", dates={"307": "20240201"},
    benefits=[DEDUCTIBLE, Benefit(info_code="1")],
    rejections=[PAYER_REJECTION, Rejection("dependent", "N", "65", "C")],
)  # fmt: skip
JOHN = EligibilityResponse(
    control_number="0007", trace_number="TRACE1", payer_name="ACME HEALTH PLAN",
    payer_id="PAYER01", provider_name="GOOD DOCTORS PC", provider_npi="",
    subscriber_last_name="DOE", subscriber_first_name="JOHN", member_id="MBR123",
    patient_last_name="DOE", patient_first_name="JOHN", birth_date=date(1970, 1, 1), gender="M",
    is_dependent=False, plan_number="PLAN77", group_number="GRP100",
    group_name="ACME EMPLOYER GROUP", dates={"346": "20240101"},
    benefits=[Benefit(info_code="6", coverage_level="IND")], rejections=[PAYER_REJECTION],
)  # fmt: skip


def test_a_subscriber_without_benefits_is_left_out_for_the_dependent():
    # the subscriber loop (22) only carries the dependent (23): no answer of its own
    assert parse_271(x271(SUBSCRIBER + DEPENDENT)) == [JIMMY]


def test_a_subscriber_with_benefits_and_a_dependent_are_two_answers():
    body = SUBSCRIBER + "EB*6*IND~\n" + DEPENDENT
    assert parse_271(x271(body)) == [JOHN, JIMMY]


def test_a_subscriber_with_only_a_rejection_is_kept():
    body = SUBSCRIBER + "AAA*N**72*C~\n" + DEPENDENT
    john, jimmy = parse_271(x271(body))
    assert (john.patient_first_name, john.is_dependent, john.benefits) == ("JOHN", False, [])
    assert john.rejections == [PAYER_REJECTION, Rejection("subscriber", "N", "72", "C")]
    assert jimmy == JIMMY


def test_payer_rejection_alone_answers_once_without_a_patient():
    body = "HL*1**20*1~\nAAA*N**42*R~\n"
    [answer] = parse_271(x271(body))
    assert answer == EligibilityResponse(
        control_number="0007", rejections=[Rejection("information source", "N", "42", "R")]
    )


def test_the_repetition_separator_of_the_isa_splits_eb03():
    text = x271(SUBSCRIBER + "EB*1*IND*30!98~\n").replace("*^*00501", "*!*00501")
    [answer] = parse_271(text)
    assert answer.benefits[0].service_types == ["30", "98"]


def summary_of(*ebs: str, service_type: str = "30"):
    body = SUBSCRIBER.replace("AAA*Y**42*R~\n", "") + "".join(f"{eb}~\n" for eb in ebs)
    [answer] = parse_271(x271(body))
    return benefit_summary(answer, service_type)


def test_summary_prefers_in_network_then_individual_coverage():
    summary = summary_of(
        "EB*B*IND*30****50*****N", "EB*B*IND*30****25*****Y",
        "EB*C*FAM*30****3000", "EB*C*IND*30****1500",
        "EB*G*ESP*30****9000", "EB*G**30****6000",  # no coverage level counts as individual
    )  # fmt: skip
    assert (summary.copay, summary.deductible, summary.out_of_pocket) == (
        Decimal("25"), Decimal("1500"), Decimal("6000"),
    )  # fmt: skip


def test_summary_uses_plan_wide_benefits_only_for_service_type_30():
    plan_wide = ("EB*1", "EB*B*IND*****20", "EB*B*IND*98****35")
    assert (summary_of(*plan_wide).copay, summary_of(*plan_wide).active) == (Decimal("20"), True)
    office = summary_of(*plan_wide, service_type="98")
    assert (office.service_type, office.copay, office.active) == ("98", Decimal("35"), True)
    assert summary_of(*plan_wide, service_type="33").copay is None


ONLY_20 = "only the information source (20) has no parent"


@pytest.mark.parametrize(
    ("body", "message", "segment_id"),
    [
        ("HL*1**20*1~\nHL*1*1*21*1~\n", "HL01 '1' is empty or used twice", "HL"),
        ("HL*1**20*1~\nHL**1*21*1~\n", "HL01 '' is empty or used twice", "HL"),
        ("HL*1**20*1~\nHL*2*7*21*1~\n", "HL02 parent '7' is not an earlier HL", "HL"),
        ("HL*1**20*1~\nHL*2*1*20*1~\n", f"HL03 20: {ONLY_20}", "HL"),
        ("HL*1**21*1~\n", f"HL03 21: {ONLY_20}", "HL"),
        ("HL*1**20*1~\nAAA*N**~\n", "AAA03 reject reason code is empty", "AAA"),
        ("HL*1**20*1~\nAAA*N**42~\nAAA*N*4~\n", "AAA03 reject reason code is empty", "AAA"),
        (SUBSCRIBER + "MSG*HELLO~\n", "MSG outside an EB benefit loop", "MSG"),
        ("HL*1**20*1~\nTRN*2*T~\n", "TRN outside a subscriber or dependent loop", "TRN"),
        ("HL*1**20*1~\nDMG*D8*19700101~\n", "DMG outside a subscriber or dependent loop", "DMG"),
        ("HL*1**20*1~\nEB*1~\n", "EB outside a subscriber or dependent loop", "EB"),
        ("HL*1**20*1~\n", "271 has no subscriber loop and no AAA rejection", "ST"),
        ("HL*1**20*1~\nHL*2*1*23*0~\n", "dependent HL (23) without a subscriber HL (22)", "HL"),
    ],
)  # fmt: skip
def test_271_refusals(body, message, segment_id):
    with pytest.raises(X12Error) as error:
        parse_271(x271(body))
    assert (error.value.message, error.value.segment_id) == (message, segment_id)


WHEN = datetime(2024, 3, 1, 8, 5)


def request(**changes: object) -> EligibilityRequest:
    values: dict[str, object] = {
        "interchange": InterchangeHeader("OURPRACTICE", "ACMEPAYER", 21, WHEN),
        "group": FunctionalGroup("OURPRACTICE", "ACMEPAYER", 22, WHEN),
        "transaction_control_number": 23,
        "reference": "ELIG1",
        "created": datetime(2024, 3, 2, 13, 7),
        "payer_name": "ACME HEALTH PLAN",
        "payer_id": "PAYER01",
        "provider_name": "GOOD DOCTORS PC",
        "provider_npi": "1234567893",
        "subscriber": Person("DOE", "JANE", "MBR123", date(1980, 5, 17), ""),
        "trace_number": "TRACE1",
        "service_date": date(2024, 3, 4),
    }
    values.update(changes)
    return EligibilityRequest(**values)


ENVELOPE = (
    "ISA*00*          *00*          *ZZ*OURPRACTICE    *ZZ*ACMEPAYER      *240301*0805*^*00501"
    "*000000021*0*T*:~\nGS*HS*OURPRACTICE*ACMEPAYER*20240301*0805*22*X*005010X279A1~\n"
    "ST*270*0023*005010X279A1~\nBHT*0022*13*ELIG1*20240302*1307~\nHL*1**20*1~\n"
    "NM1*PR*2*ACME HEALTH PLAN*****PI*PAYER01~\nHL*2*1*21*1~\n"
    "NM1*1P*2*GOOD DOCTORS PC*****XX*1234567893~\n"
)
TRAILER = "GE*1*22~\nIEA*1*000000021~\n"


def test_270_subscriber_text():
    # no gender: DMG03 left off; no originator: TRN03 left off; EQ 30 by default
    assert write_270(request()) == ENVELOPE + (
        "HL*3*2*22*0~\nTRN*1*TRACE1~\nNM1*IL*1*DOE*JANE****MI*MBR123~\nDMG*D8*19800517~\n"
        "DTP*291*D8*20240304~\nEQ*30~\nSE*13*0023~\n"
    ) + TRAILER  # fmt: skip


def test_270_dependent_text():
    changes = {
        "subscriber": Person("DOE", "JOHN", "MBR123"),
        "patient": Person("DOE", "JIMMY", "", None, "M"),
        "trace_originator": "9OURPRACT",
        "service_types": ("98", "33"),
    }
    assert write_270(request(**changes)) == ENVELOPE + (
        "HL*3*2*22*1~\nNM1*IL*1*DOE*JOHN****MI*MBR123~\nHL*4*3*23*0~\n"
        "TRN*1*TRACE1*9OURPRACT~\nNM1*03*1*DOE*JIMMY~\nDTP*291*D8*20240304~\nEQ*98~\nEQ*33~\n"
        "SE*15*0023~\n"
    ) + TRAILER  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message", "segment_id"),
    [
        ({"subscriber": Person("DOE", "JANE")}, "the subscriber needs a member id", "NM1"),
        ({"trace_number": ""}, "the trace number (TRN02) is empty", "TRN"),
        ({"service_types": ()}, "1 to 99 service type codes allowed", "EQ"),
        ({"service_types": ("30",) * 100}, "1 to 99 service type codes allowed", "EQ"),
    ],
)
def test_270_refusals(changes, message, segment_id):
    with pytest.raises(X12Error) as error:
        write_270(request(**changes))
    assert (error.value.message, error.value.segment_id) == (message, segment_id)


def test_270_takes_99_service_types():
    assert write_270(request(service_types=("30",) * 99)).count("EQ*30~") == 99


def test_ls_hides_the_names_of_its_loop_until_le_or_the_next_eb():
    inside = "LS*2120~\nNM1*IL*1*OTHER*ONE****MI*X1~\n"
    [answer] = parse_271(x271(SUBSCRIBER + "EB*1~\n" + inside + "LE*2120~\nNM1*03*1*DOE*JO~\n"))
    assert (answer.member_id, answer.subscriber_first_name, answer.patient_first_name) == (
        "MBR123", "JOHN", "JO",
    )  # fmt: skip
    # an LS left open ends at the next EB
    [answer] = parse_271(x271(SUBSCRIBER + "EB*1~\n" + inside + "EB*B~\nNM1*03*1*DOE*JI~\n"))
    assert (answer.member_id, answer.patient_first_name) == ("MBR123", "JI")


def test_names_and_rejections_before_any_hl():
    # read leniently: NM1, REF, DTP before any HL belong to nobody; an AAA there is the file's
    before = "NM1*03*1*DOE*JO~\nREF*18*X~\nDTP*346*D8*20200101~\nAAA*N**42~\n"
    body = before + SUBSCRIBER.replace("AAA*Y**42*R~\n", "")
    [answer] = parse_271(x271(body + "EB*1~\n"))
    assert (answer.patient_first_name, answer.plan_number, answer.dates) == (
        "JOHN", "PLAN77", {"346": "20240101"},
    )  # fmt: skip
    assert answer.rejections == [Rejection("", "N", "42", "")]


def test_eb01_empty_is_refused():
    with pytest.raises(X12Error) as error:
        parse_271(x271(SUBSCRIBER + "EB**IND~\n"))
    assert (error.value.message, error.value.segment_id) == (
        "EB01 benefit information code is empty", "EB",
    )  # fmt: skip


def test_a_271_of_another_guide_is_refused():
    text = x271(SUBSCRIBER + "EB*1~\n").replace("005010X279A1", "005010X212")
    with pytest.raises(X12Error) as error:
        parse_271(text)
    assert (error.value.message, error.value.segment_id) == (
        "version '005010X212' is not 005010X279A1 (271)", "ST",
    )  # fmt: skip

"""270 writer, 271 parser and the front-desk benefit summary."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from rcm.x12.base import X12Error
from rcm.x12.eligibility import (
    EligibilityRequest,
    Person,
    benefit_summary,
    parse_271,
    write_270,
)
from rcm.x12.reader import read_interchanges
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_271.txt"
WHEN = datetime(2024, 3, 1, 8, 5)


def request(**changes) -> EligibilityRequest:
    base = {
        "interchange": InterchangeHeader("OURPRACTICE", "ACMEPAYER", 21, WHEN),
        "group": FunctionalGroup("OURPRACTICE", "ACMEPAYER", 22, WHEN),
        "transaction_control_number": 23,
        "reference": "ELIG1",
        "created": WHEN,
        "payer_name": "ACME HEALTH PLAN",
        "payer_id": "PAYER01",
        "provider_name": "GOOD DOCTORS PC",
        "provider_npi": "1234567893",
        "subscriber": Person("DOE", "JANE", "MBR123", date(1980, 5, 17), "F"),
        "trace_number": "TRACE1",
        "service_date": date(2024, 3, 4),
        "service_types": ("30", "98"),
    }
    base.update(changes)
    return EligibilityRequest(**base)


def seg_lists(text: str) -> list[list[str]]:
    [interchange] = read_interchanges(text)
    [group] = interchange.groups
    assert (group.functional_id, group.version) == ("HS", "005010X279A1")
    [transaction] = group.transactions
    assert (transaction.type, transaction.version) == ("270", "005010X279A1")
    return [[s.id, *s.elements] for s in transaction.segments]


def test_270_subscriber():
    segs = seg_lists(write_270(request(trace_originator="9OURPRACT")))
    assert segs[1:] == [
        ["BHT", "0022", "13", "ELIG1", "20240301", "0805"],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", "ACME HEALTH PLAN", "", "", "", "", "PI", "PAYER01"],
        ["HL", "2", "1", "21", "1"],
        ["NM1", "1P", "2", "GOOD DOCTORS PC", "", "", "", "", "XX", "1234567893"],
        ["HL", "3", "2", "22", "0"],
        ["TRN", "1", "TRACE1", "9OURPRACT"],
        ["NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", "MBR123"],
        ["DMG", "D8", "19800517", "F"],
        ["DTP", "291", "D8", "20240304"],
        ["EQ", "30"],
        ["EQ", "98"],
        ["SE", "14", "0023"],
    ]


def test_270_dependent():
    patient = Person("DOE", "JIMMY", birth_date=date(2015, 3, 1), gender="M")
    segs = seg_lists(write_270(request(patient=patient, service_types=("30",))))
    assert segs[6:] == [
        ["HL", "3", "2", "22", "1"],
        ["NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", "MBR123"],
        ["HL", "4", "3", "23", "0"],
        ["TRN", "1", "TRACE1"],
        ["NM1", "03", "1", "DOE", "JIMMY"],
        ["DMG", "D8", "20150301", "M"],
        ["DTP", "291", "D8", "20240304"],
        ["EQ", "30"],
        ["SE", "15", "0023"],
    ]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"provider_npi": "12345"}, "not 10 digits"),
        ({"subscriber": Person("DOE", "JANE")}, "member id"),
        ({"trace_number": ""}, "trace number"),
        ({"service_types": ()}, "1 to 99 service type"),
        ({"patient": Person("DOE", "J", gender="X")}, "gender 'X'"),
        ({"payer_name": "ACME~PLAN"}, "delimiter"),
    ],
)
def test_270_refuses(changes, fragment):
    with pytest.raises(X12Error, match=fragment):
        write_270(request(**changes))


@pytest.fixture
def text() -> str:
    return FIXTURE.read_text()


def test_271_values(text):
    [r] = parse_271(text)
    assert (r.control_number, r.trace_number, r.active, r.is_dependent) == (
        "0001",
        "TRACE1",
        True,
        False,
    )
    assert (r.payer_name, r.payer_id, r.provider_npi) == (
        "ACME HEALTH PLAN",
        "PAYER01",
        "1234567893",
    )
    assert (r.member_id, r.patient_last_name, r.birth_date, r.gender) == (
        "MBR123",
        "DOE",
        date(1980, 5, 17),
        "F",
    )
    assert (r.plan_number, r.group_number, r.group_name) == (
        "PLAN77",
        "GRP100",
        "ACME EMPLOYER GROUP",
    )
    assert r.plan_description == "GOLD PPO"
    assert r.dates == {"346": "20240101"}
    assert len(r.benefits) == 10
    active = r.benefits[0]
    assert (active.description, active.service_types, active.coverage_level_description) == (
        "Active coverage",
        ["30", "1", "98"],
        "Individual",
    )
    out_copay = r.benefits[2]
    assert (out_copay.amount, out_copay.in_network, out_copay.messages) == (
        Decimal("50"),
        "N",
        ["COPAY APPLIES PER VISIT"],
    )
    limit = r.benefits[-1]
    assert (limit.description, limit.quantity_qualifier, limit.quantity) == (
        "Limitations",
        "VS",
        Decimal("20"),
    )
    assert limit.dates == {"292": "20240101-20241231"}
    assert r.benefits[4].time_period_description == "Calendar year"


def test_benefit_summary(text):
    [r] = parse_271(text)
    office = benefit_summary(r, "98")
    assert (office.active, office.copay, office.coinsurance_percent) == (True, Decimal("25"), None)
    plan = benefit_summary(r)
    assert plan.copay is None
    assert plan.coinsurance_percent == Decimal("20.0")
    assert (plan.deductible, plan.deductible_remaining) == (Decimal("1500"), Decimal("1200.50"))
    assert (plan.out_of_pocket, plan.out_of_pocket_remaining) == (Decimal("6000"), Decimal("5100"))
    assert plan.plan_description == "GOLD PPO"


def test_271_inactive_and_rejected(text):
    inactive = text.replace("EB*1*IND*30^1^98", "EB*6*IND*30^1^98")
    assert not parse_271(inactive)[0].active
    rejected = text.replace("DTP*346*D8*20240101", "AAA*Y**72*C")
    [r] = parse_271(rejected)
    assert not r.active
    [aaa] = r.rejections
    assert (aaa.level, aaa.reason, aaa.follow_up) == ("subscriber", "72", "C")
    assert aaa.reason_description == "Invalid or missing subscriber/insured id"
    assert aaa.follow_up_description == "Please correct and resubmit"
    assert benefit_summary(r).rejection_reasons == [aaa.reason_description]


def test_271_payer_level_rejection_only():
    text = FIXTURE.read_text()
    head = text[: text.index("HL*3*2*22*0")]
    body = head.replace("NM1*1P*2*GOOD DOCTORS PC*****XX*1234567893~\n", "NM1*1P*2*X*****XX*1~\n")
    body += "AAA*Y**43*C~\nSE*8*0001~\nGE*1*401~\nIEA*1*000000401~\n"
    [r] = parse_271(body)
    assert (r.active, r.member_id, [a.reason for a in r.rejections]) == (False, "", ["43"])
    assert r.rejections[0].level == "information receiver"


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("EB*C*IND*30*HM**23*1500", "EB*C*IND*30*HM**23*15O0", "EB07 is not a number"),
        ("EB*A*IND*30*HM**27**0.2", "EB*A*IND*30*HM**27**x", "EB08 is not a number"),
        ("DMG*D8*19800517", "DMG*D8*19801317", "DMG02 is not a date"),
        ("HL*3*2*22*0", "HL*3*2*99*0", "HL03 level code '99'"),
        ("EB*1*IND", "EB**IND", "EB01 benefit information code is empty"),
        ("HL*3*2*22*0", "HL*3*2*23*0", "dependent HL (23) without a subscriber"),
    ],
)
def test_271_errors(text, old, new, fragment):
    with pytest.raises(X12Error) as caught:
        parse_271(text.replace(old, new, 1))
    assert fragment in caught.value.message
    assert caught.value.segment_id is not None
    assert caught.value.line is not None


def test_271_other_type_refused(text):
    with pytest.raises(X12Error, match="'270' is not a 271"):
        parse_271(text.replace("ST*271", "ST*270"))

"""What `survey` reports for a file of every kind we read, and the ids `identifiers_in` finds."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from rcm.x12.base import Person, X12Error
from rcm.x12.claim837 import write_837p
from rcm.x12.eligibility import write_270
from rcm.x12.responses import write_271, write_277, write_277ca, write_835, write_999
from rcm.x12.status import write_276
from rcm.x12.survey import Identifiers, Survey, TransactionSummary, identifiers_in, money, survey
from tests.x12 import test_claim837 as c837
from tests.x12 import test_eligibility_exact as elig
from tests.x12 import test_responses_exact as resp
from tests.x12 import test_status_exact as stat


def texts() -> dict[str, str]:
    claims = (c837.claim(), c837.claim(control_number="CLM0002", lines=(c837.line(), c837.line())))
    dependent = elig.request(patient=Person("DOE", "JIMMY", ""))
    return {
        "837P": write_837p(c837.batch(*claims)),
        "270": write_270(dependent),
        "271": resp.write_271(resp.HEADER, resp.answer_271()),
        "271 not found": write_271(resp.HEADER, resp.answer_271(found=False)),
        "276": write_276(stat.request()),
        "277": write_277(resp.HEADER, resp.CASES_277["three claims"][0]),
        "277CA": write_277ca(resp.HEADER, resp.CASES_277CA["accepted and rejected"][0]),
        "999": write_999(resp.HEADER, resp.CASES_999["partly accepted"][0]),
        "999 accepted": write_999(resp.HEADER, resp.CASES_999["accepted"][0]),
        "835": write_835(resp.HEADER, resp.CASES_835["paid"][0]),
        "835 reversal": write_835(resp.HEADER, resp.CASES_835["reversal"][0]),
    }


def test_one_file_of_every_kind():
    found = survey("".join(texts().values()))
    assert found.kinds() == Counter(
        {"837P": 1, "270": 1, "271": 2, "276": 1, "277": 1, "277CA": 1, "999": 2, "835": 2}
    )
    assert found.totals() == {
        "837P": {
            "billing_providers": 1, "claims": 2, "service_lines": 3, "charge": Decimal("375.00"),
        },
        "270": {"subscribers": 1, "dependents": 1},
        "271": {"responses": 2, "active": 1},
        "276": {"claims": 2},
        "277": {"claims": 3, "finalized": 2},
        "277CA": {"claims": 3, "accepted": 2, "rejected": 1},
        "999": {"acknowledgments": 2, "transactions_acknowledged": 3, "accepted": 2, "rejected": 1},
        "835": {
            "payments": 2, "claims": 2, "service_lines": 3, "provider_adjustments": 1,
            "paid": Decimal("60"),
        },
    }  # fmt: skip
    assert [r.payment_amount for r in found.remittances] == [Decimal("60"), Decimal("0")]
    [(_, [[summary]])] = [i for i in found.interchanges if i[1][0][0].kind == "276"]
    assert (summary.control, summary.segments) == ("0019", 19)


def test_totals_add_numbers_and_keep_a_text_only_when_all_agree():
    header = survey(texts()["999"]).interchanges[0][0]
    holds = [
        {"n": 1, "paid": Decimal("1.50"), "note": "same", "mixed": "a", "first": 4},
        {"n": 2, "paid": Decimal("2.25"), "note": "same", "mixed": "b"},
        {"n": 3, "paid": Decimal("0"), "note": "same", "mixed": 7},
    ]
    summaries = [TransactionSummary("999", "0042", 6, h) for h in holds]
    found = Survey(interchanges=[(header, [summaries[:2], summaries[2:]])])
    assert found.totals() == {
        "999": {"n": 6, "paid": Decimal("3.75"), "note": "same", "mixed": "various", "first": 4}
    }
    assert found.kinds() == Counter({"999": 3})


def test_a_type_we_do_not_read_is_noted():
    other = texts()["999"].replace("ST*999*", "ST*998*")
    [(_, [[summary]])] = survey(other).interchanges
    assert (summary.kind, summary.holds) == (
        "998",
        {"note": "not a transaction this application reads"},
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260314*0905*^"
            "*00501*000000042*0*T*:~\nIEA*0*000000042~\n",
            "interchange 000000042 holds no functional group",
        ),
    ],
)
def test_survey_refusals(data, message):
    with pytest.raises(X12Error) as error:
        survey(data)
    assert error.value.message == message


def test_a_claim_without_its_control_number_is_refused():
    text = texts()["837P"].replace("CLM*CLM0001*", "CLM**")
    with pytest.raises(X12Error) as error:
        survey(text)
    assert error.value.message == "CLM01 (the claim's control number) is empty"


@pytest.mark.parametrize(
    ("value", "shown"),
    [("512.4", "512.40"), ("-3.1", "-3.10"), ("-0.001", "0.00"), ("0", "0.00"), ("2.005", "2.00")],
)
def test_money(value, shown):
    assert money(Decimal(value)) == shown


def test_identifiers_in_every_kind():
    found = identifiers_in("".join(texts().values()))
    assert found == Identifiers(
        receivers={"RECEIVER01", "ACMEPAYER", "CLINIC01"},
        payee_npis={"1234567893"},
        # TRN*2 is read leniently: the 277CA's batch reference is taken too
        claim_numbers={"C1", "C2", "C3", "T1", "T2", "T3", "BATCH1"},
    )


@pytest.mark.parametrize(
    ("version", "kind"),
    [
        ("005010X222A1", "837P"),
        ("005010X223A2", "837I"),
        ("005010X224A2", "837D"),
        ("004010", "837"),
    ],
)
def test_837_kinds_by_guide(version, kind):
    text = texts()["837P"].replace("005010X222A1", version)
    assert survey(text).kinds() == Counter({kind: 1})


ISA_LINE = (
    "ISA*00*          *00*          *ZZ*A              *ZZ*B              *260314*0905*^"
    "*00501*000000042*0*T*:~\n"
)


def test_empty_interchange_and_group_are_refused_with_their_segment():
    with pytest.raises(X12Error) as error:
        survey(ISA_LINE + "IEA*0*000000042~\n")
    assert (error.value.message, error.value.segment_id) == (
        "interchange 000000042 holds no functional group", "ISA",
    )  # fmt: skip
    group = "GS*HC*A*B*20260314*0905*5*X*005010X222A1~\nGE*0*5~\n"
    with pytest.raises(X12Error) as error:
        survey(ISA_LINE + group + "IEA*1*000000042~\n")
    assert (error.value.message, error.value.segment_id) == (
        "functional group 5 holds no transaction", "GS",
    )  # fmt: skip


def test_identifiers_by_segment():
    text = ISA_LINE + "".join(
        f"{segment}~\n"
        for segment in [
            "GS*HP*A*GROUPRCV*20260314*0905*5*X*005010X221A1",
            "N1*PE*CLINIC*XX*1234567893",
            "N1*PE*CLINIC*FI*999999999",  # a tax id, not an NPI
            "N1*PR*PAYER*XX*1111111111",
            "N1*PE",  # too short: nothing
            "CLP*PCN1*1*10",
            "CLP",
            "TRN*2*PCN2",
            "TRN*1*NOTACLAIM",
            "CLP*" + "X" * 81,  # longer than an id: left out
            "CLP*" + "Y" * 80,
            "CLP*BAD\x00ID",  # not printable: left out
            "GS*HP*A**20260314",  # empty: left out
        ]
    )
    assert identifiers_in(text) == Identifiers(
        receivers={"B", "GROUPRCV"},
        payee_npis={"1234567893"},
        claim_numbers={"PCN1", "PCN2", "Y" * 80},
    )


def test_identifiers_keep_5000_of_a_kind():
    def many(template: str) -> str:
        return "".join(template.format(n) + "~" for n in range(5001))

    text = ISA_LINE + many("GS*HP*A*R{}") + many("N1*PE*C*XX*{}") + many("CLP*C{}")
    found = identifiers_in(text)
    assert (len(found.receivers), len(found.payee_npis), len(found.claim_numbers)) == (
        5000, 5000, 5000,
    )  # fmt: skip
    isa_only = identifiers_in(
        "".join(ISA_LINE.replace("ZZ*B ", f"ZZ*{n:05d}")[:-1] for n in range(5001))
    )
    assert len(isa_only.receivers) == 5000


def test_identifiers_stop_after_200000_segments():
    filler = "REF*X~" * 199_999
    assert identifiers_in(ISA_LINE + filler + "CLP*LAST~").claim_numbers == set()
    assert identifiers_in(ISA_LINE + filler[6:] + "CLP*LAST~").claim_numbers == {"LAST"}


def test_an_837_without_claims_charges_a_decimal_zero():
    body = "ST*837*0001*005010X222A1~\nBHT*0019*00*B1*20260314*0905*CH~\nHL*1**20*1~\nSE*4*0001~\n"
    group = f"GS*HC*A*B*20260314*0905*5*X*005010X222A1~\n{body}GE*1*5~\n"
    totals = survey(ISA_LINE + group + "IEA*1*000000042~\n").totals()
    assert totals == {
        "837P": {"billing_providers": 1, "claims": 0, "service_lines": 0, "charge": Decimal(0)}
    }
    assert money(totals["837P"]["charge"]) == "0.00"  # a Decimal, not the int 0

"""The sandbox payer: every adjudication rule, the remittance delay, state and real-time answers."""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from rcm.clearinghouse import gateway
from rcm.clearinghouse.gateway import OutboundFile
from rcm.clearinghouse.sandbox import (
    InMemoryRoster,
    MemberFacts,
    SandboxTransport,
    create_transport,
)
from rcm.x12.claim837 import Claim, ServiceLine, write_837p
from rcm.x12.era835 import Remittance, check_balance, parse_835
from rcm.x12.writer import FunctionalGroup, InterchangeHeader, SegmentWriter
from tests.x12.test_claim837 import batch, claim, find, pyx12_errors

PAYER = "ACME1"
MEMBER = "MEM123456"
DOS = date(2026, 3, 1)
START = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)
FACTS = MemberFacts(
    active=True,
    plan_name="GOLD PPO",
    deductible_remaining=Decimal("50"),
    coinsurance_percent=Decimal("20"),
    copay=Decimal("25"),
    last_name="DOE",
    first_name="JANE",
    deductible=Decimal("500"),
    out_of_pocket_max=Decimal("3000"),
    out_of_pocket_remaining=Decimal("2500"),
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def make_roster() -> InMemoryRoster:
    return InMemoryRoster(
        members={(PAYER, MEMBER): FACTS, (PAYER, "OLD1"): FACTS},
        fees={(PAYER, "99213"): Decimal("100")},
        prior_auth={(PAYER, "70553")},
        filing_days={PAYER: 90},
        coverage={(PAYER, "OLD1"): (date(2025, 1, 1), date(2025, 12, 31))},
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sandbox(tmp_path: Path, clock: Clock) -> SandboxTransport:
    return SandboxTransport(tmp_path, 60, make_roster(), clock)


def svc(code: str, charge: str, when: date = DOS, **kwargs) -> ServiceLine:
    return ServiceLine(code, Decimal(charge), when, **kwargs)


def submit(t: SandboxTransport, *claims: Claim, name: str = "b1.837"):
    return t.submit(OutboundFile(name, write_837p(batch(*claims)).encode()))


def inbox(t: SandboxTransport) -> dict[str, str]:
    return {f.name: f.content.decode() for f in t.fetch()}


def remittances(t: SandboxTransport, clock: Clock) -> list[Remittance]:
    """The remittances now due; everything fetched is acknowledged."""
    clock.advance(61)
    files = inbox(t)
    t.acknowledge(list(files))
    found = []
    for name, text in files.items():
        if name.endswith((".835", ".277ca")):
            with tempfile.TemporaryDirectory() as scratch:
                assert pyx12_errors(text, Path(scratch)) == [], name
        if name.endswith(".835"):
            found += parse_835(text)
    for remittance in found:
        assert check_balance(remittance) == []
    return found


def adjustments(remittance: Remittance, claim_index: int = 0) -> list[list[tuple[str, str, str]]]:
    return [
        [(a.group, a.reason, str(a.amount)) for a in line.adjustments]
        for line in remittance.claims[claim_index].service_lines
    ]


def test_accepted_batch_answers_now_and_remits_later(sandbox, clock, tmp_path):
    receipt = submit(sandbox, claim())
    assert receipt.details["accepted"] == "true"
    files = inbox(sandbox)
    assert sorted(files) == ["b1.837.277ca", "b1.837.999"]
    ack = files["b1.837.999"]
    assert find(ack, "AK1") == [["AK1", "HC", "77", "005010X222A1"]]
    assert find(ack, "AK2") == [["AK2", "837", "1234", "005010X222A1"]]
    assert find(ack, "IK5") == [["IK5", "A"]] and find(ack, "AK9") == [["AK9", "A", "1", "1", "1"]]
    assert pyx12_errors(ack, tmp_path) == []
    ca = files["b1.837.277ca"]
    assert find(ca, "STC")[-1][1] == "A2:20"
    assert find(ca, "REF", "1K")[0][2].startswith("SBX")
    assert pyx12_errors(ca, tmp_path) == []
    clock.advance(59)
    assert not [n for n in inbox(sandbox) if n.endswith(".835")]
    clock.advance(2)
    text = inbox(sandbox)["b1.837.ACME1.835"]
    assert pyx12_errors(text, tmp_path) == []
    [remit] = parse_835(text)
    assert check_balance(remit) == []
    # 125 charged, 100 allowed: CO-45 25, copay 25, deductible 50, 20 % of 25 = 5, paid 20.
    assert adjustments(remit) == [[("CO", "45", "25"), ("PR", "3", "25"), ("PR", "1", "50"),
                                   ("PR", "2", "5")]]  # fmt: skip
    assert remit.claims[0].paid == Decimal("20") and remit.payment_amount == Decimal("20")
    assert remit.claims[0].patient_responsibility == Decimal("80")


def test_deductible_is_consumed_across_claims(sandbox, clock):
    submit(sandbox, claim())
    second = claim(control_number="CLM0002", lines=(svc("99213", "125", date(2026, 3, 2)),))
    submit(sandbox, second, name="b2.837")
    paid = {c.control_number: c for r in remittances(sandbox, clock) for c in r.claims}
    assert paid["CLM0001"].paid == Decimal("20")
    assert paid["CLM0002"].paid == Decimal("60")  # no deductible left: 100 - 25 - 15
    assert [a.reason for a in paid["CLM0002"].service_lines[0].adjustments] == ["45", "3", "2"]


def test_default_allowed_percent_without_fee(sandbox, clock):
    submit(sandbox, claim(lines=(svc("85025", "50"),)))
    [remit] = remittances(sandbox, clock)
    # allowed 80 % = 40; no E/M so no copay; deductible 40 -> paid 0 but processed (CLP02 1).
    assert adjustments(remit) == [[("CO", "45", "10"), ("PR", "1", "40")]]
    assert remit.claims[0].status_code == "1"


def test_unknown_member_rejected_in_277ca(sandbox, clock):
    stranger = dataclasses.replace(claim().subscriber, member_id="NOBODY")
    submit(sandbox, claim(subscriber=stranger))
    ca = inbox(sandbox)["b1.837.277ca"]
    stc = find(ca, "STC")[-1]
    assert stc[1] == "A3:33:IL" and stc[3] == "U"
    assert find(ca, "QTY", "AA") == [["QTY", "AA", "1"]]
    assert remittances(sandbox, clock) == []


def test_inactive_coverage_denied_co27(sandbox, clock):
    old = dataclasses.replace(claim().subscriber, member_id="OLD1")
    submit(sandbox, claim(subscriber=old))
    [remit] = remittances(sandbox, clock)
    assert adjustments(remit) == [[("CO", "27", "125")]]
    assert remit.claims[0].status_code == "4" and remit.claims[0].paid == 0


def test_prior_auth_required(sandbox, clock):
    lines = (svc("99213", "125"), svc("70553", "900"))
    submit(sandbox, claim(lines=lines))
    submit(sandbox, claim(control_number="C2", lines=(svc("70553", "900", date(2026, 3, 3)),),
                          prior_authorization="AUTH1"), name="b2.837")  # fmt: skip
    by_claim = {c.control_number: c for r in remittances(sandbox, clock) for c in r.claims}
    lines_1 = by_claim["CLM0001"].service_lines
    assert [(a.reason, a.amount) for a in lines_1[1].adjustments] == [("197", Decimal("900"))]
    assert lines_1[0].paid > 0
    assert "197" not in [a.reason for a in by_claim["C2"].service_lines[0].adjustments]


def test_duplicate_denied_co18_but_replacement_is_not(sandbox, clock):
    submit(sandbox, claim())
    submit(sandbox, claim(control_number="CLM0009"), name="b2.837")
    ca = inbox(sandbox)["b1.837.277ca"]
    number = find(ca, "REF", "1K")[0][2]
    by_claim = {c.control_number: c for r in remittances(sandbox, clock) for c in r.claims}
    assert [a.reason for a in by_claim["CLM0009"].service_lines[0].adjustments] == ["18"]
    replacement = claim(control_number="CLM0001R", frequency="7", payer_claim_number=number)
    submit(sandbox, replacement, name="b3.837")
    [remit] = remittances(sandbox, clock)
    assert [c.status_code for c in remit.claims] == ["22", "1"]
    assert remit.claims[0].paid == Decimal("-20")
    assert "18" not in [a.reason for a in remit.claims[1].service_lines[0].adjustments]
    assert remit.claims[1].paid == Decimal("20")  # the reversal gave the deductible back


def test_bundled_pair_denied_without_modifier(sandbox, clock):
    submit(sandbox, claim(lines=(svc("85025", "50"), svc("85027", "30"))))
    submit(sandbox, claim(control_number="C2", lines=(svc("85025", "50", date(2026, 3, 5)),
        svc("85027", "30", date(2026, 3, 5), modifiers=("59",)))), name="b2.837")  # fmt: skip
    by_claim = {c.control_number: c for r in remittances(sandbox, clock) for c in r.claims}
    assert [a.reason for a in by_claim["CLM0001"].service_lines[1].adjustments] == ["97"]
    assert "97" not in [a.reason for a in by_claim["C2"].service_lines[1].adjustments]


def test_timely_filing_co29(sandbox, clock):
    submit(sandbox, claim(lines=(svc("99213", "125", date(2025, 11, 1)),)))
    [remit] = remittances(sandbox, clock)
    assert adjustments(remit) == [[("CO", "29", "125")]]


def test_void_reverses_payment(sandbox, clock, tmp_path):
    submit(sandbox, claim())
    number = find(inbox(sandbox)["b1.837.277ca"], "REF", "1K")[0][2]
    remittances(sandbox, clock)
    submit(sandbox, claim(frequency="8", payer_claim_number=number), name="void.837")
    clock.advance(61)
    text = inbox(sandbox)["void.837.ACME1.835"]
    assert pyx12_errors(text, tmp_path) == []
    [remit] = parse_835(text)
    assert check_balance(remit) == []
    assert remit.claims[0].is_reversal and remit.claims[0].paid == Decimal("-20")
    assert remit.payment_amount == 0 and remit.provider_adjustments[0].reason == "FB"
    # A second void of the same claim names nothing left to void.
    submit(sandbox, claim(frequency="8", payer_claim_number=number), name="void2.837")
    assert find(inbox(sandbox)["void2.837.277ca"], "STC")[-1][1] == "A3:35"


def test_malformed_file_rejected_with_999_only(sandbox, clock, tmp_path):
    bad = write_837p(batch(claim())).replace(f"MI*{MEMBER}", "MI*")
    sandbox.submit(OutboundFile("bad.837", bad.encode()))
    clock.advance(120)
    files = inbox(sandbox)
    assert list(files) == ["bad.837.999"]
    ack = files["bad.837.999"]
    assert pyx12_errors(ack, tmp_path) == []
    [ik3] = find(ack, "IK3")
    assert ik3[1] == "CLM" and ik3[4] == "8"
    assert find(ack, "IK5") == [["IK5", "R", "5"]]
    assert find(ack, "AK9") == [["AK9", "R", "1", "1", "0"]]


def test_bad_segment_count_rejected(sandbox, tmp_path):
    bad = write_837p(batch(claim())).replace("\nSE*", "\nSE*9", 1)
    receipt = sandbox.submit(OutboundFile("bad.837", bad.encode()))
    assert receipt.details["accepted"] == "false"
    ack = inbox(sandbox)["bad.837.999"]
    assert find(ack, "IK5") == [["IK5", "R", "4"]]
    assert pyx12_errors(ack, tmp_path) == []


def _with_element(text: str, segment_id: str, position: int, value: str) -> str:
    """The 837 with element `position` of the first `segment_id` segment replaced by `value`."""
    parts = text.split("~")
    for number, part in enumerate(parts):
        elements = part.strip().split("*")
        if elements[0] == segment_id:
            elements[position] = value
            parts[number] = part[: len(part) - len(part.lstrip())] + "*".join(elements)
            break
    return "~".join(parts)


@pytest.mark.parametrize(
    ("segment_id", "position", "value", "message"),
    [
        ("CLM", 2, "NaN", "CLM02 is not a number: 'NaN'"),
        ("CLM", 2, "Infinity", "CLM02 is not a number: 'Infinity'"),
        ("CLM", 2, "-inf", "CLM02 is not a number: '-inf'"),
        ("CLM", 2, "\u0661\u0660\u0660", "CLM02 is not a number: '\u0661\u0660\u0660'"),
        ("SV1", 2, "sNaN", "SV102 is not a number: 'sNaN'"),
        ("SV1", 2, "\u0661\u0660\u0660", "SV102 is not a number: '\u0661\u0660\u0660'"),
        ("SV1", 4, "NaN", "SV104 is not a number: 'NaN'"),
        ("SV1", 2, "1e5", "SV102 is not a number: '1e5'"),
        ("SV1", 2, "1" * 19, "SV102 is not a number"),
        ("DTP", 3, "\u0662\u0660\u0662\u0666\u0660\u0663\u0660\u0661", "DTP03 is not a date"),
    ],
)
def test_unusable_amounts_and_dates_are_rejected_with_a_999(
    sandbox, clock, tmp_path, segment_id, position, value, message
):
    text = write_837p(batch(claim()))
    bad = _with_element(text, segment_id, position, value)
    assert bad != text
    receipt = sandbox.submit(OutboundFile("bad.837", bad.encode()))
    assert receipt.details["accepted"] == "false"
    assert message in receipt.details["error"]
    clock.advance(120)
    files = inbox(sandbox)
    assert list(files) == ["bad.837.999"]  # no 277CA, no 835: nothing was adjudicated
    ack = files["bad.837.999"]
    assert pyx12_errors(ack, tmp_path) == []
    [ik3] = find(ack, "IK3")
    assert ik3[1] == segment_id and ik3[4] == "8"
    assert find(ack, "IK5") == [["IK5", "R", "5"]]


def test_resubmitting_same_name_is_idempotent(sandbox, clock):
    first = submit(sandbox, claim())
    again = submit(sandbox, claim())
    assert again.reference == first.reference and again.details == {"duplicate": "true"}
    clock.advance(61)
    assert sorted(inbox(sandbox)) == ["b1.837.277ca", "b1.837.999", "b1.837.ACME1.835"]


def test_fetch_reads_only_the_head_of_an_inbox_file_over_the_limit(sandbox, tmp_path, settings):
    submit(sandbox, claim())
    ack = tmp_path / "inbox" / "b1.837.999"
    ack.write_bytes(ack.read_bytes() + b" " * 200_000)
    settings.RCM_INBOUND_MAX_BYTES = 100_000

    files = {f.name: f for f in sandbox.fetch()}

    size = ack.stat().st_size
    assert (len(files["b1.837.999"].content), files["b1.837.999"].size) == (65_536, size)
    assert files["b1.837.277ca"].size is None


def test_acknowledge_moves_to_archive(sandbox, tmp_path):
    submit(sandbox, claim())
    sandbox.acknowledge(["b1.837.999", "not-there"])
    assert list(inbox(sandbox)) == ["b1.837.277ca"]
    assert (tmp_path / "archive" / "b1.837.999").exists()
    received = sandbox.fetch()[0].received_at
    assert received == START and received.tzinfo is not None


def request(set_id: str, *body: tuple[str, ...]) -> bytes:
    when = START
    w = SegmentWriter()
    w.begin_interchange(InterchangeHeader("CLINIC01", "SANDBOX", 7, when))
    version = "005010X279A1" if set_id == "270" else "005010X212"
    w.begin_group(FunctionalGroup("CLINIC01", "SANDBOX", 7, when, "HS", version))
    w.begin_transaction(set_id, 1, version)
    for segment in body:
        w.add(*segment)
    w.end_transaction()
    w.end_group()
    w.end_interchange()
    return w.text().encode()


def request_270(member_id: str, when: date = DOS) -> bytes:
    return request(
        "270",
        ("BHT", "0022", "13", "REQ1", "20260314", "1000"),
        ("HL", "1", "", "20", "1"),
        ("NM1", "PR", "2", "ACME HEALTH PLAN", "", "", "", "", "PI", PAYER),
        ("HL", "2", "1", "21", "1"),
        ("NM1", "1P", "2", "TEST CLINIC", "", "", "", "", "XX", "1234567893"),
        ("HL", "3", "2", "22", "0"),
        ("TRN", "1", "TRACE1", "9CLINIC001"),
        ("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", member_id),
        ("DTP", "291", "D8", when.strftime("%Y%m%d")),
        ("EQ", "30"),
    )


def test_eligibility_active(sandbox, clock):
    text = sandbox.eligibility(request_270(MEMBER)).decode()
    assert find(text, "EB", "1") == [["EB", "1", "IND", "30", "", "GOLD PPO"]]
    assert find(text, "EB", "B") == [["EB", "B", "IND", "30^98", "", "", "27", "25"]]
    assert find(text, "EB", "A") == [["EB", "A", "IND", "30^98", "", "", "27", "", "0.2"]]
    deductible = {s[6]: s[7] for s in find(text, "EB", "C")}
    assert deductible == {"23": "500", "29": "50"}
    assert find(text, "TRN") == [["TRN", "2", "TRACE1", "9CLINIC001"]]
    submit(sandbox, claim())  # consumes the remaining 50 of deductible
    text = sandbox.eligibility(request_270(MEMBER)).decode()
    assert {s[6]: s[7] for s in find(text, "EB", "C")}["29"] == "0"
    assert {s[6]: s[7] for s in find(text, "EB", "G")} == {"23": "3000", "29": "2420"}


def test_eligibility_inactive_and_unknown(sandbox):
    text = sandbox.eligibility(request_270("OLD1")).decode()
    assert find(text, "EB") == [["EB", "6", "IND", "30", "", "GOLD PPO"]]
    text = sandbox.eligibility(request_270("NOBODY")).decode()
    assert find(text, "AAA") == [["AAA", "N", "", "75", "C"]] and not find(text, "EB")


def request_276(*claims: tuple[str, str]) -> bytes:
    body: list[tuple[str, ...]] = [
        ("BHT", "0010", "13", "REQ2", "20260314", "1000"),
        ("HL", "1", "", "20", "1"),
        ("NM1", "PR", "2", "ACME HEALTH PLAN", "", "", "", "", "PI", PAYER),
        ("HL", "2", "1", "21", "1"),
        ("NM1", "41", "2", "TEST CLINIC", "", "", "", "", "46", "CLINIC01"),
        ("HL", "3", "2", "19", "1"),
        ("NM1", "1P", "2", "TEST CLINIC", "", "", "", "", "XX", "1234567893"),
    ]
    for number, (member_id, control) in enumerate(claims, start=4):
        body += [
            ("HL", str(number), "3", "22", "0"),
            ("NM1", "IL", "1", "DOE", "JANE", "", "", "", "MI", member_id),
            ("TRN", "1", f"T{number}"),
            ("REF", "EJ", control),
            ("AMT", "T3", "125"),
            ("DTP", "472", "RD8", "20260301-20260301"),
        ]
    return request("276", *body)


def test_claim_status(sandbox, clock):
    submit(sandbox, claim())
    old = dataclasses.replace(claim().subscriber, member_id="OLD1")
    submit(sandbox, claim(control_number="DENY1", subscriber=old), name="b2.837")
    asked = request_276((MEMBER, "CLM0001"), ("OLD1", "DENY1"), (MEMBER, "NOPE"))
    stc = [s[1] for s in find(sandbox.claim_status(asked).decode(), "STC")]
    assert stc == ["P1:20", "P1:20", "A4:35"]
    clock.advance(61)
    text = sandbox.claim_status(asked).decode()
    stcs = find(text, "STC")
    assert [s[1] for s in stcs] == ["F1:65", "F2:1", "A4:35"]
    assert stcs[0][4:9] == ["125", "20", "20260314", "", "20260314"]
    assert stcs[0][9].startswith("SBX")
    assert find(text, "REF", "EJ")[0] == ["REF", "EJ", "CLM0001"]


def test_two_transports_share_state(tmp_path, clock):
    a = SandboxTransport(tmp_path, 0, make_roster(), clock)
    b = SandboxTransport(tmp_path, 0, make_roster(), clock)
    errors: list[BaseException] = []

    def work(t: SandboxTransport, n: int) -> None:
        try:
            one = claim(control_number=f"C{n}", lines=(svc("99213", "125", DOS + timedelta(n)),))
            submit(t, one, name=f"f{n}.837")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(a if n % 2 else b, n)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    files = inbox(a)
    assert len(files) == 30 and files == inbox(b)
    numbers = [find(text, "REF", "1K")[0][2] for n, text in files.items() if n.endswith("277ca")]
    assert len(set(numbers)) == 10
    controls = [find(text, "ST")[0][2] for text in files.values()]
    assert len(set(controls)) == 30
    # Deductible (50) was consumed once in total, not once per process.
    deductibles = [
        a_.amount
        for text in (t for n, t in files.items() if n.endswith(".835"))
        for a_ in parse_835(text)[0].claims[0].service_lines[0].adjustments
        if a_.reason == "1"
    ]
    assert sum(deductibles) == Decimal("50")


def test_registered_as_sandbox(tmp_path):
    config = {"base_dir": str(tmp_path), "remit_delay_seconds": 5, "roster": make_roster()}
    transport = gateway.get_transport("sandbox", config)
    assert isinstance(transport, SandboxTransport) and isinstance(transport, gateway.Transport)
    assert "sandbox" in gateway.transport_names()
    assert isinstance(create_transport(config), SandboxTransport)
    assert transport.remit_delay == timedelta(seconds=5)


def test_not_x12_at_all_still_gets_a_999(sandbox):
    receipt = sandbox.submit(OutboundFile("junk.837", b"hello, payer"))
    assert receipt.details["accepted"] == "false"
    ack = inbox(sandbox)["junk.837.999"]
    assert find(ack, "AK9") == [["AK9", "R", "0", "0", "0"]]

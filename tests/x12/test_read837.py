"""Reading 837P files: what our writer writes reads back equal; other senders' files read or
are refused naming the segment and line; hostile files never crash the reader."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from rcm.x12.base import Delimiters, X12Error
from rcm.x12.claim837 import (
    Adjustment,
    Claim,
    LineAdjudication,
    OtherCoverage,
    Patient,
    ServiceFacility,
    write_837p,
)
from rcm.x12.read837 import read_837p
from tests.x12.corpus import CORPUS
from tests.x12.test_claim837 import (
    ADDRESS,
    HOME,
    PAYER,
    SECONDARY_PAYER,
    SUBSCRIBER,
    batch,
    claim,
    fake_npi,
    line,
)


def _compact(c: Claim) -> Claim:
    """Our writer sends diagnosis codes without their dot."""
    return dataclasses.replace(c, diagnoses=tuple(d.replace(".", "") for d in c.diagnoses))


def _every_kind_of_claim() -> tuple[Claim, ...]:
    adjudication = LineAdjudication(
        Decimal("80"), date(2026, 3, 10), (Adjustment("CO", "45", Decimal("20")),),
        paid_units=Decimal("2"),
    )  # fmt: skip
    return (
        claim(),
        claim(
            control_number="CLM0002",
            patient=Patient("DOE", "JIMMY", date(2015, 7, 4), "M", HOME, relationship="19"),
            diagnoses=("J06.9", "R05.9"),
            prior_authorization="AUTH555",
            note="SEE ATTACHED",
            service_facility=ServiceFacility("NORTH CLINIC", ADDRESS, fake_npi("555555555")),
            lines=(
                line(diagnosis_pointers=(1, 2), modifiers=("25",), line_control_number="A1"),
                line("85025", "19.5", units=Decimal("3"), diagnosis_pointers=(2,)),
            ),
        ),
        claim(
            control_number="CLM0003",
            payer=SECONDARY_PAYER,
            responsibility="S",
            other_coverage=OtherCoverage(
                # 2330A carries no DMG: the other payer's subscriber has no birth date on the wire
                payer=PAYER,
                subscriber=dataclasses.replace(SUBSCRIBER, birth_date=None, gender="U"),
                paid_amount=Decimal("80"),
                adjustments=(Adjustment("PR", "2", Decimal("25")),),
            ),
            lines=(line(units=Decimal("3"), adjudication=adjudication, line_control_number="L9"),),
        ),
        claim(control_number="CLM0004", frequency="7", payer_claim_number="ICN777"),
    )


@pytest.mark.parametrize(
    "delimiters",
    [Delimiters(), Delimiters(element="|", component=">", repetition="^", segment="\n")],
    ids=["default", "pipes-and-newlines"],
)
def test_what_we_write_reads_back_equal(delimiters):
    written = batch(*_every_kind_of_claim())
    text = write_837p(written, delimiters)

    (transaction,) = read_837p(text)

    assert transaction.billing_providers == (written.billing_provider,)
    assert tuple(read.claim for read in transaction.claims) == tuple(
        _compact(c) for c in written.claims
    )
    assert transaction.submitter == written.submitter
    assert transaction.receiver == written.receiver
    assert [read.stated_total for read in transaction.claims] == [
        c.total_charge for c in written.claims
    ]
    assert all(read.defects == () for read in transaction.claims)


@pytest.mark.parametrize("ending", ["\r\n", "\r", ""], ids=["crlf", "cr", "one-line"])
def test_line_endings_do_not_matter(ending):
    text = write_837p(batch(claim())).replace("\n", ending)

    (transaction,) = read_837p(text.encode())

    assert transaction.claims[0].claim == _compact(claim())


def _two_billing_providers_two_transactions() -> str:
    """Two ST in one GS; the second has two billing providers (HL 20), each with a claim."""
    first = write_837p(batch(claim()))
    second_provider = dataclasses.replace(
        batch(claim()).billing_provider, npi=fake_npi("111111111"), name="OTHER CLINIC"
    )
    second = write_837p(batch(claim(control_number="CLM0009"), billing_provider=second_provider))
    st_first = first[first.index("\nST*") + 1 : first.index("\nGE*") + 1]
    body = second[second.index("\nBHT*") + 1 : second.index("\nSE*") + 1]
    # A second HL 20 (renumbered) with its own subscriber and claim, appended to the second ST.
    first_body = first[first.index("\nBHT*") + 1 : first.index("\nSE*") + 1]
    extra = first_body[first_body.index("HL*1*") :].replace("HL*1**20*1", "HL*3**20*1")
    extra = extra.replace("HL*2*1*22*0", "HL*4*3*22*0").replace("CLM0001", "CLM0010")
    st_second = "ST*837*0002*005010X222A1~\n" + body + extra
    count = st_second.count("~") + 1  # and the SE itself
    st_second += f"SE*{count}*0002~\n"
    header = first[: first.index("\nST*") + 1]
    return header + st_first + st_second + "GE*2*77~\nIEA*1*000000905~\n"


def test_several_transactions_and_billing_providers():
    transactions = read_837p(_two_billing_providers_two_transactions())

    assert [[r.claim.control_number for r in t.claims] for t in transactions] == [
        ["CLM0001"],
        ["CLM0009", "CLM0010"],
    ]
    assert len(transactions[1].billing_providers) == 2
    assert transactions[1].claims[1].billing_provider.npi == fake_npi("987654321")


def test_a_line_without_its_date_is_a_defect_not_a_crash():
    text = write_837p(batch(claim()))
    text = text.replace("DTP*472*D8*20260301~\n", "")
    text = _recount(text)

    (transaction,) = read_837p(text)

    assert transaction.claims[0].defects == ("Line 1 has no service date (DTP*472).",)


def _recount(text: str) -> str:
    """Fix SE01 after a test removed segments."""
    start, end = text.index("\nST*"), text.index("\nSE*") + 1
    count = text[start:end].count("~") + 1
    se_end = text.index("~", end)
    control = text[end:se_end].split("*")[2]
    return text[:end] + f"SE*{count}*{control}" + text[se_end:]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t[: len(t) // 2], "truncated"),
        (lambda t: t.replace("CLM*CLM0001", "CLM*CLM\x000001"), "control character"),
        (lambda t: t.replace("\nSE*", "\nSE*999999999999999*", 1), "SE01"),
        (lambda t: t.replace("SV1*HC:99213*125", "SV1*HC:99213*1e999"), "not a number"),
        (lambda t: t.replace("005010X222A1", "005010X223A2"), "institutional"),
        (lambda t: t.replace("ST*837", "ST*835"), "not an 837"),
        (lambda t: t.replace("HL*1**20*1", "HL*1**99*1"), "HL03"),
        (lambda t: "GARBAGE" + t, "does not start with ISA"),
    ],
    ids=["truncated", "nul", "huge-count", "number", "837I", "835", "hl-level", "no-isa"],
)
def test_hostile_files_are_refused_with_their_place(mutate, message):
    text = mutate(write_837p(batch(claim())))

    with pytest.raises(X12Error, match=message) as error:
        read_837p(text)

    assert error.value.line is not None or error.value.segment_id is not None


def test_a_claim_before_any_subscriber_is_refused():
    text = write_837p(batch(claim()))
    text = _recount(text.replace("HL*2*1*22*0~\n", ""))

    with pytest.raises(X12Error, match="CLM before any subscriber"):
        read_837p(text)


CORPUS_837 = sorted((CORPUS / "837P").glob("**/*")) if (CORPUS / "837P").is_dir() else []


@pytest.mark.skipif(not CORPUS_837, reason="the shared X12 corpus is not beside the checkout")
@pytest.mark.parametrize("path", [p for p in CORPUS_837 if p.is_file()], ids=lambda p: p.name)
def test_corpus_files_read_or_are_refused_with_their_place(path):
    try:
        transactions = read_837p(path.read_bytes())
    except X12Error as error:
        assert error.line is not None or error.segment_id is not None, str(error)
        return
    claims = [read for t in transactions for read in t.claims]
    assert claims, "a readable 837P holds claims"
    for read in claims:
        assert read.claim.control_number
        assert read.line >= 1


@pytest.mark.skipif(not CORPUS_837, reason="the shared X12 corpus is not beside the checkout")
def test_a_corpus_claim_reads_as_the_guide_example_says():
    path = CORPUS / "837P" / "LinuxForHealth_x12__demo.cob.example3.A.837"
    if not path.exists():
        pytest.skip("sample not in this corpus")
    (transaction,) = read_837p(path.read_bytes())
    (read,) = transaction.claims
    c = read.claim
    assert (c.control_number, read.stated_total, c.place_of_service) == (
        "26407789",
        Decimal("79.04"),
        "11",
    )
    assert c.diagnoses == ("4779", "2724", "2780", "53081")
    assert read.diagnosis_code_system == "ICD9"
    assert c.patient is not None and c.patient.first_name == "TED"
    assert c.rendering_provider is not None and c.rendering_provider.taxonomy == "204C00000X"
    assert c.other_coverage is not None and c.other_coverage.responsibility == "S"
    assert read.billing_provider.npi == "1999996666"


def test_a_date_that_is_not_one_is_a_defect_of_its_claim():
    text = write_837p(batch(claim()))
    text = text.replace("DTP*472*D8*20260301", "DTP*472*D8*20261399")
    text = text.replace("DMG*D8*19800501", "DMG*D8*19800230")

    (transaction,) = read_837p(text)

    (read,) = transaction.claims
    assert read.claim.subscriber.birth_date is None
    assert [d.split(" (")[0] for d in read.defects] == [
        "The date of birth '19800230'",
        "The date '20261399'",
    ]


def test_data_with_other_delimiters_than_its_isa_declares_reads_without_a_crash():
    """A sender that declares ':' in ISA16 but writes '>' (seen in public samples): the claim
    reads, and its place of service shows what arrived, for the scrubber to report."""
    text = write_837p(batch(claim())).replace("11:B:1", "11>B>1")

    (transaction,) = read_837p(text)

    assert transaction.claims[0].claim.place_of_service == "11>B>1"


def _tertiary_text() -> str:
    """A claim to a third payer: two 2320 loops, the primary's (ACME1, paid 80, adjudicated
    03/10) and the secondary's (FAKE2, paid 20, 2330B DTP*573 03/20, no 2330B date on the first)."""
    from tests.x12.test_claim837 import secondary_claim

    text = write_837p(batch(dataclasses.replace(secondary_claim(), responsibility="T")))
    first = text[text.index("SBR*P*18*GRP77") : text.index("LX*1~")]
    second = (
        first.replace("SBR*P*", "SBR*S*")
        .replace("AMT*D*80", "AMT*D*20")
        .replace("PI*ACME1~\n", "PI*FAKE3~\nDTP*573*D8*20260320~\n")
        .replace("ACME HEALTH PLAN", "THIRD PLAN")
    )
    return _recount(text.replace(first, first + second))


def test_every_other_payer_is_read_with_its_paid_amount_and_adjudication_date():
    (transaction,) = read_837p(_tertiary_text())

    (read,) = transaction.claims
    primary, secondary = read.other_payers
    assert (primary.coverage.payer.payer_id, primary.coverage.responsibility) == ("ACME1", "P")
    assert (primary.paid_sent, primary.coverage.paid_amount, primary.adjudicated_on) == (
        True,
        Decimal("80"),
        None,
    )
    assert (secondary.coverage.payer.payer_id, secondary.coverage.responsibility) == ("FAKE3", "S")
    assert (secondary.paid_sent, secondary.coverage.paid_amount) == (True, Decimal("20"))
    assert secondary.adjudicated_on == date(2026, 3, 20)  # 2330B DTP*573
    assert read.claim.other_coverage == primary.coverage  # the dataclass keeps the first
    assert read.defects == ()


def test_an_other_payer_without_amt_d_has_not_decided_the_claim():
    from tests.x12.test_claim837 import secondary_claim

    text = _recount(write_837p(batch(secondary_claim())).replace("AMT*D*80~\n", ""))

    (transaction,) = read_837p(text)

    (other,) = transaction.claims[0].other_payers
    assert (other.paid_sent, other.coverage.paid_amount) == (False, Decimal(0))


def test_an_other_payers_adjudication_date_that_is_not_one_is_a_defect():
    text = _tertiary_text().replace("DTP*573*D8*20260320", "DTP*573*D8*20261340")

    (transaction,) = read_837p(text)

    (read,) = transaction.claims
    assert read.other_payers[1].adjudicated_on is None
    assert read.defects == (
        "The date '20261340' (DTP*573, line "
        + read.defects[0].split("line ")[1].split(")")[0]
        + ") is not a date: correct it.",
    )

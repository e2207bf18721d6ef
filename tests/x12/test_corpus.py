"""Every public sample in the shared corpus: parsed to the recorded count, or refused by name.

Each file in the corpus (../shared/x12-corpus, see its SOURCES.md) has its expected outcome in
EXPECTED; a file without one fails, so a new sample cannot pass whatever it does. 270, 276 and
837P files are what we send, so only the envelope reader reads them here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error
from rcm.x12.claimack277 import parse_277ca
from rcm.x12.eligibility import parse_271
from rcm.x12.era835 import parse_835
from rcm.x12.reader import Interchange, read_interchanges
from rcm.x12.status import parse_277
from tests.x12.corpus import CORPUS


def _summary_999(acks: list[Any]) -> str:
    return f"{len(acks)} acks, {sum(len(a.transactions) for a in acks)} AK2"


def _summary_277ca(claims: list[Any]) -> str:
    accepted = sum(c.accepted for c in claims)
    rejected = sum(c.rejected for c in claims)
    return f"{len(claims)} claims, {accepted} accepted, {rejected} rejected"


def _summary_277(claims: list[Any]) -> str:
    return f"{len(claims)} claims"


def _summary_271(responses: list[Any]) -> str:
    return f"{len(responses)} responses, {sum(r.active for r in responses)} active"


def _summary_835(remittances: list[Any]) -> str:
    claims = sum(len(r.claims) for r in remittances)
    return f"{len(remittances)} remittances, {claims} claims"


def _summary_envelope(interchanges: list[Interchange]) -> str:
    types = sorted(
        {t.type for ic in interchanges for group in ic.groups for t in group.transactions}
    )
    count = sum(len(group.transactions) for ic in interchanges for group in ic.groups)
    return f"{len(interchanges)} interchanges, {count} transactions {'/'.join(types) or '-'}"


PARSERS: dict[str, tuple[Callable[[bytes], list[Any]], Callable[[list[Any]], str]]] = {
    "270": (read_interchanges, _summary_envelope),
    "276": (read_interchanges, _summary_envelope),
    "837P": (read_interchanges, _summary_envelope),
    # code lists (XML, CSV), not X12: the reader must refuse them by name
    "codes": (read_interchanges, _summary_envelope),
    "999": (parse_999, _summary_999),
    "277CA": (parse_277ca, _summary_277ca),
    "277": (parse_277, _summary_277),
    "271": (parse_271, _summary_271),
    "835": (parse_835, _summary_835),
}

# (folder, file) -> ("parse", summary) or ("refuse", fragment of the X12Error message).
EXPECTED: dict[tuple[str, str], tuple[str, str]] = {
    ("999", "Inteligenz_X12Parser__DHS_Wisconsin_Sample.txt"): ("parse", "1 acks, 3 AK2"),
    ("999", "azoner_pyx12__834_ls_le_ls_5010.999.txt"): ("parse", "1 acks, 1 AK2"),
    ("999", "azoner_pyx12__834_lui_id_5010.999.txt"): ("parse", "4 acks, 4 AK2"),
    ("999", "imsweb_x12-parser__x12_999_accepted.txt"): (
        "refuse",
        "IEA02 '000000001' does not match ISA13 '000000286'",
    ),
    ("999", "imsweb_x12-parser__x12_999_rejected.txt"): ("parse", "1 acks, 1 AK2"),
    ("277CA", "Inteligenz_X12Parser__277_Deidentified_from_nth.txt"): (
        "parse",
        "3 claims, 0 accepted, 0 rejected",
    ),
    ("277CA", "Inteligenz_X12Parser__FromAlexbrodsky.txt"): (
        "parse",
        "1 claims, 0 accepted, 1 rejected",
    ),
    ("277CA", "Inteligenz_X12Parser__FromBogeyone.txt"): (
        "refuse",
        "file ends inside transaction 0001: missing SE",
    ),
    ("277CA", "Inteligenz_X12Parser__FromLatitude81uk.txt"): (
        "refuse",
        "IEA02 '000000002' does not match ISA13 '43434343'",
    ),
    ("277CA", "imsweb_x12-parser__x12_277CA_accepted.txt"): (
        "parse",
        "1 claims, 1 accepted, 0 rejected",
    ),
    ("277CA", "imsweb_x12-parser__x12_277CA_rejected.txt"): (
        "parse",
        "1 claims, 0 accepted, 1 rejected",
    ),
    ("277", "LinuxForHealth_x12__claim-level-status-ncpdp.277"): ("parse", "1 claims"),
    ("277", "LinuxForHealth_x12__claim-level-status.277"): ("parse", "3 claims"),
    ("277", "LinuxForHealth_x12__information-receiver-level-status.277"): ("parse", "0 claims"),
    ("277", "LinuxForHealth_x12__provider-level-status.277"): ("parse", "1 claims"),
    ("277", "imsweb_x12-parser__x12_277_x212.txt"): (
        "refuse",
        "IEA02 '842928883' does not match ISA13 '000000001'",
    ),
    ("271", "Inteligenz_X12Parser__Example_3_1_2.txt"): ("parse", "1 responses, 1 active"),
    ("271", "Inteligenz_X12Parser__Example_3_1_3.txt"): ("parse", "1 responses, 0 active"),
    ("271", "Inteligenz_X12Parser__Example_3_2_2.txt"): ("parse", "1 responses, 1 active"),
    ("271", "Inteligenz_X12Parser__Example_ErrorWithoutBenefitInfo.txt"): (
        "parse",
        "1 responses, 0 active",
    ),
    ("271", "Inteligenz_X12Parser__From_georgiosd.txt"): ("parse", "1 responses, 0 active"),
    ("271", "LinuxForHealth_x12__dependent-health-benefit-check.271"): (
        "parse",
        "1 responses, 1 active",
    ),
    ("271", "LinuxForHealth_x12__subscriber-health-benefit-check-error.271"): (
        "refuse",
        "SE02 '4323' does not match ST02 '4321'",
    ),
    ("271", "LinuxForHealth_x12__subscriber-health-benefit-check.271"): (
        "parse",
        "1 responses, 1 active",
    ),
    ("271", "imsweb_x12-parser__x271.txt"): ("refuse", "SE01 says 22 segments, found 18"),
    ("835", "Inteligenz_X12Parser__835_WithMultipleInterchanges.txt"): (
        "parse",
        "3 remittances, 56 claims",
    ),
    ("835", "Inteligenz_X12Parser__Example1.txt"): ("refuse", "CLP03 is required and empty"),
    ("835", "Inteligenz_X12Parser__ExampleFromNth.txt"): ("parse", "3 remittances, 56 claims"),
    ("835", "LinuxForHealth_x12__cob-contractural-adjustment.835"): (
        "refuse",
        "SVC01 'HC>55669' is not qualifier:procedure code",
    ),
    ("835", "LinuxForHealth_x12__managed-care.835"): (
        "refuse",
        "BPR16 is not a date CCYYMMDD: '20002316'",
    ),
    ("835", "LinuxForHealth_x12__medicare-part-a.835"): ("parse", "1 remittances, 2 claims"),
    ("835", "LinuxForHealth_x12__secondary-payment.835"): (
        "refuse",
        "SVC01 'HC>12345>26' is not qualifier:procedure code",
    ),
    ("835", "LinuxForHealth_x12__tertiary-payment.835"): (
        "refuse",
        "SVC01 'HC' is not qualifier:procedure code",
    ),
    ("835", "azoner_pyx12__835_mult_loops.txt"): ("parse", "1 remittances, 1 claims"),
    ("835", "keironstoddart_edi-835-parser__blue_cross_nc_sample.txt"): (
        "refuse",
        "not an X12 interchange: the data does not start with ISA",
    ),
    ("835", "keironstoddart_edi-835-parser__emedny_sample.txt"): (
        "parse",
        "1 remittances, 3 claims",
    ),
    ("835", "keironstoddart_edi-835-parser__united_healthcare_legacy_sample.txt"): (
        "parse",
        "1 remittances, 2 claims",
    ),
    # what we send: only the envelope is read here
    ("270", "LinuxForHealth_x12__dependent-health-benefit-check.270"): (
        "parse",
        "1 interchanges, 1 transactions 270",
    ),
    ("270", "LinuxForHealth_x12__subscriber-health-benefit-check.270"): (
        "parse",
        "1 interchanges, 1 transactions 270",
    ),
    ("276", "LinuxForHealth_x12__claim-level-status.276"): (
        "parse",
        "1 interchanges, 1 transactions 276",
    ),
    ("276", "LinuxForHealth_x12__demo.276"): ("parse", "1 interchanges, 1 transactions 276"),
    ("276", "LinuxForHealth_x12__provider-level-status.276"): (
        "parse",
        "1 interchanges, 1 transactions 276",
    ),
    ("837P", "Inteligenz_X12Parser__Example1_2_And_3_Combined.txt"): (
        "parse",
        "1 interchanges, 2 transactions 837",
    ),
    ("837P", "Inteligenz_X12Parser__Example1_HealthInsurance.txt"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "Inteligenz_X12Parser__Example2_Encounter.txt"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "Inteligenz_X12Parser__Example3_COB.txt"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "Inteligenz_X12Parser__MedicaidExample.txt"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "Inteligenz_X12Parser__MissingEntityCode.txt"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "Inteligenz_X12Parser__ProfessionalClaim1.txt"): (
        "refuse",
        "SE01 says 42 segments, found 61",
    ),
    ("837P", "Inteligenz_X12Parser__ST1309-XX.txt"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.837"): ("parse", "1 interchanges, 1 transactions 837"),
    ("837P", "LinuxForHealth_x12__demo.ambulance.example5.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.autoaccident.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.cob.2ndary.example4.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.cob.example3.A.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.cob.example3.B.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.cob.example3.C.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.cob.example4.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.drug.example10.1.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.drug.example10.2.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.drug.example10.3.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.example1.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.example11.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.example12.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.example2.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.example7.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.example8.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "LinuxForHealth_x12__demo.example9.837"): (
        "parse",
        "1 interchanges, 1 transactions 837",
    ),
    ("837P", "UHIN_x12-parser-library__837.edi"): ("parse", "1 interchanges, 1 transactions 837"),
    ("837P", "imsweb_x12-parser__x12_complex.txt"): ("refuse", "SE01 says 25 segments, found 147"),
    ("837P", "imsweb_x12-parser__x12_many_claims.txt"): (
        "refuse",
        "SE01 says 25 segments, found 11486",
    ),
    ("837P", "imsweb_x12-parser__x12_multiple_gs.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P", "imsweb_x12-parser__x12_multiple_isa.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P", "imsweb_x12-parser__x12_multiple_st.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P", "imsweb_x12-parser__x12_multiple_transactions.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P", "imsweb_x12-parser__x12_no_errors.txt"): ("refuse", "SE01 says 25 segments, found 41"),
    ("837P", "imsweb_x12-parser__x12_valid.txt"): ("refuse", "SE01 says 25 segments, found 34"),
    ("837P", "imsweb_x12-parser__x12_valid_different_separators.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P", "imsweb_x12-parser__x12_writer_test.txt"): (
        "refuse",
        "SE01 says 25 segments, found 31",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_ambiguous_loop.txt"): (
        "refuse",
        "SE01 says 25 segments, found 33",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_bad_first_line.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_bad_segment_identifier.txt"): (
        "refuse",
        "bad segment id ''",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_bad_valid_code.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_loop_errors1_exceeds_max_1_parent.txt"): (
        "refuse",
        "SE01 says 25 segments, found 31",
    ),
    (
        "837P/negative",
        "imsweb_x12-parser__x12_loop_errors2_exceeds_max_repeats_multiple_parents.txt",
    ): ("refuse", "SE01 says 25 segments, found 50"),
    ("837P/negative", "imsweb_x12-parser__x12_loop_errors3_missing_loops.txt"): (
        "refuse",
        "SE01 says 25 segments, found 19",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_missing_elements.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_missing_required_loop_in_one_repeat.txt"): (
        "refuse",
        "SE01 says 25 segments, found 40",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_missing_required_loops_mult_repeats.txt"): (
        "refuse",
        "SE01 says 25 segments, found 59",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_no_isa_line.txt"): (
        "refuse",
        "not an X12 interchange: the data does not start with ISA",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_segment_errors.txt"): (
        "refuse",
        "SE01 says 25 segments, found 23",
    ),
    ("837P/negative", "imsweb_x12-parser__x12_segments_out_of_order.txt"): (
        "refuse",
        "SE01 says 25 segments, found 34",
    ),
    ("codes", "azoner_pyx12__codes.xml"): (
        "refuse",
        "not an X12 interchange: the data does not start with ISA",
    ),
    ("codes", "claim_adjustment_group_codes.csv"): (
        "refuse",
        "not an X12 interchange: the data does not start with ISA",
    ),
}


def _corpus_files() -> list[tuple[str, str]]:
    """(folder, name) of every file under the corpus, SOURCES.md aside; folder may be nested."""
    if not CORPUS.is_dir():
        return []
    return [
        (str(path.parent.relative_to(CORPUS)), path.name)
        for path in sorted(CORPUS.rglob("*"))
        if path.is_file() and path.parent != CORPUS
    ]


def _outcome(folder: str, name: str) -> tuple[str, str]:
    parse, summarize = PARSERS[folder.split("/")[0]]
    data = (CORPUS / folder / name).read_bytes()
    try:
        return ("parse", summarize(parse(data)))
    except X12Error as error:
        assert error.line is not None, f"a refusal must name the line: {error}"
        named = error.segment_id or error.segment_index or "ISA" in error.message
        assert named, f"a refusal must name the segment: {error}"
        return ("refuse", error.message)


@pytest.mark.parametrize(
    ("folder", "name"), _corpus_files() or [("(corpus missing)", "")], ids=lambda v: str(v)
)
def test_corpus_file(folder, name):
    if not CORPUS.is_dir():
        pytest.skip("x12 corpus folder is absent")
    assert folder.split("/")[0] in PARSERS, f"add a reader for the corpus folder {folder}"
    outcome = _outcome(folder, name)
    expected = EXPECTED.get((folder, name))
    if expected is None:
        pytest.fail(f"add an expectation for {folder}/{name}: it gives {outcome!r}")
    if expected[0] == "refuse":
        assert outcome[0] == "refuse", f"expected a refusal ({expected[1]}), got {outcome[1]}"
        assert expected[1] in outcome[1]
    else:
        assert outcome == expected


def test_every_expectation_has_a_file():
    if not CORPUS.is_dir():
        pytest.skip("x12 corpus folder is absent")
    assert set(EXPECTED) - set(_corpus_files()) == set()

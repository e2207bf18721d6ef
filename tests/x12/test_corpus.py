"""Every public sample in the shared corpus: parsed to the recorded count, or refused by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rcm.x12.ack999 import parse_999
from rcm.x12.base import X12Error
from rcm.x12.claimack277 import parse_277ca
from rcm.x12.eligibility import parse_271
from rcm.x12.era835 import parse_835
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


PARSERS: dict[str, tuple[Callable[[bytes], list[Any]], Callable[[list[Any]], str]]] = {
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
}


def _corpus_files() -> list[tuple[str, str]]:
    files: list[tuple[str, str]] = []
    for folder in PARSERS:
        path = CORPUS / folder
        if path.is_dir():
            files.extend((folder, p.name) for p in sorted(path.iterdir()) if p.is_file())
    return files


@pytest.mark.parametrize(
    ("folder", "name"), _corpus_files() or [("(corpus missing)", "")], ids=lambda v: str(v)
)
def test_corpus_file(folder, name):
    if not CORPUS.is_dir():
        pytest.skip("x12 corpus folder is absent")
    parse, summarize = PARSERS[folder]
    data = (CORPUS / folder / name).read_bytes()
    expected = EXPECTED.get((folder, name))
    try:
        result = parse(data)
    except X12Error as error:
        assert error.line is not None, "a refusal must name the line"
        assert error.segment_id or "ISA" in error.message, "a refusal must name the segment"
        if expected is not None:  # a new sample may do either, but a refusal must explain
            assert expected[0] == "refuse", f"expected to parse, refused: {error}"
            assert expected[1] in error.message
        return
    if expected is not None:
        assert expected == ("parse", summarize(result))


def test_every_expectation_has_a_file():
    if not CORPUS.is_dir():
        pytest.skip("x12 corpus folder is absent")
    assert set(EXPECTED) <= set(_corpus_files())

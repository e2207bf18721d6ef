"""claims.adjudication: the status each kind of 835 claim payment puts its claim in."""

from __future__ import annotations

import pytest

from claims.adjudication import adjustment_is_denial, claim_status_for
from claims.models import ClaimStatus
from rcm.x12.era835 import parse_835
from tests.denials.fixtures import interchange

S = ClaimStatus


def _clp(text: str):
    body = ["BPR*I*0*C*NON*CCP", "TRN*1*X*1", "LX*1", *text.split("\n")]
    [remittance] = parse_835(interchange(body))
    return remittance.claims[0]


@pytest.mark.parametrize(
    ("segments", "status"),
    [
        ("CLP*A*1*100*70\nSVC*HC:99213*100*70\nCAS*CO*45*10\nCAS*PR*1*20", S.PAID),
        ("CLP*A*1*100*0\nSVC*HC:99213*100*0\nCAS*PR*1*100", S.PAID),  # all deductible
        ("CLP*A*1*100*0\nSVC*HC:99213*100*0\nCAS*CO*50*100", S.DENIED),
        ("CLP*A*4*100*0\nCAS*CO*29*100", S.DENIED),
        ("CLP*A*1*100*0\nCAS*CO*29*100", S.DENIED),  # no lines: the claim-level denial
        ("CLP*A*1*100*60\nCAS*CO*16*40", S.PARTIALLY_PAID),
        (
            "CLP*A*1*150*60\nSVC*HC:99213*100*60\nCAS*CO*45*40\nSVC*HC:85025*50*0\nCAS*CO*97*50",
            S.PARTIALLY_PAID,
        ),
        ("CLP*A*22*-100*-70\nSVC*HC:99213*-100*-70\nCAS*CO*45*-30", S.REVERSED),
    ],
)
def test_claim_status_for_each_kind_of_payment(segments, status):
    assert claim_status_for(_clp(segments)) == status


@pytest.mark.parametrize(
    ("group", "reason", "denial"),
    [("CO", "45", False), ("PR", "1", False), ("PR", "96", False), ("CO", "97", True),
     ("OA", "23", True), ("PI", "45", True), ("CO", "16", True)],
)  # fmt: skip
def test_what_counts_as_a_denial(group, reason, denial):
    assert adjustment_is_denial(group=group, reason=reason) is denial

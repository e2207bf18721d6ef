"""Hostile values into the claim edit, replacement, split and void forms: a 4xx with a message
or a redirect, never a 500, and nothing written when refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.state import ClaimStatus
from tests.claims.correction_world import (  # noqa: F401 (fixtures)
    adjudicated_claim,
    code_sets,
    snapshot,
    two_line_claim,
)
from tests.web.test_fuzz_writes import HOSTILE_TEXT

FIELDS = [
    "dx", "place_of_service", "prior_authorization", "note", "line-count", "line-1-id",
    "line-1-code", "line-1-mod1", "line-1-mod4", "line-1-units", "line-1-ptr1", "line-1-ptr2",
    "line-1-charge", "line-1-date", "line-1-remove", "line-2-id", "line-2-code", "line-2-date",
    "line", "coverage", "reason",
]  # fmt: skip
PAYLOAD = st.dictionaries(st.sampled_from(FIELDS), HOSTILE_TEXT, min_size=1, max_size=12)
FUZZ = settings(max_examples=15, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))  # fmt: skip
PAGES = [("claim-edit", ClaimStatus.REJECTED), ("claim-correct", ClaimStatus.DENIED),
         ("claim-split", ClaimStatus.DRAFT), ("claim-split", ClaimStatus.DENIED),
         ("claim-void", ClaimStatus.PAID)]  # fmt: skip


@pytest.mark.usefixtures("code_sets")
@pytest.mark.parametrize(("name", "status"), PAGES, ids=[f"{n}-{s}" for n, s in PAGES])
def test_hostile_values_are_refused_whole(client, biller, practice_a, name, status):
    claim = adjudicated_claim(practice_a, status=status)
    client.force_login(biller)
    url = reverse(name, args=[claim.pk])

    @FUZZ
    @example(payload=dict.fromkeys(FIELDS, "9" * 25_000))
    @example(payload={"line-count": "3", "line-1-code": "99214", "line-1-charge": "\u0661"})
    @given(payload=PAYLOAD)
    def post(payload):
        before = snapshot(claim)
        response = client.post(url, payload)
        assert response.status_code < 500, response.content[:300]
        if response.status_code >= 400:
            assert response.content.strip(), "a refusal says why"
            assert snapshot(claim) == before, "a refused request wrote a row"

    post()

"""Building a batch costs the same number of queries for 3 claims as for 12: no per-claim query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimEvent
from claims.state import ClaimStatus
from claims.submission import batches_build, claims_submit_ready
from tests.claims.test_pipeline import ready_claim


def _queries_to_build(practice, biller, count: int) -> int:
    claims = [ready_claim(practice) for _ in range(count)]
    claims_submit_ready(practice_ids=[practice.pk], user=biller)
    with CaptureQueriesContext(connection) as queries:
        assert len(batches_build(practice_id=practice.pk)) == 1
    assert set(
        Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("status", flat=True)
    ) == {ClaimStatus.SUBMITTED}
    events = ClaimEvent.objects.filter(claim__in=claims, to_status=ClaimStatus.SUBMITTED)
    assert events.count() == count
    assert {e.note for e in events} == {events[0].note} and events[0].note.startswith("In batch ")
    assert {e.file_id for e in events} != {None}
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_batch_building_runs_a_fixed_number_of_queries(biller, practice_a, practice_b):
    from tests.conftest import _member

    few = _queries_to_build(practice_a, biller, 3)
    many = _queries_to_build(practice_b, _member(practice_b, "biller", "biller-b-2"), 12)

    assert few == many, f"3 claims took {few} queries, 12 took {many}"

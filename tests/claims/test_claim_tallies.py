"""The claim tallies the database keeps (ClaimTally) agree with the claims after every kind of
write: the state machine, the biller's bulk work, a bulk SQL update, deletes, and writers racing
a compaction."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims.models import Claim, ClaimStatus, ClaimTally
from claims.selectors import claim_tallies
from claims.state import claim_transition
from claims.tallies import claim_tallies_compact, claim_tallies_drift, claim_tallies_rebuild
from claims.work import claims_hold, claims_release
from tests.factories import ClaimFactory

S = ClaimStatus


def _claims(practice, count: int, **fields) -> list[Claim]:
    return [ClaimFactory(encounter__patient__practice=practice, **fields) for _ in range(count)]


def test_creating_moving_holding_and_deleting_claims_keeps_every_tally(practice_a, biller):
    drafts = _claims(practice_a, 3)
    _claims(practice_a, 2, status=S.DENIED, total_charge=Decimal("80.10"))
    assert claim_tallies(practice_ids=[practice_a.pk]) == {
        (S.DRAFT, False): (3, Decimal("375.00")),
        (S.DENIED, False): (2, Decimal("160.20")),
    }

    claim_transition(claim=drafts[0], to=S.READY, user=biller)
    claims_hold(claim_ids=[drafts[1].pk, drafts[2].pk], reason="Waiting on the chart", user=biller)
    claims_release(claim_ids=[drafts[2].pk], user=biller, note="")
    Claim.objects.filter(pk=drafts[2].pk).update(total_charge=Decimal("10.00"))
    Claim.objects.filter(status=S.DENIED).first().delete()

    assert claim_tallies(practice_ids=[practice_a.pk]) == {
        (S.READY, False): (1, Decimal("125.00")),
        (S.DRAFT, True): (1, Decimal("125.00")),
        (S.DRAFT, False): (1, Decimal("10.00")),
        (S.DENIED, False): (1, Decimal("80.10")),
    }
    assert claim_tallies_drift() == {}


def test_a_write_that_changes_no_total_adds_no_tally_row(practice_a, biller):
    claim = _claims(practice_a, 1)[0]
    rows = ClaimTally.objects.count()

    Claim.objects.filter(pk=claim.pk).update(assignee=biller, note="Call the payer")

    assert ClaimTally.objects.count() == rows


def test_compaction_folds_the_differences_into_one_row_per_key(practice_a, practice_b, biller):
    claims = _claims(practice_a, 4) + _claims(practice_b, 2)
    for claim in claims:
        claim_transition(claim=claim, to=S.READY, user=biller)
    before = claim_tallies(practice_ids=[practice_a.pk, practice_b.pk])

    rows_before, rows_after = claim_tallies_compact()

    # One READY row per practice and payer; the DRAFT rows net to nothing and go.
    assert rows_before > rows_after == len({(c.practice_id, c.payer_id) for c in claims})
    assert claim_tallies(practice_ids=[practice_a.pk, practice_b.pk]) == before
    assert claim_tallies(practice_ids=[practice_b.pk]) == {(S.READY, False): (2, Decimal("250"))}
    one = claims[0]
    assert claim_tallies(practice_ids=[practice_a.pk], payer_id=one.payer_id) == {
        (S.READY, False): (1, Decimal("125"))
    }


def test_check_names_a_tally_that_drifted_and_rebuild_repairs_it(practice_a, capsys):
    claims = _claims(practice_a, 2)
    call_command("claim_tallies", "--check")
    payer = claims[0].payer
    ClaimTally.objects.create(
        practice=practice_a, status=S.PAID, on_hold=False, payer=payer, claims=5,
        charges=Decimal("1"),
    )  # fmt: skip

    with pytest.raises(CommandError, match="1 tallies disagree"):
        call_command("claim_tallies", "--check")
    out = capsys.readouterr().out
    assert f"practice {practice_a.pk} paid on_hold=False payer {payer.pk}: tallied 5" in out

    assert claim_tallies_rebuild() == len({c.payer_id for c in claims})
    assert claim_tallies_drift() == {}
    call_command("claim_tallies", "--check")


@pytest.mark.django_db(transaction=True)
def test_writers_racing_a_compaction_lose_no_difference(practice_a, biller):
    claims = _claims(practice_a, 24)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def move(mine: list[Claim]) -> None:
        try:
            start.wait()
            for claim in mine:
                claim_transition(claim=claim, to=S.READY, user=biller)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    def compact() -> None:
        try:
            start.wait()
            for _ in range(10):
                claim_tallies_compact()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(claims[i::3],)) for i in range(3)]
    threads.append(threading.Thread(target=compact))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert claim_tallies_drift() == {}
    assert claim_tallies(practice_ids=[practice_a.pk]) == {(S.READY, False): (24, Decimal("3000"))}


def test_beat_folds_the_tallies_with_the_task_it_names(practice_a, biller):
    from django.conf import settings

    from claims.tasks import compact_claim_tallies_task

    for claim in _claims(practice_a, 3):
        claim_transition(claim=claim, to=S.READY, user=biller)
    entry = settings.CELERY_BEAT_SCHEDULE["compact-claim-tallies"]
    assert entry["task"] == compact_claim_tallies_task.name

    rows_left = compact_claim_tallies_task()

    assert rows_left == ClaimTally.objects.count() == 3  # one READY row per payer
    assert claim_tallies_drift() == {}

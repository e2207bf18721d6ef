"""Upkeep of the claim tallies the database keeps (ClaimTally): fold, check, rebuild.

The triggers of migration 0013 add a row of differences per statement that changes a total;
`claim_tallies_compact` (beat, every five minutes) folds them into one row per (practice,
status, on_hold) so that reading stays a scan of a few rows. `claim_tallies_drift` compares the
tallies with a full count of the claims (slow on a big table: for `manage.py claim_tallies
--check` and the tests), and `claim_tallies_rebuild` recounts them, blocking claim writes for
the moment it takes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction

COMPACT_LOCK = 0x7A11_0001  # pg_advisory_xact_lock key: one compaction at a time

_FOLD_SQL = """
WITH gone AS (
    DELETE FROM claims_claimtally RETURNING practice_id, status, on_hold, payer_id, claims, charges
)
INSERT INTO claims_claimtally (practice_id, status, on_hold, payer_id, claims, charges)
SELECT practice_id, status, on_hold, payer_id, sum(claims), sum(charges)
FROM gone GROUP BY practice_id, status, on_hold, payer_id
HAVING sum(claims) <> 0 OR sum(charges) <> 0
"""

_COUNT_SQL = """
SELECT practice_id, status, on_hold, payer_id, count(*), coalesce(sum(total_charge), 0)
FROM claims_claim GROUP BY practice_id, status, on_hold, payer_id
"""

# Both sides in one statement: one snapshot, even inside a caller's transaction.
_DRIFT_SQL = f"""
WITH tallied AS (
    SELECT practice_id, status, on_hold, payer_id, sum(claims) AS n, sum(charges) AS charges
    FROM claims_claimtally GROUP BY practice_id, status, on_hold, payer_id
), counted (practice_id, status, on_hold, payer_id, n, charges) AS ({_COUNT_SQL})
SELECT coalesce(t.practice_id, c.practice_id), coalesce(t.status, c.status),
       coalesce(t.on_hold, c.on_hold), coalesce(t.payer_id, c.payer_id),
       coalesce(t.n, 0), coalesce(t.charges, 0),
       coalesce(c.n, 0), coalesce(c.charges, 0)
FROM tallied t FULL JOIN counted c USING (practice_id, status, on_hold, payer_id)
WHERE coalesce(t.n, 0) <> coalesce(c.n, 0) OR coalesce(t.charges, 0) <> coalesce(c.charges, 0)
"""

Key = tuple[int, str, bool, int]  # practice, status, on hold, payer


def claim_tallies_compact() -> tuple[int, int]:
    """Fold the rows of differences into one row per key; (rows before, rows after).

    Rows a concurrent writer adds meanwhile are not in this statement's snapshot: they stay as
    they are, to be folded next time. Returns (0, 0) when another compaction holds the lock.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [COMPACT_LOCK])
        if not cursor.fetchone()[0]:
            return 0, 0
        cursor.execute("SELECT count(*) FROM claims_claimtally")
        before = int(cursor.fetchone()[0])
        cursor.execute(_FOLD_SQL)
        return before, cursor.rowcount


def claim_tallies_drift() -> dict[Key, tuple[tuple[int, Decimal], tuple[int, Decimal]]]:
    """{key: (tallied, counted)} for every key where the tallies and the claims disagree."""
    with connection.cursor() as cursor:
        cursor.execute(_DRIFT_SQL)
        return {
            (practice, status, on_hold, payer): ((int(n), Decimal(c)), (int(cn), Decimal(cc)))
            for practice, status, on_hold, payer, n, c, cn, cc in cursor.fetchall()
        }


def claim_tallies_rebuild() -> int:
    """Recount every tally from the claims; the number of rows written. Claim writes wait
    (SHARE lock) until it commits, so no change is counted twice or missed."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE claims_claim IN SHARE MODE")
        cursor.execute("DELETE FROM claims_claimtally")
        cursor.execute(
            "INSERT INTO claims_claimtally "
            "(practice_id, status, on_hold, payer_id, claims, charges) " + _COUNT_SQL
        )
        return cursor.rowcount

"""After a benchmark loads its rows: what autovacuum would have done by the time people search.

`ANALYZE` gives the planner the tables' statistics (without them it guesses, and may pick a
sequential scan over the index a query was written for), and `gin_clean_pending_list` moves the
rows bulk-inserted into each GIN index's pending list (which every trigram search scans linearly)
into the index proper, as autovacuum and autoanalyze do. Both need the tables' owner: benchmarks
connect as the owner (RCM_DATABASE_AS_OWNER), which changes no query plan, only who may ANALYZE.
Run inside the benchmark's own transaction, so that its uncommitted rows are counted.
"""

from __future__ import annotations

import os

# Before django.setup(): ANALYZE by any other role is skipped with only a warning.
os.environ.setdefault("RCM_DATABASE_AS_OWNER", "1")


def settle(*tables: str) -> None:
    from django.db import connection

    if os.environ.get("RCM_BENCH_SKIP_SETTLE"):  # to compare with the state right after loading
        return

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                "WHERE i.indrelid = %s::regclass AND am.amname = 'gin'",
                [table],
            )
            for (index,) in cursor.fetchall():
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f'ANALYZE "{table}"')

"""Who is acting, for the audit trigger: per-connection settings set per request or task."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection

_SET = (
    "SELECT set_config('rcm.actor_id', %s, false), set_config('rcm.client_ip', %s, false), "
    "set_config('rcm.via', %s, false)"
)


def audit_context_set(*, actor_id: int | None, client_ip: str | None, via: str) -> None:
    """Attribute every write on this connection, from now on, to `actor_id` via `via`."""
    with connection.cursor() as cursor:
        cursor.execute(_SET, [str(actor_id or ""), client_ip or "", via])


@contextlib.contextmanager
def audit_context(
    *, via: str, actor_id: int | None = None, client_ip: str | None = None
) -> Iterator[None]:
    """Attribute the writes inside the block; used by tasks and management commands."""
    audit_context_set(actor_id=actor_id, client_ip=client_ip, via=via)
    try:
        yield
    finally:
        if connection.connection is not None and not connection.needs_rollback:
            audit_context_set(actor_id=None, client_ip=None, via="")

"""Which clearinghouse transport a practice's files go through, built from its connection."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.module_loading import import_string

from rcm.clearinghouse.gateway import Transport, TransportError, get_transport
from rcm.practice.models import ClearinghouseConnection

if TYPE_CHECKING:
    from rcm.clearinghouse.sandbox.adjudication import Roster

SANDBOX = "sandbox"


def connection_for(*, practice_id: int, payer_id: int | None) -> ClearinghouseConnection | None:
    """The payer-specific connection of the practice, else its default, else None (sandbox)."""
    return connections_of(practice_ids=[practice_id])(practice_id, payer_id)


def connections_of(
    *, practice_ids: Iterable[int]
) -> Callable[[int, int | None], ClearinghouseConnection | None]:
    """`connection_for` for many claims at once: one query for every connection of these
    practices, then a look-up per (practice id, payer id)."""
    found: dict[tuple[int, int | None], ClearinghouseConnection] = {
        (c.practice_id, c.payer_id): c
        for c in ClearinghouseConnection.objects.filter(
            practice_id__in=list(practice_ids), is_active=True
        )
    }

    def lookup(practice_id: int, payer_id: int | None) -> ClearinghouseConnection | None:
        return found.get((practice_id, payer_id)) or found.get((practice_id, None))

    return lookup


def _resolved(config: dict[str, Any]) -> dict[str, Any]:
    """Config values written "env:NAME" come from the environment: secrets stay out of the DB."""
    resolved = {}
    for key, value in config.items():
        if isinstance(value, str) and value.startswith("env:"):
            name = value[4:]
            if name not in os.environ:
                raise TransportError(f"The clearinghouse setting {key} needs ${name}, not set.")
            value = os.environ[name]
        resolved[key] = value
    return resolved


def sandbox_roster() -> Roster:
    """The sandbox payer's member roster, named by settings.RCM_SANDBOX_ROSTER.

    The roster reads coverages, which live in an app above this layer: it is named by a
    setting and loaded by name, so nothing here imports upward.
    """
    roster: Roster = import_string(settings.RCM_SANDBOX_ROSTER)()
    return roster


def sandbox_config() -> dict[str, Any]:
    return {
        "base_dir": settings.RCM_SANDBOX_DIR,
        "remit_delay_seconds": settings.RCM_SANDBOX_REMIT_DELAY_SECONDS,
        "roster": sandbox_roster(),
    }


def transport_for(connection: ClearinghouseConnection | None) -> Transport:
    if connection is None or connection.transport == SANDBOX:
        return get_transport(SANDBOX, sandbox_config())
    return get_transport(connection.transport, _resolved(connection.config))

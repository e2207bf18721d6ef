"""The sandbox payer: an embedded transport that answers like a payer, named "sandbox"."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rcm.clearinghouse.sandbox.adjudication import InMemoryRoster, MemberFacts, Roster
from rcm.clearinghouse.sandbox.transport import SandboxTransport, utc_now


def create_transport(config: Mapping[str, Any]) -> SandboxTransport:
    """The factory: base_dir, remit_delay_seconds (default 0), roster, and optionally clock."""
    return SandboxTransport(
        Path(config["base_dir"]),
        float(config.get("remit_delay_seconds", 0)),
        config["roster"],
        config.get("clock") or utc_now,
    )


__all__ = ["InMemoryRoster", "MemberFacts", "Roster", "SandboxTransport", "create_transport"]

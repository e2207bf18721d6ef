"""The clearinghouse gateway: one protocol, several transports, chosen by configuration.

A transport moves X12 files; it knows nothing of our models. The app sends a batch (an 837P
interchange) with `submit`, later collects what came back (999, 277CA, 835 …) with `fetch` and,
once it has stored those files safely, calls `acknowledge` so they are not fetched again.
Real-time transactions (270 → 271, 276 → 277) are request and answer.

Fetching is at-least-once: a worker that dies after `fetch` and before `acknowledge` sees the
same files again, so the app must import idempotently (by checksum), which it does.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from django.conf import settings

MEGABYTE = 1024 * 1024
DEFAULT_INBOUND_MAX_BYTES = 20 * MEGABYTE
# What a transport keeps of a file over the limit: enough to see what it is (its ISA and the
# first segments), so that the quarantine can show it, never the whole of it.
INBOUND_HEAD_BYTES = 64 * 1024


def inbound_max_bytes() -> int:
    """The largest inbound file read and applied (`RCM_INBOUND_MAX_BYTES`, default 20 MB)."""
    return int(getattr(settings, "RCM_INBOUND_MAX_BYTES", DEFAULT_INBOUND_MAX_BYTES))


def inbound_too_large(size: int) -> str:
    """Why a file of `size` bytes over the limit is refused, in words."""
    limit = inbound_max_bytes()
    return (
        f"the file is {size / MEGABYTE:,.1f} MB ({size:,} bytes), over the "
        f"{limit / MEGABYTE:,.1f} MB limit for inbound files (RCM_INBOUND_MAX_BYTES)"
    )


class TransportError(Exception):
    """The transport could not do what was asked (server down, refused, timed out)."""


@dataclass(frozen=True)
class OutboundFile:
    """A file we send: its name (unique, chosen by the app) and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class InboundFile:
    """A file the clearinghouse left for us; `name` is unique within the transport."""

    name: str
    content: bytes
    received_at: datetime.datetime
    # Its size on the server when larger than `content`: a file over `inbound_max_bytes()` is
    # fetched as its first INBOUND_HEAD_BYTES only, and the inbox quarantines it by this size.
    size: int | None = None

    @property
    def full_size(self) -> int:
        return len(self.content) if self.size is None else max(self.size, len(self.content))


@dataclass(frozen=True)
class SubmitReceipt:
    """What the transport knows right after a submission."""

    reference: str
    submitted_at: datetime.datetime
    details: Mapping[str, str] = field(default_factory=dict)


@runtime_checkable
class Transport(Protocol):
    """What every transport does. Implementations: `sandbox` (default) and `sftp`."""

    name: str

    def submit(self, file: OutboundFile) -> SubmitReceipt: ...

    def fetch(self) -> list[InboundFile]: ...

    def acknowledge(self, names: list[str]) -> None: ...

    def eligibility(self, request_270: bytes) -> bytes: ...

    def claim_status(self, request_276: bytes) -> bytes: ...


TransportFactory = Callable[[Mapping[str, Any]], Transport]

# Every transport by name: "module:factory", imported only when asked for, so that this module
# stays free of their dependencies (paramiko for SFTP) and nothing registers itself on import.
TRANSPORTS: dict[str, str] = {
    "sandbox": "rcm.clearinghouse.sandbox:create_transport",
    "sftp": "rcm.clearinghouse.sftp:SftpTransport",
}


def transport_names() -> list[str]:
    return sorted(TRANSPORTS)


def transport_factory(name: str) -> TransportFactory:
    """The factory of the transport `name`; TransportError for a name no transport has."""
    try:
        module_name, _colon, attribute = TRANSPORTS[name].partition(":")
    except KeyError:
        known = ", ".join(transport_names()) or "none"
        raise TransportError(
            f"Unknown clearinghouse transport {name!r} (known: {known})."
        ) from None
    factory: TransportFactory = getattr(importlib.import_module(module_name), attribute)
    return factory


def get_transport(name: str, config: Mapping[str, Any]) -> Transport:
    """Build the transport `name` from its configuration (a mapping of plain values)."""
    return transport_factory(name)(config)

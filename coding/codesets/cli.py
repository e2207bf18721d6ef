"""What the code-set commands share: reading their options, loading, and the summary line."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from django.core.management.base import CommandError

from coding.codesets.loader import codeset_release_load
from coding.codesets.records import CodeRecord, CodeSetError, ReleaseSpec
from coding.selectors import release_get


def iso_date(value: str) -> date:
    """An argparse type: YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


def load_and_report(*, spec: ReleaseSpec, read: Callable[[], list[CodeRecord]]) -> str:
    """Load one release unless it is loaded already; the one-line summary of what happened.

    Reading waits until the release is known to be missing, so a second run costs one query.
    """
    label = f"{spec.system} {spec.version}"
    if release_get(system=spec.system, version=spec.version) is not None:
        return f"{label}: already loaded"
    started = time.monotonic()
    try:
        result = codeset_release_load(spec=spec, records=read())
    except CodeSetError as error:
        raise CommandError(f"{label}: {error} Nothing was written.") from error
    if not result.created:
        return f"{label}: already loaded"
    elapsed = time.monotonic() - started
    return f"{label}: {result.release.code_count:,} codes loaded ({elapsed:.1f} s)"

"""Writes one code-set release: every code in one transaction, or nothing at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from coding.codesets.records import (
    SHORT_DESCRIPTION_LENGTH,
    CodeRecord,
    CodeSetError,
    ReleaseSpec,
)
from coding.codesets.selectors import release_get
from coding.models import Code, CodeSetRelease, CodeSystem

BATCH_SIZE = 5000
CODE_LENGTH = 10


@dataclass(frozen=True)
class LoadResult:
    """The release asked for, and whether this call created it (False: it was already loaded)."""

    release: CodeSetRelease
    created: bool


def codeset_release_load(*, spec: ReleaseSpec, records: Iterable[CodeRecord]) -> LoadResult:
    """Load `records` as the release `spec`; a release already loaded is left as it is.

    Older releases of the system stay beside the new one. Codes are checked before anything is
    written, and written in one transaction, so a failure leaves no partial release.
    """
    existing = release_get(system=spec.system, version=spec.version)
    if existing is not None:
        return LoadResult(release=existing, created=False)
    _check_date_is_free(spec=spec)
    checked = _checked(spec=spec, records=records)
    try:
        with transaction.atomic():
            release = CodeSetRelease.objects.create(
                system=spec.system,
                version=spec.version,
                effective_date=spec.effective_date,
                source=spec.source[:200],
                code_count=len(checked),
            )
            Code.objects.bulk_create(
                (_code_row(release=release, record=record) for record in checked),
                batch_size=BATCH_SIZE,
            )
    except IntegrityError:
        # Another process loaded the same release first: that is the idempotent outcome too.
        raced = release_get(system=spec.system, version=spec.version)
        if raced is None:
            raise
        return LoadResult(release=raced, created=False)
    return LoadResult(release=release, created=True)


def _check_date_is_free(*, spec: ReleaseSpec) -> None:
    if spec.system not in CodeSystem.values:
        raise CodeSetError(f"Unknown code system {spec.system!r}.")
    other = CodeSetRelease.objects.filter(
        system=spec.system, effective_date=spec.effective_date
    ).first()
    if other is not None:
        raise CodeSetError(
            f"{spec.system}: release {other.version!r} already takes effect on "
            f"{spec.effective_date}; give {spec.version!r} another effective date."
        )


def _checked(*, spec: ReleaseSpec, records: Iterable[CodeRecord]) -> list[CodeRecord]:
    checked: list[CodeRecord] = []
    seen: set[str] = set()
    for record in records:
        if not record.compact or len(record.code) > CODE_LENGTH:
            raise CodeSetError(f"{spec.system}: {record.code!r} is not a code.")
        if not record.description.strip():
            raise CodeSetError(f"{spec.system}: {record.code} has no description.")
        if len(record.short_description) > SHORT_DESCRIPTION_LENGTH:
            raise CodeSetError(f"{spec.system}: {record.code} short description is too long.")
        if record.compact in seen:
            raise CodeSetError(f"{spec.system}: {record.code} appears twice.")
        seen.add(record.compact)
        checked.append(record)
    if not checked:
        raise CodeSetError(f"{spec.system} {spec.version}: no codes to load.")
    return checked


def _code_row(*, release: CodeSetRelease, record: CodeRecord) -> Code:
    return Code(
        release=release,
        system=release.system,
        code=record.code,
        compact=record.compact,
        description=record.description,
        short_description=record.short_description,
        billable=record.billable,
        parent=record.parent,
        notes=record.notes,
    )

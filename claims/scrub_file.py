"""Scrub the claims of an 837P from any system: the same edits as on our claims, file by file.

What only our database knows about a claim (its coverage's dates, the payer's filing limit and
rules, other claims in our books) is unknown for a file and left out; the code sets (ICD-10-CM
on the date of service, NCCI) still apply, and a claim repeated within the file is a duplicate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from claims.scrub_coding import coding_edits_on_claim, first_icd10_release
from claims.scrub_core import claim_edits, duplicate_key
from claims.scrub_types import ERROR, ScrubContext, ScrubEdit
from rcm.x12.read837 import ClaimRead, read_837p


@dataclass(frozen=True)
class FileFindings:
    """Each claim's findings by CLM01, in file order ([] for a clean claim)."""

    claims: dict[str, list[ScrubEdit]]


def _duplicates(claims: list[ClaimRead]) -> dict[int, tuple[str, ...]]:
    """For each repeat (by position in the file), the claim numbers it repeats."""
    seen: dict[tuple[object, ...], list[str]] = defaultdict(list)
    found: dict[int, tuple[str, ...]] = {}
    for index, read in enumerate(claims):
        if read.claim.frequency in ("7", "8"):
            continue
        key = duplicate_key(read.claim, read.billing_provider)
        if seen[key]:
            found[index] = tuple(seen[key])
        seen[key].append(read.claim.control_number)
    return found


def _context(read: ClaimRead, duplicates: tuple[str, ...]) -> ScrubContext:
    return ScrubContext(
        today=timezone.localdate(),
        stated_total=read.stated_total,
        duplicates=duplicates,
        attachments=read.attachments,
        line_authorizations=read.line_prior_authorizations,
        line_rendering_npis=read.line_rendering_npis,
        diagnosis_code_system=read.diagnosis_code_system,
        defects=read.defects,
    )


def _diagnosis_format(read: ClaimRead) -> list[ScrubEdit]:
    """HI carries codes without their dot (E119, not E11.9) and nothing but letters and digits."""
    return [
        ScrubEdit(
            edit="diagnosis.format",
            severity=ERROR,
            message=(
                f"Diagnosis {position} {code!r} is not sent as X12 requires: letters and digits "
                f"only, without the dot ({''.join(c for c in code if c.isalnum())!r})."
            ),
            target=f"diagnosis {position}",
        )
        for position, code in enumerate(read.claim.diagnoses, start=1)
        if not (code.isascii() and code.isalnum())
    ]


def _repeated_number(number: str, times: int) -> ScrubEdit:
    return ScrubEdit(
        edit="control_number.repeated",
        severity=ERROR,
        message=(
            f"Claim number {number!r} (CLM01) is used by {times} claims in this file: each claim "
            "needs its own patient control number, or the payer's answers cannot be matched."
        ),
    )


def scrub_837_data(data: bytes | str) -> FileFindings:
    """Every claim of every 837P transaction in `data`, scrubbed; X12Error when unreadable."""
    claims = [read for transaction in read_837p(data) for read in transaction.claims]
    duplicates = _duplicates(claims)
    earliest = first_icd10_release()
    findings: dict[str, list[ScrubEdit]] = {}
    counts: dict[str, int] = defaultdict(int)
    for index, read in enumerate(claims):
        context = _context(read, duplicates.get(index, ()))
        edits = [
            *_diagnosis_format(read),
            *claim_edits(read.claim, read.billing_provider, context),
            *coding_edits_on_claim(read.claim, context, earliest_release=earliest),
        ]
        number = read.claim.control_number
        counts[number] += 1
        findings.setdefault(number, []).extend(
            edit for edit in edits if edit not in findings.get(number, [])
        )
    for number, times in counts.items():
        if times > 1:
            findings[number].insert(0, _repeated_number(number, times))
    return FileFindings(claims=findings)

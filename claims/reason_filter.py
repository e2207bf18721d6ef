"""The queues' "reason" filter: what a biller types, as the claims that carry that reason.

A biller types a denial reason as the payer wrote it: a group and a CARC ("CO-16", "PR 1"), a
bare CARC ("197"), a RARC ("N290", "MA130"), a scrubber edit's id ("npi.billing.luhn"), or words
("authorization", "timely filing"). Words become the CARC and RARC codes whose description holds
them all (the code tables the claim page shows remittances in words with), and are also looked
for in the open scrubber edits' messages and in the timeline's notes.

Remittances live in `denials`, a layer above this one, so claims never imports them: `denials`
registers a source here when its app is ready (`reason_source_register`), and each source
answers with a subquery of claim ids. The filter is one `pk IN (… UNION ALL …)`, served by the
indexes each source names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from claims.models import ClaimEdit, ClaimEvent
from coding.models import Code, CodeSetRelease

REASON_FILTER_MAX_LENGTH = 80
REASON_FILTER_HELP = (
    "A CARC with its group (CO-16) or alone (197), a remark code (N290, M51), a scrubber edit "
    "(npi.billing.luhn), or words from the code's meaning or a note (authorization, timely "
    "filing)."
)
ADJUSTMENT_GROUPS = ("CO", "CR", "OA", "PI", "PR")
# A CARC (16, 197, A1, B7, P12) or a RARC (M51, MA130, N290). ASCII only: "١٦" is not a code.
CODE = re.compile(r"[A-Z]{0,2}[0-9]{1,4}", re.ASCII)
GROUP_AND_CODE = re.compile(rf"({'|'.join(ADJUSTMENT_GROUPS)})\s*-?\s*({CODE.pattern})", re.ASCII)
EDIT_ID = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+", re.ASCII)
# How billers say it, and how the code tables say it.
JARGON = {
    "timely filing": ("time limit for filing", "late filing"),
    "prior auth": ("authorization",),
}
MAX_WORD_CODES = 200
NOTE_MIN_LENGTH = WORDS_MIN_LENGTH = 3


@dataclass(frozen=True)
class ReasonQuery:
    """What the biller typed, read: the codes to look for and the text to look for."""

    text: str  # as typed, trimmed: for notes and edit messages
    group: str = ""  # "CO" when typed as "CO-16"
    carcs: tuple[str, ...] = ()  # adjustment reason codes
    rarcs: tuple[str, ...] = ()  # remark codes
    edit: str = ""  # a scrubber edit id, lower case
    from_words: bool = False


ReasonSource = Callable[[ReasonQuery], list["QuerySet[Any]"]]
_SOURCES: list[ReasonSource] = []


def reason_source_register(source: ReasonSource) -> None:
    """Add a source of claim ids for a reason (each returns `values_list` querysets of ids)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def reason_read(text: str) -> ReasonQuery | None:
    """The reason in `text`, or None when there is nothing to look for."""
    text = " ".join(text.replace("\x00", " ").split())[:REASON_FILTER_MAX_LENGTH]
    if not text:
        return None
    upper = text.upper()
    if match := GROUP_AND_CODE.fullmatch(upper):
        return ReasonQuery(text=text, group=match[1], carcs=(match[2],))
    if CODE.fullmatch(upper):
        return ReasonQuery(text=text, carcs=(upper,), rarcs=(upper,))
    if EDIT_ID.fullmatch(text.lower()):
        return ReasonQuery(text=text, edit=text.lower())
    if len(text) < WORDS_MIN_LENGTH:  # "ab" is in half the code table: not a reason
        return ReasonQuery(text=text)
    carcs, rarcs = _codes_described_by(text)
    return ReasonQuery(text=text, carcs=carcs, rarcs=rarcs, from_words=True)


def _codes_described_by(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """CARC and RARC codes of the newest releases whose description holds every word of `text`
    (or of a way the code tables say the same thing): one query."""
    phrasings = [text.lower(), *JARGON.get(text.lower(), ())]
    described = Q()
    for phrasing in phrasings:
        every_word = Q()
        for word in phrasing.split():
            every_word &= Q(description__icontains=word)
        described |= every_word
    newest = Q()
    for system in ("CARC", "RARC"):
        release = (
            CodeSetRelease.objects.filter(system=system).order_by("-effective_date").values("id")
        )
        newest |= Q(release_id=release[:1])
    rows = Code.objects.filter(newest).filter(described).values_list("system", "compact")
    found = list(rows.order_by("system", "compact")[:MAX_WORD_CODES])
    carcs = tuple(code for system, code in found if system == "CARC")
    rarcs = tuple(code for system, code in found if system == "RARC")
    return carcs, rarcs


def _claims_sources(reason: ReasonQuery) -> list[QuerySet[Any]]:
    """The claims' own reasons: open scrubber edits (by id, or by message for words) and the
    timeline's notes."""
    open_edits = ClaimEdit.objects.filter(overridden_at__isnull=True)
    sources: list[QuerySet[Any]] = [
        # claim_edit_open_idx: an edit id is exact.
        open_edits.filter(edit=reason.edit or reason.text.lower()).values_list("claim_id"),
    ]
    if len(reason.text) >= NOTE_MIN_LENGTH:
        # claim_event_note_trgm_idx (claims 0013): a trigram index needs three characters.
        sources.append(
            ClaimEvent.objects.filter(note__icontains=reason.text).values_list("claim_id")
        )
    if reason.from_words:
        sources.append(open_edits.filter(message__icontains=reason.text).values_list("claim_id"))
    return sources


def reason_claim_ids(text: str) -> QuerySet[Any] | None:
    """One subquery of the ids of the claims carrying the reason in `text`, or None."""
    reason = reason_read(text)
    if reason is None:
        return None
    sources = [*_claims_sources(reason), *(q for s in _SOURCES for q in s(reason))]
    # No model ordering inside the UNION: the planner would sort each part for nothing.
    first, *others = [source.order_by() for source in sources]
    return first.union(*others, all=True) if others else first

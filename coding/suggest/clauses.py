"""A note cut into clauses: each with its section and its negation, history and family scopes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTION_WEIGHTS = {
    "assessment": 3.0, "plan": 1.5, "subjective": 1.0, "exam": 0.8, "ros": 0.5,
    "pmh": 0.5, "family": 0.7, "social": 1.0, "other": 0.5, "none": 1.2,
}  # fmt: skip
HEADERS = {
    "assessment": r"assessment(?:\s*(?:and|&|/)\s*plan)?|a\s*/\s*p|a\s*&\s*p|a|impression"
    r"(?:\s*(?:and|&|/)\s*plan)?|diagnos[ie]s|dx|final diagnos[ie]s",
    "plan": r"plan|p",
    "subjective": r"hpi|history of present illness|cc|chief complaint|reason for visit|s|"
    r"subjective|interval history|history",
    "exam": r"exam|pe|physical exam(?:ination)?|vitals?|o|objective|labs?|results?|otoscopy",
    "ros": r"ros|review of systems",
    "pmh": r"pmh|past medical history|medical history|problem list|chronic conditions|pmhx|phx",
    "family": r"fh|fhx|family history",
    "social": r"sh|social history|habits",
    "other": r"meds|medications|allergies|procedure|immunizations?|psh|past surgical history",
}
HEADER_RE = re.compile(
    r"^\s*(?:" + "|".join(f"(?P<{name}>{rx})" for name, rx in HEADERS.items()) + r")\s*[:\-]\s*",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(
    r"(?<!\d)\.(?!\d)|[;!?\n]|\s[-\u2013]\s|\bbut\b|\bhowever\b", re.IGNORECASE
)

NEGATION_PRE = re.compile(
    r"\b(?:no|not|denies|denied|deny|without|w/o|negative for|neg for|free of|absence of|never|"
    r"declines?|declined|refused|ruled out|rules out)\b",
    re.IGNORECASE,
)
UNCERTAIN_PRE = re.compile(
    r"\b(?:r/o|rule out|possible|probable|suspected|suspect|suspicion (?:of|for)|concern for|"
    r"question of|questionable|cannot exclude|likely|versus|vs)\b",
    re.IGNORECASE,
)
NEGATION_POST = re.compile(
    r"\b(?:ruled out|negative|unlikely|not (?:present|seen|found)|absent|resolved|denied|"
    r"up to date|utd|declined|refused)\b",
    re.IGNORECASE,
)
HISTORY_PRE = re.compile(
    r"\b(?:history of|hx of|h/o|s/p|status post|past history of|previous|prior|remote)\b"
    r"|(?<!-)\bold\b",
    re.IGNORECASE,
)
FAMILY_PRE = re.compile(
    r"\b(?:family history of|fhx? of|family hx of|(?:mother|father|mom|dad|sister|brother|"
    r"sibling|grandmother|grandfather|aunt|uncle|parents?)\b)",
    re.IGNORECASE,
)
SCOPE_END = re.compile(
    r"\b(?:but|however|although|except|aside from|apart from|reports|complains|presents|"
    r"endorses|positive for|admits)\b"
    r"|,\s*(?=(?:on|taking|started|continues?|currently|which|who|has|is|was)\b)",
    re.IGNORECASE,
)


@dataclass
class Clause:
    start: int
    end: int
    section: str
    negated: list[tuple[int, int]] = field(default_factory=list)
    history: list[tuple[int, int]] = field(default_factory=list)
    family: list[tuple[int, int]] = field(default_factory=list)

    @property
    def weight(self) -> float:
        return SECTION_WEIGHTS[self.section]


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _forward_scopes(note: str, clause: Clause, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans from each trigger to the clause end or the first scope-ending word."""
    text = note[clause.start : clause.end]
    spans = []
    for found in trigger.finditer(text):
        stop = SCOPE_END.search(text, found.end())
        spans.append(
            (clause.start + found.end(), clause.start + (stop.start() if stop else len(text)))
        )
    return spans


def _backward_scopes(note: str, clause: Clause) -> list[tuple[int, int]]:
    """Spans from the clause start (at most ~6 words back) to a trigger that follows its subject."""
    text = note[clause.start : clause.end]
    spans = []
    for found in NEGATION_POST.finditer(text):
        before = text[: found.start()]
        words = list(re.finditer(r"\S+", before))
        begin = words[-6].start() if len(words) > 6 else 0
        spans.append((clause.start + begin, clause.start + found.start()))
    return spans


def clauses_in(note: str) -> list[Clause]:
    """The note cut into clauses, each with its section and negation/history/family scopes."""
    clauses: list[Clause] = []
    section = "none"
    offset = 0
    for line in note.splitlines(keepends=True):
        header = HEADER_RE.match(line)
        body_start = offset
        if header:
            section = next(name for name, value in header.groupdict().items() if value is not None)
            body_start = offset + header.end()
        last = body_start
        line_end = offset + len(line)
        for cut in [*CLAUSE_BREAK.finditer(note, body_start, line_end), None]:
            stop = cut.start() if cut else line_end
            section, last = _inline_header(note, last, stop, section)
            if note[last:stop].strip():
                clauses.append(_scoped(note, Clause(last, stop, section)))
            last = cut.end() if cut else line_end
        offset = line_end
    return clauses


def _inline_header(note: str, start: int, stop: int, section: str) -> tuple[str, int]:
    """A header of two letters or more that opens a sentence ("... well. A/P: HTN") counts too."""
    header = HEADER_RE.match(note[start:stop])
    if header is None or start == 0 or note[start - 1] == "\n":
        return section, start
    name = next(name for name, value in header.groupdict().items() if value is not None)
    if len(header.group(name).strip()) < 2:
        return section, start
    return name, start + header.end()


def _scoped(note: str, clause: Clause) -> Clause:
    clause.negated = [
        *_forward_scopes(note, clause, NEGATION_PRE),
        *_forward_scopes(note, clause, UNCERTAIN_PRE),
        *_backward_scopes(note, clause),
    ]
    clause.family = _forward_scopes(note, clause, FAMILY_PRE)
    if clause.section == "family":
        clause.family.append((clause.start, clause.end))
    clause.history = _forward_scopes(note, clause, HISTORY_PRE)
    return clause

"""Computer-assisted coding: ranked ICD-10-CM suggestions from a note, with their evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from coding.clinical_terms import (
    CHILD_EQUIVALENT,
    CONCEPTS,
    DRUG_CONCEPTS,
    DRUG_CONDITIONS,
    Concept,
    Sides,
    Target,
)
from coding.models import Code, CodeSystem
from coding.selectors import release_in_force


@dataclass(frozen=True)
class Suggestion:
    code: str
    description: str
    score: float
    evidence: str


# --- Segmenting the note ---------------------------------------------------------------------

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


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
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


def _clauses(note: str) -> list[Clause]:
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


# --- Matching concepts ---------------------------------------------------------------------

# Abbreviations that are also words or common syllables (ADD, PAD, CAP, DOE, MI, DM) count only
# when written in capitals.
CAPITALS_ONLY = frozenset(
    {
        "add",
        "af",
        "cap",
        "doe",
        "pad",
        "rad",
        "mi",
        "dm",
        "ida",
        "cad",
        "sob",
        "tia",
        "gad",
        "ome",
        "cts",
        "cva",
        "aom",
        "awv",
        "wcc",
        "osa",
        "pci",
    }
)


def _is_abbreviation(term: str) -> bool:
    return term in CAPITALS_ONLY


def _compile(terms: Sequence[str], *, abbreviations: bool) -> re.Pattern[str] | None:
    chosen = [t for t in terms if _is_abbreviation(t) == abbreviations]
    if not chosen:
        return None
    if abbreviations:
        return re.compile(r"(?<![\w-])(?:" + "|".join(t.upper() for t in chosen) + r")(?!\w|-free)")
    return re.compile(r"(?<![\w-])(?:" + "|".join(chosen) + r")(?!\w|-free)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _concept_patterns() -> list[tuple[Concept, list[re.Pattern[str]]]]:
    compiled = []
    for concept in (*CONCEPTS, *DRUG_CONCEPTS):
        patterns = [_compile(concept.terms, abbreviations=flag) for flag in (False, True)]
        compiled.append((concept, [p for p in patterns if p is not None]))
    return compiled


@dataclass(frozen=True)
class Mention:
    concept: Concept
    start: int
    end: int
    clause: Clause


def _mentions(note: str, clauses: list[Clause]) -> list[Mention]:
    """Every concept phrase in the note, without those inside a longer phrase of another."""
    found: list[Mention] = []
    for concept, patterns in _concept_patterns():
        for pattern in patterns:
            for clause in clauses:
                for match in pattern.finditer(note, clause.start, clause.end):
                    found.append(Mention(concept, match.start(), match.end(), clause))
    return [
        m
        for m in found
        if not any(
            o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
            for o in found
        )
    ]


SIDE_RE = re.compile(r"\b(right|left|bilateral(?:ly)?|both|b/l)\b", re.IGNORECASE)


SIDE_LETTER_RE = re.compile(r"\b([RL])\b(?![/'])")


def _side_in(note: str, start: int, end: int, clause: Clause) -> str:
    found = [*SIDE_RE.finditer(note, start, end), *SIDE_LETTER_RE.finditer(note, start, end)]
    letters = {"r": "right", "l": "left"}
    sides = {
        letters.get(s.group(1).lower(), s.group(1).lower()[:5])
        for s in found
        if not _inside(s.start(), clause.negated)
    }
    if sides & {"bilat", "both", "b/l"} or {"right", "left"} <= sides:
        return "bilateral"
    return next(iter(sides), "")


def _resolve_sides(note: str, sides: Sides, mention: Mention, clauses: list[Clause]) -> str:
    """The code of the side the note gives: near the phrase, else where the note names the site."""
    start, end = _window(mention)
    side = _side_in(note, start, end, mention.clause)
    site = mention.concept.site
    if not side and site:
        site_re = re.compile(rf"\b(?:{site})", re.IGNORECASE)
        for clause in clauses:
            if site_re.search(note, clause.start, clause.end):
                side = _side_in(note, clause.start, clause.end, clause)
                if side:
                    break
    return {"right": sides.right, "left": sides.left, "bilateral": sides.bilateral}.get(
        side, sides.unspecified
    )


def _cue_negated(found: re.Match[str], clause: Clause) -> bool:
    """A cue is negated at its start or its end, unless it states the negation itself."""
    if NEGATION_PRE.match(found.group()):
        return False
    return _inside(found.start(), clause.negated) or _inside(found.end() - 1, clause.negated)


def _word_end(note: str, position: int) -> int:
    while position < len(note) and note[position].isalnum():
        position += 1
    return position


def _window(mention: Mention) -> tuple[int, int]:
    return max(mention.clause.start, mention.start - 60), min(mention.clause.end, mention.end + 80)


def _target_codes(
    note: str, mention: Mention, clauses: list[Clause]
) -> tuple[list[str], bool, tuple[int, int]]:
    """The codes this mention supports, whether a cue refined them, and the evidence span."""
    concept = mention.concept
    target: Target = concept.target
    refined = False
    span = (mention.start, mention.end)
    start, end = _window(mention)
    for cue, cue_target in concept.cues:
        found = re.compile(cue, re.IGNORECASE | re.DOTALL).search(note, start, end)
        if found and not _cue_negated(found, mention.clause):
            target, refined = cue_target, True
            if found.end() - found.start() < 60:
                span = (min(span[0], found.start()), _word_end(note, max(span[1], found.end())))
            break
    if isinstance(target, Sides):
        code = _resolve_sides(note, target, mention, clauses)
        refined = refined or code != target.unspecified
        return code.split(), refined, span
    return [target], refined, span


EPISODE_LATER = re.compile(r"subsequent encounter|follow[- ]?up|recheck|routine healing", re.I)
SEQUELA = re.compile(r"sequela|late effect", re.IGNORECASE)


def _with_episode(note: str, code: str) -> str:
    seventh = "S" if SEQUELA.search(note) else "D" if EPISODE_LATER.search(note) else "A"
    return code + seventh


AGE_RE = re.compile(r"\b(\d{1,3})[- ]?(?:year|yr|y/?o\b|yo\b)|\b(\d{1,2})[- ]?(?:month|mo)\b", re.I)


def _age(note: str) -> int | None:
    found = AGE_RE.search(note)
    if found is None:
        return None
    return int(found.group(1)) if found.group(1) else 0


# --- Candidates and their scores --------------------------------------------------------------


@dataclass
class Candidate:
    code: str
    score: float
    evidence: tuple[int, int]
    group: str
    symptom: bool = False
    in_assessment: bool = False
    refined: bool = False
    mentions: int = 1


def _kind(mention: Mention) -> str:
    """'family', 'history', 'negated' or 'active' for this mention."""
    clause, concept = mention.clause, mention.concept
    if _inside(mention.start, clause.family):
        return "family"
    if not concept.ignores_negation and _inside(mention.start, clause.negated):
        return "negated"
    if _inside(mention.start, clause.history):
        return "history"
    if clause.section == "pmh" and concept.history:
        return "history"
    return "active"


def _concept_candidates(note: str, clauses: list[Clause]) -> list[Candidate]:
    """One candidate per concept (the most specific code it supports), history and family apart."""
    by_group: dict[str, list[Candidate]] = defaultdict(list)
    child = (_age(note) or 99) < 18
    for mention in _mentions(note, clauses):
        concept, kind = mention.concept, _kind(mention)
        weight = mention.clause.weight * concept.weight
        if kind in ("family", "history"):
            code = concept.family if kind == "family" else concept.history
            if code:
                by_group[f"{concept.key}:{kind}"].append(
                    Candidate(code, weight, (mention.start, mention.end), f"{concept.key}:{kind}")
                )
            continue
        if kind == "negated" or _just_started(note, mention):
            continue
        codes, refined, span = _target_codes(note, mention, clauses)
        for code in codes:
            code = _with_episode(note, code) if concept.episode else code
            code = CHILD_EQUIVALENT.get(code, code) if child else code
            by_group[concept.key].append(
                Candidate(code, weight, span, concept.key, concept.symptom,
                          mention.clause.section == "assessment", refined)
            )  # fmt: skip
    merged = [candidate for group in by_group.values() for candidate in _merge(group)]
    # A phrase that refines one concept ("lumbago with sciatica") is not another diagnosis too.
    return [
        c
        for c in merged
        if not any(
            o.group != c.group
            and o.evidence[0] <= c.evidence[0]
            and c.evidence[1] <= o.evidence[1]
            and o.evidence != c.evidence
            for o in merged
        )
    ]


STARTED = re.compile(r"\b(?:add|adding|start|starting|begin|initiate|trial of|consider)\s+$", re.I)


def _just_started(note: str, mention: Mention) -> bool:
    """A drug started today is not yet long-term use."""
    before = note[max(0, mention.start - 20) : mention.start]
    return mention.concept.key.startswith("drug_") and bool(STARTED.search(before))


def _merge(group: list[Candidate]) -> list[Candidate]:
    """The group's best code(s): refined codes beat the default; mentions add up, with a cap."""
    best_refined = max((c.refined for c in group), default=False)
    chosen = [c for c in group if c.refined == best_refined]
    top = max(chosen, key=lambda c: c.score)
    codes = {c.code for c in chosen if c.evidence == top.evidence} | {top.code}
    total = sum(c.score for c in group) - top.score
    merged = []
    for code in sorted(codes):
        merged.append(
            Candidate(code, top.score + min(0.6, 0.2 * total), top.evidence, top.group,
                      top.symptom, any(c.in_assessment for c in group), top.refined, len(group))
        )  # fmt: skip
    return merged


# --- Matching the words of code descriptions -------------------------------------------------

FILLER = frozenset(
    {
        "unspecified",
        "nos",
        "of",
        "the",
        "a",
        "an",
        "and",
        "in",
        "other",
        "site",
        "specified",
        "elsewhere",
        "classified",
        "nec",
        "s",
        "or",
        "to",
        "on",
        "at",
        "by",
    }
)
TOKEN_RE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class DescriptionIndex:
    """Billable codes of one release and the word sets of their descriptions and inclusion terms."""

    descriptions: dict[str, str]
    phrases: dict[frozenset[str], str]
    longest: int


def _words(text: str) -> list[str]:
    return [w for w in TOKEN_RE.findall(text.lower()) if w not in FILLER]


@lru_cache(maxsize=4)
def description_index(release_id: int) -> DescriptionIndex:
    descriptions: dict[str, str] = {}
    phrases: dict[frozenset[str], str] = {}
    rows = Code.objects.filter(release_id=release_id, billable=True).values_list(
        "code", "description", "notes"
    )
    for code, description, notes in rows.iterator(chunk_size=5000):
        descriptions[code] = description
        for text in [description, *(notes or {}).get("inclusion_terms", [])]:
            key = frozenset(_words(text))
            known = phrases.get(key)
            # Equal word sets: keep the unspecified (or else the shorter) description.
            if key and (known is None or _plainer(description, descriptions[known])):
                phrases[key] = code
    longest = max((len(k) for k in phrases), default=0)
    return DescriptionIndex(descriptions, phrases, min(longest, 10))


def _plainer(description: str, other: str) -> bool:
    def rank(text: str) -> tuple[bool, int]:
        return "unspecified" not in text.lower(), len(text)

    return rank(description) < rank(other)


def _tokens(note: str, clause: Clause) -> list[tuple[str, int, int]]:
    lowered = note.lower()
    return [
        (m.group(), m.start(), m.end())
        for m in TOKEN_RE.finditer(lowered, clause.start, clause.end)
        if m.group() not in FILLER
    ]


def _description_candidates(
    note: str, clauses: list[Clause], index: DescriptionIndex
) -> list[Candidate]:
    """Codes whose description (or an inclusion term) the note says word for word, any order."""
    found = []
    for clause in clauses:
        tokens = _tokens(note, clause)
        position = 0
        while position < len(tokens):
            step = 1
            for size in range(min(index.longest, len(tokens) - position), 0, -1):
                window = tokens[position : position + size]
                code = index.phrases.get(frozenset(t[0] for t in window))
                if code is None or not _generic_allowed(window, clause):
                    continue
                weight = clause.weight * (0.8 if clause.section == "assessment" else 0.5)
                found.append(
                    Candidate(code, weight, (window[0][1], window[-1][2]), f"words:{code}",
                              code.startswith("R"), clause.section == "assessment")
                )  # fmt: skip
                step = size
                break
            position += step
    return found


def _generic_allowed(window: list[tuple[str, int, int]], clause: Clause) -> bool:
    start = window[0][1]
    if any(_inside(start, spans) for spans in (clause.negated, clause.history, clause.family)):
        return False
    if len(window) == 1:
        return clause.section == "assessment" and len(window[0][0]) >= 6
    return True


# --- Rules across codes, and the ranked answer ------------------------------------------------

BMI_RE = re.compile(r"\bBMI(?:\s*(?:of|is|was|=|:))?\s*(\d{2}(?:\.\d+)?)", re.IGNORECASE)
WEIGHT_DIAGNOSES = ("E66",)


def _bmi_code(bmi: float) -> str:
    """The adult Z68 code for a body mass index."""
    if bmi < 20:
        return "Z68.1"
    if bmi < 40:
        return f"Z68.{int(bmi)}"
    for ceiling, code in ((45, "Z68.41"), (50, "Z68.42"), (60, "Z68.43"), (70, "Z68.44")):
        if bmi < ceiling:
            return code
    return "Z68.45"


def _with_bmi(note: str, candidates: list[Candidate]) -> list[Candidate]:
    """A BMI is coded only alongside the weight diagnosis it supports, and for adults."""
    weight = [c for c in candidates if c.code.startswith(WEIGHT_DIAGNOSES)]
    found = BMI_RE.search(note)
    if not weight or found is None or (_age(note) or 99) < 20:
        return candidates
    bmi = Candidate(_bmi_code(float(found.group(1))), weight[0].score * 0.9, found.span(), "bmi")
    return [*candidates, bmi]


def _with_drug_conditions(candidates: list[Candidate]) -> list[Candidate]:
    """Long-term drug codes stay only when the condition they treat is among the candidates."""
    kept = []
    for candidate in candidates:
        if candidate.group.startswith("drug_") and candidate.code in DRUG_CONDITIONS:
            treated = [c for c in candidates if c.code.startswith(DRUG_CONDITIONS[candidate.code])]
            if not treated:
                continue
            # The drug code ranks with the condition it goes with.
            candidate.score = max(candidate.score, 0.5 * max(c.score for c in treated))
        kept.append(candidate)
    return kept


def _combined_hypertension(candidates: list[Candidate]) -> list[Candidate]:
    """Hypertension with CKD or heart failure is coded as the combination (I12, I11, I13)."""
    codes = {c.code for c in candidates}
    ckd = any(c.startswith("N18") for c in codes)
    heart_failure = any(c.startswith("I50") for c in codes)
    if "I10" not in codes or not (ckd or heart_failure):
        return candidates
    late_ckd = bool(codes & {"N18.5", "N18.6"})
    if ckd and heart_failure:
        combined = "I13.2" if late_ckd else "I13.0"
    elif ckd:
        combined = "I12.0" if late_ckd else "I12.9"
    else:
        combined = "I11.0"
    for candidate in candidates:
        if candidate.code == "I10":
            candidate.code = combined
    return candidates


def _rank(candidates: list[Candidate]) -> list[Candidate]:
    """One entry per code, one diagnosis group per category, symptoms after diagnoses."""
    definitive = any(c.in_assessment and c.code[0] not in "RZ" for c in candidates)
    by_code: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: -c.score):
        if definitive and candidate.symptom and not candidate.in_assessment:
            candidate.score *= 0.4
        known = by_code.get(candidate.code)
        if known is None:
            by_code[candidate.code] = candidate
        else:
            known.score += 0.2 * candidate.score
            known.in_assessment = known.in_assessment or candidate.in_assessment
    best_group: dict[str, tuple[float, bool, str]] = {}
    for candidate in by_code.values():
        category = candidate.code[:3]
        rank = (candidate.score, not candidate.group.startswith("words:"), candidate.group)
        if category[0] != "Z" and rank > best_group.get(category, (0.0, False, "")):
            best_group[category] = rank
    # Two diagnoses in one category are both kept only when the assessment states both.
    kept = [
        c
        for c in by_code.values()
        if c.code[0] == "Z" or best_group[c.code[:3]][2] == c.group or c.in_assessment
    ]
    return sorted(kept, key=lambda c: (-c.score, c.code))


MIN_SCORE = 0.55
MIN_SHARE_OF_TOP = 0.25
SCORE_SCALE = 4.0


def suggest_codes(note: str, *, limit: int = 10, on: date | None = None) -> list[Suggestion]:
    """ICD-10-CM codes the note supports, best first, each with the phrase of the note behind it."""
    release = release_in_force(system=CodeSystem.ICD10CM, on=on)
    if release is None or not note.strip():
        return []
    index = description_index(release.pk)
    clauses = _clauses(note)
    from_terms = [c for c in _concept_candidates(note, clauses) if c.code in index.descriptions]
    covered = [c.evidence for c in from_terms]
    # Words a clinical term already explains do not also count as a description match.
    from_words = [
        c
        for c in _description_candidates(note, clauses, index)
        if not any(c.evidence[0] < end and start < c.evidence[1] for start, end in covered)
    ]
    candidates = from_terms + from_words
    candidates = _combined_hypertension(_with_drug_conditions(_with_bmi(note, candidates)))
    ranked = [c for c in _rank(candidates) if c.code in index.descriptions]
    if not ranked:
        return []
    floor = max(MIN_SCORE, ranked[0].score * MIN_SHARE_OF_TOP)
    return [
        Suggestion(
            code=c.code,
            description=index.descriptions[c.code],
            score=round(min(1.0, c.score / SCORE_SCALE), 3),
            evidence=note[c.evidence[0] : c.evidence[1]],
        )
        for c in ranked
        if c.score >= floor
    ][:limit]

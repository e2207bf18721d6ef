"""Code search for coders: by code (dotted or not, any case) or by words, abbreviations, typos."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models.functions import Length

from coding.codesets.selectors import release_in_force
from coding.models import (
    Code,
    CodeSearchTerm,
    CodeSearchWord,
    CodeSystem,
    SearchTermKind,
)
from coding.search.abbreviations import (
    ABBREVIATIONS,
    COMMON_CODES,
    EXTENSION_WORDS,
    JOINABLE,
    STOP_WORDS,
)
from coding.search.index import (
    SEARCHABLE_SYSTEMS,
    WORD,
    code_search_index_ensure,
    release_vocabulary,
    text_words,
)

SYSTEM_NAMES: dict[str, str] = {
    "icd10": CodeSystem.ICD10CM,
    "icd10cm": CodeSystem.ICD10CM,
    "icd-10-cm": CodeSystem.ICD10CM,
    "cpt": CodeSystem.CPT,
    "hcpcs": CodeSystem.HCPCS,
}
MAX_LIMIT = 100

# What a code (or the start of one) looks like in each system, once dots and spaces are gone.
_CODE_SHAPES: dict[str, re.Pattern[str]] = {
    CodeSystem.ICD10CM: re.compile(r"^[A-Z][0-9][0-9A-Z]{0,5}$"),
    CodeSystem.CPT: re.compile(r"^[0-9]{2,4}[0-9A-Z]?$"),
    CodeSystem.HCPCS: re.compile(r"^[A-V][0-9]{1,4}$"),
}
_LEADING_SLASH_ABBREVIATION = re.compile(r"^(w/o|w/|h/o|s/p|c/|r/o|f/u)(.+)$")
_KIND_PENALTY = {SearchTermKind.DESCRIPTION: 0.0, SearchTermKind.INCLUSION: 1.5}
_HEADER_PENALTY = 0.5
_COMMON_BONUS = 2.0
_LEADING_WORD_BONUS = 0.3
_WITHOUT_PENALTY = 1.0


@dataclass(frozen=True)
class CodeSearchResult:
    """One row of a search: billable codes can be chosen, the others are headers."""

    code: str
    description: str
    billable: bool

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "description": self.description, "billable": self.billable}


class UnknownCodeSystem(ValueError):
    """The system named is not one code search covers."""


def system_from_name(*, name: str) -> str:
    """The `CodeSystem` value for `icd10`, `cpt`, `hcpcs` (or a CodeSystem value itself)."""
    lowered = name.strip().lower()
    if lowered in SYSTEM_NAMES:
        return SYSTEM_NAMES[lowered]
    for system in SEARCHABLE_SYSTEMS:
        if lowered == system.lower():
            return system
    raise UnknownCodeSystem(f"unknown code system {name!r}: use icd10, cpt or hcpcs")


def _vocabulary_has(*, vocabulary: tuple[str, ...], word: str, prefix: bool) -> bool:
    at = bisect.bisect_left(vocabulary, word)
    if at == len(vocabulary):
        return False
    return vocabulary[at] == word or (prefix and vocabulary[at].startswith(word))


def _spelling_candidates(*, release_id: int, word: str) -> list[str]:
    """Vocabulary words nearest a misspelt `word`: pg_trgm finds ten, edit distance picks."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM {CodeSearchWord._meta.db_table}"
            " WHERE release_id = %s AND word %% %s"
            " ORDER BY similarity(word, %s) DESC, frequency DESC LIMIT 10",
            [release_id, word, word],
        )
        found = [row[0] for row in cursor.fetchall()]
    if not found:
        return []
    distances = {candidate: edit_distance(word, candidate) for candidate in found}
    nearest = min(distances.values())
    if nearest > max(2, len(word) // 3):
        return []
    return [candidate for candidate in found if distances[candidate] == nearest][:3]


def edit_distance(typed: str, known: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) turning `typed` into `known`."""
    previous2: list[int] = []
    previous = list(range(len(known) + 1))
    for row, typed_char in enumerate(typed, start=1):
        current = [row] + [0] * len(known)
        for column, known_char in enumerate(known, start=1):
            cost = 0 if typed_char == known_char else 1
            current[column] = min(
                previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost
            )
            swapped = row > 1 and column > 1 and typed_char == known[column - 2]
            if swapped and typed[row - 2] == known_char:
                current[column] = min(current[column], previous2[column - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# --- the query -------------------------------------------------------------------------------


@dataclass
class ParsedQuery:
    """A word query as groups that must all match, each a choice of phrases (lists of words)."""

    groups: list[list[list[str]]]
    said_with: bool = False
    said_without: bool = False

    @property
    def wants_extensions(self) -> bool:
        words = {word for group in self.groups for phrase in group for word in phrase}
        return any(
            extension.startswith(word) and len(word) >= 3
            for word in words
            for extension in EXTENSION_WORDS
        )


def query_tokens(query: str) -> list[str]:
    """The query's tokens, keeping slashed abbreviations (w/, w/o, h/o, n/v) whole."""
    tokens: list[str] = []
    for chunk in query.lower().split():
        chunk = chunk.strip(".,;:()[]")
        while chunk:
            if chunk in ABBREVIATIONS and not WORD.fullmatch(chunk):
                tokens.append(chunk)
                break
            leading = _LEADING_SLASH_ABBREVIATION.match(chunk)
            if leading is None:
                tokens.extend(text_words(chunk))
                break
            tokens.append(leading.group(1))
            chunk = leading.group(2)
    return _joined_pairs(tokens)


def _joined_pairs(tokens: list[str]) -> list[str]:
    joined: list[str] = []
    at = 0
    while at < len(tokens):
        pair = "".join(tokens[at : at + 2])
        if at + 1 < len(tokens) and pair in JOINABLE:
            joined.append(pair)
            at += 2
        else:
            joined.append(tokens[at])
            at += 1
    return joined


def _expansion(phrase: str) -> list[str]:
    words = text_words(phrase)
    kept = [word for word in words if word not in STOP_WORDS]
    return kept or words


def _token_group(*, token: str, release_id: int) -> list[list[str]] | None:
    """The phrases `token` may stand for; None when it asks for nothing (a stop word)."""
    vocabulary = release_vocabulary(release_id)
    if token in ABBREVIATIONS:
        phrases = [_expansion(phrase) for phrase in ABBREVIATIONS[token]]
        if len(token) >= 3 and _vocabulary_has(vocabulary=vocabulary, word=token, prefix=False):
            phrases.append([token])
        return phrases
    if token in STOP_WORDS:
        return None
    if token.isdigit() or len(token) == 1:
        return [[token]]
    if _vocabulary_has(vocabulary=vocabulary, word=token, prefix=True):
        return [[token]]
    candidates = _spelling_candidates(release_id=release_id, word=token)
    return [[candidate] for candidate in candidates] or None


def query_parse(*, query: str, release_id: int) -> ParsedQuery:
    """Turn a coder's words into groups: abbreviations expanded, misspellings corrected."""
    parsed = ParsedQuery(groups=[])
    for token in query_tokens(query):
        group = _token_group(token=token, release_id=release_id)
        if group == [["with"]] or token in ("with",):
            parsed.said_with = True
            continue
        if group is None:
            continue
        if group == [["without"]]:
            parsed.said_without = True
        if group not in parsed.groups:
            parsed.groups.append(group)
    return parsed


def _tsquery_word(word: str) -> str:
    return word if word.isdigit() or len(word) == 1 else f"{word}:*"


def _tsquery_group(group: list[list[str]]) -> str:
    phrases = ["(" + " & ".join(_tsquery_word(word) for word in phrase) + ")" for phrase in group]
    return "(" + " | ".join(phrases) + ")"


# --- searching -------------------------------------------------------------------------------

_WORD_SEARCH_SQL = """
SELECT c.code, c.description, c.billable
FROM (
    SELECT DISTINCT ON (t.code_id) t.code_id,
        t.length
        + CASE WHEN t.kind = {inclusion} THEN {inclusion_penalty} ELSE 0 END
        + CASE WHEN t.billable THEN 0 ELSE {header_penalty} END
        + CASE WHEN lower(t.term) ~ %(leading)s THEN -{leading_bonus} ELSE 0 END
        + CASE WHEN %(penalise_without)s AND t.document @@ 'without'::tsquery
            THEN {without_penalty} ELSE 0 END
        + ({groups_missed}) * 4.0 AS score
    FROM {terms} t
    WHERE t.release_id = %(release)s AND t.document @@ to_tsquery('simple', %(query)s)
        {extension_filter}
    ORDER BY t.code_id, score
) best
JOIN {codes} c ON c.id = best.code_id
ORDER BY best.score - CASE WHEN c.code = ANY(%(common)s) THEN {common_bonus} ELSE 0 END, c.compact
LIMIT %(limit)s
"""


def _word_search(
    *, parsed: ParsedQuery, release_id: int, limit: int, extensions: bool, partial: bool
) -> list[CodeSearchResult]:
    group_queries = [_tsquery_group(group) for group in parsed.groups]
    missed = " + ".join(
        f"(NOT t.document @@ to_tsquery('simple', %(group_{at})s))::int"
        for at in range(len(group_queries))
    )
    sql = _WORD_SEARCH_SQL.format(
        inclusion=int(SearchTermKind.INCLUSION),
        inclusion_penalty=_KIND_PENALTY[SearchTermKind.INCLUSION],
        header_penalty=_HEADER_PENALTY,
        leading_bonus=_LEADING_WORD_BONUS,
        without_penalty=_WITHOUT_PENALTY,
        common_bonus=_COMMON_BONUS,
        groups_missed=missed if partial else "0",
        terms=CodeSearchTerm._meta.db_table,
        codes=Code._meta.db_table,
        extension_filter="" if extensions else "AND NOT t.extension",
    )
    params: dict[str, Any] = {
        "release": release_id,
        "query": (" | " if partial else " & ").join(group_queries),
        "leading": "^(" + "|".join(phrase[0] for phrase in parsed.groups[0]) + ")",
        "penalise_without": parsed.said_with and not parsed.said_without,
        "common": list(COMMON_CODES),
        "limit": limit,
    }
    params.update({f"group_{at}": query for at, query in enumerate(group_queries)})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [CodeSearchResult(*row) for row in cursor.fetchall()]


def _successor(prefix: str) -> str:
    """The smallest code-shaped string after every string starting with `prefix`."""
    last = prefix[-1]
    if last == "Z":
        return _successor(prefix[:-1]) if len(prefix) > 1 else "["
    return prefix[:-1] + ("A" if last == "9" else chr(ord(last) + 1))


def _code_search(*, compact: str, release_id: int, limit: int) -> list[CodeSearchResult]:
    """The code itself, then the codes under it, shallow ones first."""
    # A range the (release, compact) unique index serves under any collation, then the prefix.
    rows = (
        Code.objects.filter(release_id=release_id, compact__gte=compact)
        .filter(compact__lt=_successor(compact), compact__startswith=compact)
        .order_by(Length("compact"), "compact")
        .values_list("code", "description", "billable")
    )
    return [CodeSearchResult(code, text, billable) for code, text, billable in rows[:limit]]


def _code_shaped(*, query: str, system: str) -> str | None:
    compact = re.sub(r"[\s.\-]", "", query).upper()
    return compact if _CODE_SHAPES[system].match(compact) else None


def _words_search(*, query: str, release_id: int, limit: int) -> list[CodeSearchResult]:
    """All words matched first (7th-character codes when asked for or when few), else most."""
    parsed = query_parse(query=query, release_id=release_id)
    if not parsed.groups:
        return []
    found = _word_search(
        parsed=parsed,
        release_id=release_id,
        limit=limit,
        extensions=parsed.wants_extensions,
        partial=False,
    )
    if len(found) < limit and not parsed.wants_extensions:
        seen = {result.code for result in found}
        more = _word_search(
            parsed=parsed, release_id=release_id, limit=limit, extensions=True, partial=False
        )
        found += [result for result in more if result.code not in seen][: limit - len(found)]
    if not found and len(parsed.groups) > 1:
        found = _word_search(
            parsed=parsed, release_id=release_id, limit=limit, extensions=True, partial=True
        )
    return found


def code_search(
    *, query: str, system: str = CodeSystem.ICD10CM, limit: int = 10, on: date | None = None
) -> list[CodeSearchResult]:
    """Codes of `system` (release in force on `on`, default newest) best matching `query`.

    A code-shaped query lists the code and the codes under it; otherwise, and when no code
    starts that way ("T2DM"), the query is read as words. Headers come back with billable=False.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    release = release_in_force(system=system, on=on)
    if release is None or not query.strip():
        return []
    code_search_index_ensure(release=release)
    compact = _code_shaped(query=query, system=system)
    if compact is not None:
        found = _code_search(compact=compact, release_id=release.pk, limit=limit)
        if found:
            return found
    return _words_search(query=query, release_id=release.pk, limit=limit)

"""The code search index: every code's terms with their words, and the vocabulary of a release.

Derived from a release's Code rows, which the loaders know nothing of: search builds a release's
index the first time it is searched with none (`code_search_index_ensure`), and `manage.py codes
reindex` rebuilds them all (`code_search_index_rebuild`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache

from django.db import connection, transaction
from psycopg2.extras import execute_values  # type: ignore[import-untyped]

from coding.models import (
    Code,
    CodeSearchTerm,
    CodeSearchWord,
    CodeSetRelease,
    CodeSystem,
    SearchTermKind,
)
from coding.search.abbreviations import GENERIC_WORDS

SEARCHABLE_SYSTEMS = (CodeSystem.ICD10CM, CodeSystem.CPT, CodeSystem.HCPCS)
WORD = re.compile(r"[a-z0-9]+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^]]*\]")


# --- words -----------------------------------------------------------------------------------


def text_words(text: str) -> list[str]:
    """Lower-case words of `text`; an apostrophe joins ("Alzheimer's" -> "alzheimers")."""
    return WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def document_words(text: str) -> list[str]:
    """The words a term is found by: its words plus hyphenated ones joined (gastroesophageal)."""
    words = text_words(text)
    compounds = ["".join(text_words(piece)) for piece in re.findall(r"\w+(?:-\w+)+", text.lower())]
    return words + [compound for compound in compounds if compound]


def term_length(text: str) -> float:
    """Informative words outside parentheses: what "shorter is more general" compares."""
    words = text_words(_PARENTHESES.sub(" ", text))
    return float(sum(0.2 if word in GENERIC_WORDS else 1.0 for word in words))


# --- the index -------------------------------------------------------------------------------


def _code_terms(*, system: str, row: tuple[int, str, str, bool, dict]) -> Iterator[tuple]:
    code_id, compact, description, billable, notes = row
    extension = system == CodeSystem.ICD10CM and len(compact) == 7
    yield code_id, SearchTermKind.DESCRIPTION, description, billable, extension
    for key in ("inclusion_terms", "includes"):
        for term in (notes or {}).get(key) or []:
            yield code_id, SearchTermKind.INCLUSION, term, billable, extension


def _release_index_write(*, release: CodeSetRelease) -> int:
    """Replace the search terms and vocabulary of one release; how many terms it wrote."""
    rows = Code.objects.filter(release=release).values_list(
        "id", "compact", "description", "billable", "notes"
    )
    vocabulary: Counter[str] = Counter()
    values = []
    for row in rows.iterator(chunk_size=5000):
        for code_id, kind, term, billable, extension in _code_terms(system=release.system, row=row):
            words = document_words(term)
            document = " ".join(words)
            vocabulary.update(set(words))
            values.append(
                (
                    release.pk,
                    code_id,
                    int(kind),
                    term,
                    term_length(term),
                    billable,
                    extension,
                    document,
                )
            )
    CodeSearchTerm.objects.filter(release=release).delete()
    CodeSearchWord.objects.filter(release=release).delete()
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"INSERT INTO {CodeSearchTerm._meta.db_table} (release_id, code_id, kind, term, length,"
            " billable, extension, document) VALUES %s",
            values,
            template="(%s, %s, %s, %s, %s, %s, %s, to_tsvector('simple', %s))",
            page_size=2000,
        )
        execute_values(
            cursor.cursor,
            f"INSERT INTO {CodeSearchWord._meta.db_table} (release_id, word, frequency) VALUES %s",
            [(release.pk, word, count) for word, count in vocabulary.items() if len(word) <= 60],
            page_size=5000,
        )
    return len(values)


def code_search_index_rebuild(*, release: CodeSetRelease | None = None) -> dict[str, int]:
    """(Re)build the search index of `release`, or of every searchable release; terms written."""
    releases: Iterable[CodeSetRelease] = (
        [release]
        if release is not None
        else CodeSetRelease.objects.filter(system__in=SEARCHABLE_SYSTEMS).order_by("pk")
    )
    written = {}
    for each in releases:
        with transaction.atomic():
            _release_lock(release=each)
            written[str(each)] = _release_index_write(release=each)
        release_vocabulary.cache_clear()
    return written


def _release_lock(*, release: CodeSetRelease) -> None:
    # Two processes finding the index missing at once build it once, one after the other.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5EA4C4, release.pk])


def code_search_index_ensure(*, release: CodeSetRelease) -> None:
    """Build the index of `release` if it has none (a release loaded after the migration).

    One indexed EXISTS a search (well under a millisecond) rather than a per-process flag, so
    a rebuild, a rolled-back test or a release loaded by another process is always seen.
    """
    if CodeSearchTerm.objects.filter(release=release).exists():
        return
    with transaction.atomic():
        _release_lock(release=release)
        if not CodeSearchTerm.objects.filter(release=release).exists():
            _release_index_write(release=release)
    release_vocabulary.cache_clear()


@lru_cache(maxsize=8)
def release_vocabulary(release_id: int) -> tuple[str, ...]:
    """The sorted words of a release, for prefix checks without a query."""
    words = CodeSearchWord.objects.filter(release_id=release_id).values_list("word", flat=True)
    return tuple(sorted(words))

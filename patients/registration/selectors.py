"""Reads of patients: search, one chart (audited), by MRN, likely duplicates; fenced to the user."""

from __future__ import annotations

import datetime

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, Greatest, Upper

from patients.models import Coverage, Patient
from rcm.audit.services import audit_record_view
from rcm.practice.models import Practice
from rcm.practice.permissions import FRONT_DESK
from rcm.practice.selectors import Viewer, practice_ids_for

# A digit term's MRN / member-id matches are resolved to ids first (each an index scan); a very
# short digit prefix could match thousands, and the page shows 50, so the ids are capped.
DIGIT_TERM_MATCH_LIMIT = 500

# Matches in name order, ignoring case. Sorting by the expression (no index has it) keeps the
# planner from walking the name index in order and filtering, which reads most of the table when
# the matches sit late in the alphabet; it collects the matches by index and sorts them instead.
SEARCH_ORDER = (Upper("last_name"), Upper("first_name"), "date_of_birth", "pk")

# Name terms this long use the trigram index for "contains"; shorter ones match as a prefix.
CONTAINS_MIN_LENGTH = 3


def patient_list(
    *, user: Viewer, query: str = "", include_merged: bool = False
) -> QuerySet[Patient]:
    """Patients of the user's practices; `query` matches name, MRN, date of birth or member id.

    Every whitespace-separated term must match (partial, any case): a date (YYYY-MM-DD or
    MM/DD/YYYY) the date of birth; a term with digits the start of an MRN (a merged chart's old
    MRN finds the chart it was merged into) or of a member id; letters a first or last name.
    "Last, first" matches the last and the first name by prefix. When names find nobody, names
    spelt alike are offered instead. Merged duplicates are left out unless `include_merged`.
    """
    practice_ids = practice_ids_for(user=user)
    patients = Patient.objects.filter(practice_id__in=practice_ids).select_related("practice")
    if not include_merged:
        patients = patients.filter(merged_into__isnull=True)
    query = query.strip()
    if not query:
        return patients
    if "," in query:
        last, _comma, first = query.partition(",")
        return patients.filter(
            _name_prefix("last_name", last.split()), _name_prefix("first_name", first.split())
        ).order_by(*SEARCH_ORDER)
    terms = query.split()
    matched = patients.filter(*(_term_condition(term, practice_ids) for term in terms))
    names = [term for term in terms if term.isalpha()]
    # count(), not exists(): with LIMIT 1 the planner bets on a sequential scan finding a row
    # early, and reads all 100,000 rows when nothing matches, which is when the fallback is needed.
    if names and len(names) == len(terms) and matched.order_by().count() == 0:
        return _spelt_alike(patients, names)
    return matched.order_by(*SEARCH_ORDER)


def _name_prefix(field: str, words: list[str]) -> Q:
    return Q(**{f"{field}__istartswith": " ".join(words)}) if words else Q()


def _term_condition(term: str, practice_ids: list[int]) -> Q:
    day = _parse_date(term)
    if day is not None:
        return Q(date_of_birth=day)
    if any(char.isdigit() for char in term):
        return Q(pk__in=_ids_by_number(term, practice_ids))
    lookup = "icontains" if len(term) >= CONTAINS_MIN_LENGTH else "istartswith"
    return Q(**{f"last_name__{lookup}": term}) | Q(**{f"first_name__{lookup}": term})


def _ids_by_number(term: str, practice_ids: list[int]) -> set[int]:
    """Charts whose MRN (or merged duplicate's MRN) or a coverage's member id starts with `term`."""
    by_mrn = (
        Patient.objects.filter(practice_id__in=practice_ids, mrn__istartswith=term)
        .annotate(chart_id=Coalesce("merged_into_id", "id"))
        .values_list("chart_id", flat=True)[:DIGIT_TERM_MATCH_LIMIT]
    )
    by_member_id = Coverage.objects.filter(
        practice_id__in=practice_ids, member_id__istartswith=term
    ).values_list("patient_id", flat=True)[:DIGIT_TERM_MATCH_LIMIT]
    return set(by_mrn) | set(by_member_id)


def _parse_date(text: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, not a time)
        except ValueError:
            continue
    return None


def _spelt_alike(patients: QuerySet[Patient], names: list[str]) -> QuerySet[Patient]:
    """Misspelt names: each word is similar to the first or the last name, best match first.

    `%` is pg_trgm's similarity operator (threshold 0.3, its default): it uses the trigram index.
    """
    spelt = patients.alias(last_upper=Upper("last_name"), first_upper=Upper("first_name"))
    for name in names:
        spelt = spelt.filter(
            Q(last_upper__trigram_similar=name.upper())
            | Q(first_upper__trigram_similar=name.upper())
        )
    closeness = sum(
        (
            Greatest(
                TrigramSimilarity(Upper("last_name"), name.upper()),
                TrigramSimilarity(Upper("first_name"), name.upper()),
            )
            for name in names
        ),
        start=Value(0.0),
    )
    return spelt.annotate(closeness=closeness).order_by(
        "-closeness", "last_name", "first_name", "pk"
    )


def patient_get(*, user: Viewer, pk: int) -> Patient:
    """One patient of the user's practices; Patient.DoesNotExist for anyone else's."""
    return Patient.objects.select_related("practice").get(
        pk=pk, practice_id__in=practice_ids_for(user=user)
    )


def patient_chart(*, user: Viewer, pk: int) -> Patient:
    """A patient opened for reading: the view is recorded in the audit trail (HIPAA access log)."""
    patient = patient_get(user=user, pk=pk)
    audit_record_view(
        table_name=Patient._meta.db_table,
        object_pk=patient.pk,
        practice_id=patient.practice_id,
        actor_id=user.pk,
        detail="chart",
    )
    return patient


def patient_get_by_mrn(*, user: Viewer, practice_id: int, mrn: str) -> Patient:
    """The chart with this MRN (any case) in one of the user's practices, merged or not."""
    return Patient.objects.select_related("practice").get(
        practice_id=practice_id,
        practice_id__in=practice_ids_for(user=user),
        mrn__iexact=mrn.strip(),
    )


def registering_practices(*, user: Viewer) -> list[Practice]:
    """Practices where the user may register and edit patients (front desk or administrator)."""
    ids = practice_ids_for(user=user, roles=FRONT_DESK)
    return list(Practice.objects.filter(pk__in=ids).order_by("name"))


# pg_trgm compares words as sets of trigrams, so "Smith John" is as close to "John Smith" as the
# name itself: transposed first and last names need no rule of their own. 0.4 catches one or two
# typos ("Jon Smyth") without matching unrelated people born on the same day.
DUPLICATE_NAME_SIMILARITY = 0.4


def patient_duplicates_find(
    *,
    practice: Practice,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date,
    exclude_pk: int | None = None,
) -> list[Patient]:
    """Active charts in `practice` born the same day whose name is alike, closest first."""
    typed = f"{first_name.strip()} {last_name.strip()}".upper()
    candidates = (
        Patient.objects.filter(
            practice=practice, date_of_birth=date_of_birth, merged_into__isnull=True
        )
        .annotate(
            name_similarity=TrigramSimilarity(
                Concat(F("first_name"), Value(" "), F("last_name")), typed
            )
        )
        .filter(name_similarity__gte=DUPLICATE_NAME_SIMILARITY)
        .order_by("-name_similarity", "pk")
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(candidates[:10])

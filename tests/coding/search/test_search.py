"""Code search over the full ICD-10-CM: codes, words, abbreviations, typos, API and typeahead."""

from __future__ import annotations

import pytest
from django.contrib.auth.views import LoginView
from django.urls import include, path
from rest_framework.test import APIClient

from coding.codesets.selectors import release_in_force
from coding.models import CodeSearchTerm, CodeSystem
from coding.search import urls as search_urls
from coding.search.engine import code_search, edit_distance, query_tokens
from coding.search.index import code_search_index_ensure, code_search_index_rebuild
from tests.coding.conftest import _packaged_icd10cm_release, run

# Routes for these tests only: the project's URLconf includes the same patterns.
urlpatterns = [
    path("api/", include(search_urls.api_urlpatterns)),
    path("", include("coding.search.urls")),
    path("login/", LoginView.as_view(), name="login"),
]


@pytest.fixture(scope="session")
def _icd10cm_search_index(_icd10cm_session, django_db_blocker):
    """Build the search index of the session's ICD-10-CM once, committed."""
    with django_db_blocker.unblock():
        release = _packaged_icd10cm_release()
        assert release is not None
        code_search_index_ensure(release=release)


@pytest.fixture
def indexed(_icd10cm_search_index, icd10cm):
    return icd10cm


def codes_for(query: str, limit: int = 10) -> list[str]:
    return [result.code for result in code_search(query=query, limit=limit)]


def top(query: str, count: int = 3) -> list[str]:
    return codes_for(query)[:count]


@pytest.mark.parametrize("query", ["E11.9", "e119", "E119", " e11.9 "])
def test_a_code_with_or_without_its_dot_in_any_case_comes_first(indexed, query):
    assert codes_for(query)[0] == "E11.9"


def test_a_category_is_shown_as_a_header_above_its_children(indexed):
    results = code_search(query="E11", limit=10)

    assert (results[0].code, results[0].billable) == ("E11", False)
    assert all(result.code.startswith("E11") for result in results)


def test_a_code_prefix_lists_the_codes_under_it_shallow_first(indexed):
    found = codes_for("e11.6", limit=10)

    assert found[0] == "E11.6"
    assert "E11.65" in found
    assert all(code.startswith("E11.6") for code in found)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type 2 diabetes without complications", "E11.9"),
        ("DM2 w/ hyperglycemia", "E11.65"),
        ("T2DM w/hyperglycemia", "E11.65"),
        ("HTN", "I10"),
        ("CHF", "I50.9"),
        ("afib", "I48.91"),
        ("a-fib", "I48.91"),
        ("UTI", "N39.0"),
        ("COPD exacerbation", "J44.1"),
        ("GERD", "K21.9"),
        ("low back pain", "M54.50"),
        ("pneumonia", "J18.9"),
        ("essential hypertension", "I10"),
        ("high blood pressure", "I10"),
        ("n/v", "R11.2"),
        ("SOB", "R06.02"),
        ("chest pain", "R07.9"),
    ],
)
def test_words_and_abbreviations_rank_the_code_a_coder_means_in_the_top_three(
    indexed, query, expected
):
    assert expected in top(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("hypertenson", "I10"), ("pnuemonia", "J18.9"), ("diabetis type 2", "E11.9")],
)
def test_misspellings_are_corrected(indexed, query, expected):
    assert expected in top(query, count=5)


@pytest.mark.parametrize(
    ("query", "expected"), [("hyperten", "I10"), ("diab mell type 2 w/o compl", "E11.9")]
)
def test_word_prefixes_match(indexed, query, expected):
    assert expected in top(query)


def test_heart_failure_lists_its_family(indexed):
    found = codes_for("CHF")

    assert sum(code.startswith("I50") for code in found) >= 5


def test_fracture_abbreviation_and_side_find_right_radius_fractures(indexed):
    results = code_search(query="fx right radius", limit=10)

    assert results
    assert all(
        "fracture" in r.description.lower() and "right radius" in r.description.lower()
        for r in results
    )


def test_a_seventh_character_word_brings_the_billable_seventh_character_codes(indexed):
    results = code_search(query="fx right forearm initial", limit=10)

    assert "S52.91XA" in [result.code for result in results]
    assert all(result.billable for result in results if len(result.code) == 8)


def test_billable_codes_come_before_headers_with_the_same_words(indexed):
    found = codes_for("pneumonia")

    assert found.index("J18.9") < found.index("J18")


def test_with_prefers_codes_that_do_not_say_without(indexed):
    assert top("diabetes type 2 with complications", count=1) != ["E11.9"]


def test_a_code_shaped_word_with_no_code_is_read_as_words(indexed):
    assert "E11.65" in top("T2DM hyperglycemia")


def test_limit_is_respected_and_nonsense_finds_nothing(indexed):
    assert len(codes_for("diabetes", limit=4)) == 4
    assert codes_for("zzzqqqxxy") == []
    assert codes_for("   ") == []


def test_a_date_before_the_release_finds_nothing(indexed):
    assert code_search(query="I10", on=indexed.effective_date.replace(year=2000)) == []


def test_query_tokens_keep_slashed_abbreviations():
    assert query_tokens("DM2 w/hyperglycemia, h/o MI") == [
        "dm2",
        "w/",
        "hyperglycemia",
        "h/o",
        "mi",
    ]
    assert query_tokens("a fib") == ["afib"]


@pytest.mark.django_db(transaction=False)
def test_cpt_and_hcpcs_search_by_code_and_words(db):
    run("load_codesets", "--system", CodeSystem.CPT, "--system", CodeSystem.HCPCS)

    cpt_visit = code_search(query="office visit established", system=CodeSystem.CPT, limit=5)
    assert cpt_visit and all("established" in r.description.lower() for r in cpt_visit)
    assert code_search(query="99213", system=CodeSystem.CPT)[0].code == "99213"
    assert code_search(query="j1100", system=CodeSystem.HCPCS)[0].code == "J1100"
    assert code_search(query="dexamethasone", system=CodeSystem.HCPCS)[0].code.startswith("J")


def test_the_index_is_built_when_missing_and_rebuilt_on_demand(db):
    run("load_codesets", "--system", CodeSystem.CPT)
    release = release_in_force(system=CodeSystem.CPT)
    assert release is not None
    CodeSearchTerm.objects.filter(release=release).delete()

    assert code_search(query="office visit", system=CodeSystem.CPT)
    rebuilt = code_search_index_rebuild(release=release)
    assert list(rebuilt.values()) == [CodeSearchTerm.objects.filter(release=release).count()]


@pytest.mark.urls(__name__)
def test_the_api_needs_a_signed_in_user(indexed):
    response = APIClient().get("/api/codes/search/", {"q": "HTN"})

    assert response.status_code in (401, 403)


@pytest.mark.urls(__name__)
def test_the_api_answers_any_role_with_the_search_contract(indexed, front_desk):
    client = APIClient()
    client.force_authenticate(front_desk)

    response = client.get("/api/codes/search/", {"q": "E11", "system": "icd10", "limit": 3})

    assert response.status_code == 200
    assert response.json()[0] == {
        "code": "E11",
        "description": "Type 2 diabetes mellitus",
        "billable": False,
    }
    assert len(response.json()) == 3


@pytest.mark.urls(__name__)
def test_the_api_refuses_an_unknown_system_and_a_missing_query(indexed, coder):
    client = APIClient()
    client.force_authenticate(coder)

    assert client.get("/api/codes/search/", {"q": "x", "system": "loinc"}).status_code == 400
    assert client.get("/api/codes/search/").status_code == 400


@pytest.mark.urls(__name__)
def test_the_typeahead_fragment_redirects_strangers_and_marks_headers(indexed, client, coder):
    assert client.get("/coding/codes/search/", {"q": "E11"}).status_code == 302

    client.force_login(coder)
    html = client.get("/coding/codes/search/", {"q": "E11"}).content.decode()

    assert 'class="code-header" data-code="E11" aria-disabled="true"' in html
    assert 'class="code-billable" data-code="E11.9" aria-disabled="false"' in html


@pytest.mark.parametrize(
    ("typed", "known", "edits"),
    [("pnuemonia", "pneumonia", 1), ("diabetis", "diabetes", 1), ("htn", "hypertension", 9)],
)
def test_edit_distance_counts_a_swap_as_one_edit(typed, known, edits):
    assert edit_distance(typed, known) == edits

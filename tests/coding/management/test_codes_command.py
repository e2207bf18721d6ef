"""`manage.py codes search|reindex`: the JSON scripting contract and the operator's output."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError

from coding.codesets.selectors import release_in_force
from coding.models import CodeSearchTerm, CodeSystem
from tests.coding.conftest import run
from tests.coding.search.test_search import _icd10cm_search_index  # noqa: F401  (session fixture)


@pytest.fixture
def indexed(_icd10cm_search_index, icd10cm):  # noqa: F811
    return icd10cm


def test_search_json_maps_each_query_to_its_ranked_list(indexed):
    printed = run("codes", "search", "icd10", "E11.9", "HTN", "e11", "--limit", "3", "--json")

    found = json.loads(printed)
    assert list(found) == ["E11.9", "HTN", "e11"]
    assert found["E11.9"] == [
        {
            "code": "E11.9",
            "description": "Type 2 diabetes mellitus without complications",
            "billable": True,
        }
    ]
    assert found["HTN"][0]["code"] == "I10"
    assert found["e11"][0] == {
        "code": "E11",
        "description": "Type 2 diabetes mellitus",
        "billable": False,
    }
    assert all(len(results) <= 3 for results in found.values())
    assert all(
        set(item) == {"code", "description", "billable"}
        for results in found.values()
        for item in results
    )


def test_search_text_marks_headers(indexed):
    printed = run("codes", "search", "icd10", "E11", "--limit", "2")

    assert printed.splitlines()[0] == "E11:"
    assert "(header)" in printed.splitlines()[1]


def test_search_on_a_date_before_any_release_finds_nothing(indexed):
    printed = run("codes", "search", "icd10", "I10", "--date", "2001-01-01", "--json")

    assert json.loads(printed) == {"I10": []}


def test_search_refuses_an_unknown_system(db):
    with pytest.raises(CommandError, match="unknown code system"):
        run("codes", "search", "loinc", "glucose")


def test_search_cpt_by_code(db):
    run("load_codesets", "--system", CodeSystem.CPT)

    found = json.loads(run("codes", "search", "cpt", "99213", "--json"))

    assert found["99213"][0]["code"] == "99213"


def test_reindex_rebuilds_every_searchable_release(db):
    run("load_codesets", "--system", CodeSystem.HCPCS)
    release = release_in_force(system=CodeSystem.HCPCS)

    printed = run("codes", "reindex")

    assert f"{release}: " in printed
    assert CodeSearchTerm.objects.filter(release=release).exists()

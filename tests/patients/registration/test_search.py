"""Patient search: partial, any case, by name, date of birth, MRN, member id and old MRN."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from patients.registration.selectors import patient_list
from patients.registration.services import patient_merge
from tests.factories import CoverageFactory, PatientFactory


@pytest.fixture
def smith(practice_a):
    return PatientFactory(
        practice=practice_a,
        first_name="John",
        last_name="Smith",
        mrn="MRN000101",
        date_of_birth=datetime.date(1961, 4, 9),
    )


@pytest.fixture
def others(practice_a):
    return [
        PatientFactory(practice=practice_a, first_name="Joanna", last_name="Goldsmith"),
        PatientFactory(practice=practice_a, first_name="Mary", last_name="Jones"),
        PatientFactory(practice=practice_a, first_name="Peter", last_name="Smithers"),
    ]


def _names(user, query):
    return sorted(f"{p.first_name} {p.last_name}" for p in patient_list(user=user, query=query))


@pytest.mark.parametrize("query", ["smi", "SMITH", "smith john", "smi jo", "Smith, John", "jOhN"])
def test_names_match_partially_in_any_case(front_desk, smith, others, query):
    assert "John Smith" in _names(front_desk, query)


def test_every_term_must_match(front_desk, smith, others):
    assert _names(front_desk, "smi jo") == ["Joanna Goldsmith", "John Smith"]
    assert _names(front_desk, "Smith, J") == ["John Smith"]
    assert _names(front_desk, "jones") == ["Mary Jones"]


@pytest.mark.parametrize("query", ["1961-04-09", "04/09/1961", "smith 04/09/1961"])
def test_date_of_birth_in_either_format(front_desk, smith, others, query):
    assert _names(front_desk, query) == ["John Smith"]


@pytest.mark.parametrize("query", ["MRN000101", "mrn000101", "MRN00010"])
def test_mrn_exact_or_prefix_any_case(front_desk, smith, others, query):
    assert "John Smith" in _names(front_desk, query)


def test_member_id_finds_the_patient(front_desk, smith, others):
    CoverageFactory(patient=smith, member_id="XWZ123456789")
    assert _names(front_desk, "xwz123456789") == ["John Smith"]
    assert _names(front_desk, "XWZ1234") == ["John Smith"]


def test_a_misspelt_name_offers_names_spelt_alike(front_desk, smith, others):
    assert _names(front_desk, "Smyth")[0] == "John Smith"
    assert _names(front_desk, "Qqqqzz") == []


def test_other_practices_patients_are_never_found(front_desk, smith, practice_b):
    PatientFactory(practice=practice_b, first_name="John", last_name="Smith", mrn="MRN000999")
    assert _names(front_desk, "smith") == ["John Smith"]
    assert _names(front_desk, "MRN000999") == []
    assert _names(front_desk, "Smyth") == ["John Smith"]


def test_merged_duplicates_leave_search_and_their_old_mrn_finds_the_kept_chart(
    front_desk, administrator, smith, practice_a
):
    duplicate = PatientFactory(
        practice=practice_a, first_name="Jon", last_name="Smith", mrn="OLD0042",
        date_of_birth=smith.date_of_birth,
    )  # fmt: skip
    patient_merge(keep=smith, duplicate=duplicate, user=administrator)

    assert [p.pk for p in patient_list(user=front_desk, query="smith")] == [smith.pk]
    assert [p.pk for p in patient_list(user=front_desk, query="old0042")] == [smith.pk]
    everyone = patient_list(user=front_desk, query="smith", include_merged=True)
    assert {p.pk for p in everyone} == {smith.pk, duplicate.pk}


def test_search_page_lists_matches_without_n_plus_one(
    client, front_desk, practice_a, django_assert_max_num_queries
):
    for index in range(30):
        patient = PatientFactory(practice=practice_a, last_name=f"Searchable{index:02d}")
        CoverageFactory(patient=patient)
    client.force_login(front_desk)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("patient-list"), {"q": "searchable"})

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 30
    assert "Searchable00" in response.content.decode()


def test_search_page_by_old_mrn_shows_the_kept_chart(client, administrator, smith, practice_a):
    duplicate = PatientFactory(
        practice=practice_a, mrn="OLD0077", date_of_birth=smith.date_of_birth
    )
    patient_merge(keep=smith, duplicate=duplicate, user=administrator)
    client.force_login(administrator)

    page = client.get(reverse("patient-list"), {"q": "OLD0077"}).context["page_obj"]

    assert [p.pk for p in page.object_list] == [smith.pk]

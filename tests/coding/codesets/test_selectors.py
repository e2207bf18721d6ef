"""Code look-ups choose the release in force on the date asked about."""

from __future__ import annotations

from datetime import date

import pytest

from coding.codesets.loader import codeset_release_load
from coding.codesets.records import CodeRecord, ReleaseSpec
from coding.codesets.selectors import (
    code_ancestors,
    code_description,
    code_get,
    code_is_valid,
    release_in_force,
)


@pytest.fixture
def two_hcpcs_releases(db):
    """2026-Q1 has G0001 and G0002; 2026-Q2 renames G0001 and drops G0002."""
    old = codeset_release_load(
        spec=ReleaseSpec("HCPCS", "2026-Q1", date(2026, 1, 1), "test"),
        records=[
            CodeRecord(code="G0001", description="Old wording"),
            CodeRecord(code="G0002", description="Dropped in Q2"),
        ],
    ).release
    new = codeset_release_load(
        spec=ReleaseSpec("HCPCS", "2026-Q2", date(2026, 4, 1), "test"),
        records=[CodeRecord(code="G0001", description="New wording")],
    ).release
    return old, new


def test_code_get_picks_the_release_in_force_on_the_date(two_hcpcs_releases):
    old, new = two_hcpcs_releases

    assert code_get(system="HCPCS", code="G0001", on=date(2026, 3, 31)).release == old
    assert code_get(system="HCPCS", code="G0001", on=date(2026, 4, 1)).release == new
    assert code_get(system="HCPCS", code="G0001").release == new
    assert code_get(system="HCPCS", code="G0001", on=date(2025, 12, 31)) is None


def test_a_dropped_code_is_valid_only_before_it_was_dropped(two_hcpcs_releases):
    assert code_is_valid(system="HCPCS", code="G0002", on=date(2026, 2, 1))
    assert not code_is_valid(system="HCPCS", code="G0002", on=date(2026, 5, 1))
    assert code_description(system="HCPCS", code="g0001", on=date(2026, 2, 1)) == "Old wording"
    assert code_description(system="HCPCS", code="G0002", on=date(2026, 5, 1)) is None


def test_release_in_force(two_hcpcs_releases):
    old, new = two_hcpcs_releases

    assert release_in_force(system="HCPCS", on=date(2026, 1, 1)) == old
    assert release_in_force(system="HCPCS") == new
    assert release_in_force(system="CARC") is None


def test_icd10cm_headers_are_not_valid_on_a_claim(icd10cm):
    on = date(2026, 6, 1)

    assert code_is_valid(system="ICD10CM", code="E11.9", on=on)
    assert code_is_valid(system="ICD10CM", code="e119", on=on)
    assert not code_is_valid(system="ICD10CM", code="E11", on=on)
    assert code_is_valid(system="ICD10CM", code="E11", on=on, billable_only=False)
    assert not code_is_valid(system="ICD10CM", code="E11.9", on=date(2026, 3, 31))


def test_ancestors_walk_up_to_the_category(icd10cm):
    full = code_get(system="ICD10CM", code="S52.501A", on=date(2026, 6, 1))

    assert [code.code for code in code_ancestors(code=full)] == [
        "S52.501", "S52.50", "S52.5", "S52",
    ]  # fmt: skip

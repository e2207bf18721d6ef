"""`manage.py load_codesets`: every shipped set loaded once, versioned, and never half-written."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.management.base import CommandError
from django.db import DataError

from coding.codesets.loader import BATCH_SIZE, codeset_release_load
from coding.codesets.records import CodeRecord, ReleaseSpec
from coding.codesets.selectors import code_get, code_seventh_characters
from coding.models import Code, CodeSetRelease, CodeSystem
from tests.coding.conftest import FIXTURES, run


def test_loading_twice_creates_nothing_new(icd10cm):
    first = run("load_codesets")
    counts = (CodeSetRelease.objects.count(), Code.objects.count())

    second = run("load_codesets")

    assert (CodeSetRelease.objects.count(), Code.objects.count()) == counts
    assert set(CodeSetRelease.objects.values_list("system", flat=True)) == set(CodeSystem.values)
    assert "ICD10CM FY2026-April: already loaded" in first
    assert "HCPCS 2026-Q1 common subset: 335 codes loaded" in first
    assert second.count("already loaded") == len(CodeSystem.values)
    for release in CodeSetRelease.objects.all():
        assert release.code_count == release.codes.count() > 0


def test_the_icd10cm_release_holds_every_code(icd10cm):
    assert (icd10cm.version, icd10cm.effective_date) == ("FY2026-April", date(2026, 4, 1))
    assert icd10cm.code_count == icd10cm.codes.count() == 98_186
    assert icd10cm.codes.filter(billable=True).count() == 74_719


def test_a_billable_code_and_its_category_header(icd10cm):
    e119 = icd10cm.codes.get(code="E11.9")
    e11 = icd10cm.codes.get(code="E11")

    assert (e119.compact, e119.billable, e119.parent) == ("E119", True, "E11")
    assert e119.description == "Type 2 diabetes mellitus without complications"
    assert (e11.billable, e11.parent, e11.short_description) == (
        False,
        "",
        "Type 2 diabetes mellitus",
    )


def test_tabular_notes_are_kept_on_the_code_that_has_them(icd10cm):
    e11 = icd10cm.codes.get(code="E11")
    i10 = icd10cm.codes.get(code="I10")

    assert "type 1 diabetes mellitus (E10.-)" in e11.notes["excludes1"]
    assert "insulin (Z79.4)" in e11.notes["use_additional_code"]
    assert "high blood pressure" in i10.notes["includes"]
    assert i10.notes["excludes2"]


def test_injury_codes_carry_their_seventh_characters(icd10cm):
    s52 = icd10cm.codes.get(code="S52")
    header = icd10cm.codes.get(code="S52.501")
    full = icd10cm.codes.get(code="S52.501A")

    assert s52.notes["seventh_characters"]["A"] == "initial encounter for closed fracture"
    assert s52.notes["seventh_character_note"]
    assert not header.billable
    assert full.billable and full.parent == "S52.501"
    assert full.description.endswith(", initial encounter for closed fracture")
    assert code_seventh_characters(code=full) == s52.notes["seventh_characters"]
    assert icd10cm.codes.filter(code="S02.0XXA", billable=True).exists()


def test_a_later_icd10cm_release_sits_beside_the_old_one(icd10cm):
    output = run(
        "load_codesets",
        "--icd10cm-tabular", str(FIXTURES / "icd10cm-tabular-2027.xml"),
        "--icd10cm-codes", str(FIXTURES / "icd10cm-codes-2027.txt"),
    )  # fmt: skip

    assert output.strip().startswith("ICD10CM FY2027: 12 codes loaded")
    newer = CodeSetRelease.objects.get(system=CodeSystem.ICD10CM, version="FY2027")
    assert newer.effective_date == date(2026, 10, 1)
    assert CodeSetRelease.objects.filter(system=CodeSystem.ICD10CM).count() == 2
    assert code_get(system="ICD10CM", code="E11.9", on=date(2026, 11, 1)).release == newer
    assert code_get(system="ICD10CM", code="E11.9", on=date(2026, 9, 30)).release == icd10cm
    assert code_get(system="ICD10CM", code="I10", on=date(2026, 11, 1)) is None


def test_only_the_systems_asked_for_are_loaded(db):
    output = run("load_codesets", "--system", "CARC", "--system", "CAGC")

    loaded = CodeSetRelease.objects.exclude(system="ICD10CM")  # ICD-10-CM: see conftest
    assert set(loaded.values_list("system", flat=True)) == {"CARC", "CAGC"}
    # The timing in brackets depends on the machine's load; the rest is what an operator reads.
    assert [re.sub(r"\(\d+\.\d s\)", "(_ s)", line) for line in output.splitlines()] == [
        "CARC 2026-01 snapshot: 407 codes loaded (_ s)",
        "CAGC 5010: 5 codes loaded (_ s)",
    ]


def test_a_failure_half_way_leaves_nothing(db):
    spec = ReleaseSpec(
        system="HCPCS", version="broken", effective_date=date(2026, 7, 1), source="t"
    )
    records = [CodeRecord(code=f"A{n:04d}", description="Fine") for n in range(BATCH_SIZE + 1)]
    # The last row, in the second batch, is refused by PostgreSQL (parent is varchar(10)).
    records[-1] = CodeRecord(code="B0001", description="Fine", parent="B0001-TOO-LONG")

    with pytest.raises(DataError, match=r"value too long for type character varying\(10\)"):
        codeset_release_load(spec=spec, records=records)

    assert not CodeSetRelease.objects.filter(system="HCPCS").exists()
    assert not Code.objects.filter(system="HCPCS").exists()


def test_icd10cm_files_without_a_date_in_their_name_need_one(db, tmp_path):
    releases = CodeSetRelease.objects.count()
    tabular = tmp_path / "tabular.xml"
    tabular.write_text((FIXTURES / "icd10cm-tabular-2027.xml").read_text())

    with pytest.raises(CommandError, match="cannot tell the effective date"):
        run(
            "load_codesets",
            "--icd10cm-tabular", str(tabular),
            "--icd10cm-codes", str(FIXTURES / "icd10cm-codes-2027.txt"),
        )  # fmt: skip
    assert CodeSetRelease.objects.count() == releases

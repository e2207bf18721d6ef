"""Reading ICD-10-CM: release dates from file names, and the tabular walked into codes."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from coding.codesets import icd10cm
from coding.codesets.records import CodeSetFileError
from tests.coding.conftest import FIXTURES

TRIMMED = icd10cm.Icd10cmFiles(
    tabular=FIXTURES / "icd10cm-tabular-2027.xml", code_list=FIXTURES / "icd10cm-codes-2027.txt"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("icd10c-tabular-April-1-2026.xml", date(2026, 4, 1)),
        ("code-list-April-2026.txt", date(2026, 4, 1)),
        ("icd10cm-tabular-2027.xml", date(2026, 10, 1)),
        ("icd10cm_tabular_2027.xml", date(2026, 10, 1)),
        ("tabular.xml", None),
    ],
)
def test_the_effective_date_comes_from_the_file_name(name, expected):
    assert icd10cm.effective_date_from_name(name) == expected


def test_versions_name_the_fiscal_year_and_the_update():
    assert icd10cm.version_for(date(2026, 4, 1)) == "FY2026-April"
    assert icd10cm.version_for(date(2025, 10, 1)) == "FY2026"


def test_the_packaged_release_is_fy2026_april():
    (files,) = icd10cm.packaged_files()

    spec = icd10cm.release_spec(files=files)

    assert (spec.system, spec.version, spec.effective_date) == (
        "ICD10CM",
        "FY2026-April",
        date(2026, 4, 1),
    )
    assert files.tabular.name in spec.source


def test_headers_full_codes_and_placeholders_come_out_of_the_tabular():
    records = {record.code: record for record in icd10cm.records(files=TRIMMED)}

    assert sorted(records) == [
        "E11", "E11.9", "S02", "S02.0", "S02.0XXA", "S02.0XXB",
        "S52", "S52.5", "S52.50", "S52.501", "S52.501A", "S52.501S",
    ]  # fmt: skip
    billable = sorted(code for code, record in records.items() if record.billable)
    assert billable == ["E11.9", "S02.0XXA", "S02.0XXB", "S52.501A", "S52.501S"]
    assert records["S52.501A"].parent == "S52.501"
    assert records["S52.501A"].compact == "S52501A"
    assert records["S52.501A"].description == (
        "Unspecified fracture of the lower end of right radius, "
        "initial encounter for closed fracture"
    )
    assert records["E11.9"].parent == "E11" and records["E11"].parent == ""


def test_each_code_keeps_its_own_notes():
    records = {record.code: record for record in icd10cm.records(files=TRIMMED)}

    assert records["E11"].notes == {
        "includes": ["diabetes NOS"],
        "excludes1": ["type 1 diabetes mellitus (E10.-)"],
        "use_additional_code": ["code to identify control using:", "insulin (Z79.4)"],
    }
    assert records["S52"].notes["seventh_characters"] == {
        "A": "initial encounter for closed fracture",
        "B": "initial encounter for open fracture type I or II; "
        "initial encounter for open fracture NOS",
        "S": "sequela",
    }
    assert records["S52.501"].notes == {}
    assert records["E11.9"].notes == {}


def test_a_listed_code_missing_from_the_tabular_is_refused(tmp_path):
    code_list = tmp_path / "icd10cm-codes-2027.txt"
    code_list.write_text(TRIMMED.code_list.read_text() + "Z9999 Not in the tabular\n")

    with pytest.raises(CodeSetFileError, match=r"1 codes are not in icd10cm-tabular-2027\.xml"):
        icd10cm.records(files=icd10cm.Icd10cmFiles(tabular=TRIMMED.tabular, code_list=code_list))


def test_broken_xml_names_the_line(tmp_path):
    tabular = tmp_path / "icd10cm-tabular-2027.xml"
    tabular.write_text(TRIMMED.tabular.read_text().replace("</diag>", "</dag>", 1))
    shutil.copy(TRIMMED.code_list, tmp_path / "codes.txt")

    with pytest.raises(CodeSetFileError, match=r"icd10cm-tabular-2027.xml: line \d+"):
        icd10cm.records(
            files=icd10cm.Icd10cmFiles(tabular=tabular, code_list=tmp_path / "codes.txt")
        )


def test_the_full_packaged_tabular_has_every_code():
    (files,) = icd10cm.packaged_files()

    records = icd10cm.records(files=files)

    # FY2026 April update: CMS counts 74,719 billable codes; the rest are headers.
    assert len(records) == 98_186
    assert sum(record.billable for record in records) == 74_719
    assert len({record.compact for record in records}) == len(records)

"""`import_ncci`: CMS's PTP and MUE files in, bad rows named by line, shipped subsets once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management.base import CommandError

from coding.models import MedicallyUnlikelyEdit, NcciPtpEdit
from tests.coding.conftest import run

pytestmark = pytest.mark.django_db

PTP_HEADER = (
    "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\t"
    "Deletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\t"
    "PTP Edit Rationale"
)
COPYRIGHT = "CPT codes, descriptions and other data only are copyright AMA."
MUE_HEADER = (
    '"HCPCS/\nCPT Code","Practitioner Services MUE Values","MUE Adjudication Indicator",'
    '"MUE Rationale"'
)


def ptp_file(tmp_path, *rows: str):
    path = tmp_path / "ccipra-v321r0-f1.txt"
    path.write_text("\n".join([COPYRIGHT, "", PTP_HEADER, *rows]) + "\n", encoding="cp1252")
    return path


def mue_file(tmp_path, *rows: str):
    path = tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
    path.write_text("\n".join([f'"{COPYRIGHT}",,,', MUE_HEADER, *rows]) + "\n")
    return path


def test_ptp_file_replaces_every_pair(tmp_path):
    NcciPtpEdit.objects.create(
        column1="11111", column2="22222", modifier_indicator="0",
        effective_date=date(2020, 1, 1), source="older quarter",
    )  # fmt: skip
    path = ptp_file(
        tmp_path,
        "93000\t93010\t*\t19960101\t*\t0\tMisuse of column two code with column one code",
        "17000\t11102\t\t20190101\t20251231\t1\tStandards of medical / surgical services",
    )

    out = run("import_ncci", "--ptp", str(path), "--quarter", "2026 Q2")
    run("import_ncci", "--ptp", str(path), "--quarter", "2026 Q2")

    assert "2 edits loaded" in out
    pairs = {(e.column1, e.column2): e for e in NcciPtpEdit.objects.all()}
    assert set(pairs) == {("93000", "93010"), ("17000", "11102")}
    assert pairs["17000", "11102"].deletion_date == date(2025, 12, 31)
    assert pairs["93000", "93010"].source == "CMS NCCI practitioner PTP 2026 Q2"


def test_bad_ptp_row_names_the_line_and_writes_nothing(tmp_path):
    path = ptp_file(
        tmp_path,
        "93000\t93010\t*\t19960101\t*\t0\tMisuse",
        "93000\t93005\t*\t19960101\t*\t5\tMisuse",
    )

    with pytest.raises(CommandError, match=r"line 5: modifier indicator '5'"):
        run("import_ncci", "--ptp", str(path))

    assert not NcciPtpEdit.objects.exists()


def test_mue_file_reads_the_indicator_and_the_date_in_its_name(tmp_path):
    path = mue_file(
        tmp_path,
        '17003,13,"2 Date of Service Edit: Policy","Code Descriptor / CPT Instruction"',
        '20610,2,"1 Line Edit","Anatomic Consideration"',
    )

    run("import_ncci", "--mue", str(path))

    limit = MedicallyUnlikelyEdit.objects.get(code="17003")
    assert (limit.max_units, limit.adjudication_indicator) == (13, "2")
    assert limit.effective_date == date(2026, 4, 1)
    assert MedicallyUnlikelyEdit.objects.count() == 2


def test_bad_mue_value_names_the_line(tmp_path):
    path = mue_file(tmp_path, '17003,many,"2 Date of Service Edit: Policy",Policy')

    with pytest.raises(CommandError, match=r"line 4: MUE value 'many'"):
        run("import_ncci", "--mue", str(path))

    assert not MedicallyUnlikelyEdit.objects.exists()


def test_shipped_subsets_load_once_and_never_over_a_cms_file():
    first = run("import_ncci", "--load-shipped")
    second = run("import_ncci", "--load-shipped")

    assert "rows loaded" in first and second.count("already loaded") == 2
    assert NcciPtpEdit.objects.filter(column1="93000", column2="93010").exists()
    assert MedicallyUnlikelyEdit.objects.get(code="17003").max_units == 13

    NcciPtpEdit.objects.update(source="CMS NCCI practitioner PTP 2026 Q2")
    assert "skipped" in run("import_ncci", "--load-shipped")


def test_nothing_asked_is_an_error():
    with pytest.raises(CommandError, match="--ptp"):
        run("import_ncci")

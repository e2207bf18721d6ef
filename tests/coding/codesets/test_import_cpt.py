"""`manage.py import_cpt`: a practice's licensed CPT file as one release, or nothing."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from coding.codesets.selectors import code_description
from coding.models import CodeSetRelease
from tests.coding.conftest import FIXTURES, run

SAMPLE = FIXTURES / "cpt_licensed_sample.csv"


def import_cpt(path, version="2027 licensed") -> str:
    return run("import_cpt", str(path), "--effective-date", "2027-01-01", "--version", version)


def cpt_releases():
    return CodeSetRelease.objects.filter(system="CPT")


def test_a_csv_with_code_and_description_becomes_a_release(db):
    output = import_cpt(SAMPLE)

    release = cpt_releases().get()
    assert output.startswith("CPT 2027 licensed: 3 codes loaded")
    assert release.source == "Licensed AMA CPT file cpt_licensed_sample.csv"
    assert sorted(release.codes.values_list("code", flat=True)) == ["0001U", "93000", "99213"]
    assert release.codes.get(code="99213").short_description == "Est pt visit low"
    assert release.codes.get(code="0001U").short_description.startswith("Proprietary lab")
    assert import_cpt(SAMPLE).strip() == "CPT 2027 licensed: already loaded"


def test_a_tab_delimited_file_with_other_column_names_is_read(db, tmp_path):
    licensed = tmp_path / "cpt.txt"
    licensed.write_text("CPT Code\tLong Descriptor\n99214\tSample wording for tests\n")

    import_cpt(licensed)

    assert code_description(system="CPT", code="99214") == "Sample wording for tests"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("procedure,text\n99213,Visit\n", r"line 1: expected columns code, description"),
        ("code,description\n99213,Visit\n9921,Too short\n", r"line 3: '9921' is not a CPT code"),
        ("code,description\n99213,Visit\n99214,Visit,extra\n", r"line 3: expected 2 fields"),
        ("code,description\n99213,\n", r"line 2: 99213 has no description"),
        ("code,description\n99213,Visit\n99213,Again\n", r"line 3: 99213 already given on line 2"),
        ("code,description\n", r"no codes after the header row"),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(db, tmp_path, text, message):
    licensed = tmp_path / "cpt.csv"
    licensed.write_text(text)

    with pytest.raises(CommandError, match=message):
        import_cpt(licensed)
    assert not cpt_releases().exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        import_cpt(tmp_path / "nowhere.csv")
    assert not cpt_releases().exists()

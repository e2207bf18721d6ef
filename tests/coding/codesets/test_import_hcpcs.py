"""`manage.py import_hcpcs`: the CMS fixed-width file (or its CSV) as one release, or nothing."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from coding.codesets.selectors import code_get
from coding.models import CodeSetRelease
from tests.coding.conftest import FIXTURES, run

SAMPLE = FIXTURES / "HCPC2026_APR_ANWEB_sample.txt"


def cms_line(code: str, sequence: int, record_id: str, long: str, short: str = "") -> str:
    """One record in the CMS layout: code 1-5, sequence 6-10, id 11, long 12-91, short 92-119."""
    return f"{code:<5}{sequence:05d}{record_id}{long:<80}{short:<28}".ljust(320)


def import_hcpcs(path, version="2026-Q2", effective_date="2026-04-01") -> str:
    return run("import_hcpcs", str(path), "--effective-date", effective_date, "--version", version)


def hcpcs_releases():
    return CodeSetRelease.objects.filter(system="HCPCS")


def test_the_fixed_width_file_becomes_one_release(db):
    output = import_hcpcs(SAMPLE)

    release = hcpcs_releases().get()
    assert output.startswith("HCPCS 2026-Q2: 5 codes loaded")
    assert (release.version, str(release.effective_date)) == ("2026-Q2", "2026-04-01")
    assert release.source == "CMS HCPCS Level II file HCPC2026_APR_ANWEB_sample.txt"
    # The modifier records (AA, GA) are not procedure codes: they are skipped.
    codes = sorted(release.codes.values_list("code", flat=True))
    assert codes == ["A0425", "E0601", "G0438", "J3301", "Q0091"]


def test_continuation_records_extend_the_long_description(db):
    import_hcpcs(SAMPLE)

    awv = code_get(system="HCPCS", code="G0438")
    pap = code_get(system="HCPCS", code="Q0091")
    assert awv.description == (
        "Annual wellness visit; includes a personalized prevention plan of service (pps), "
        "initial visit"
    )
    assert awv.short_description == "Ppps, initial visit"
    assert pap.description.endswith("conveyance of cervical or vaginal smear to laboratory")


def test_importing_the_same_version_again_changes_nothing(db):
    import_hcpcs(SAMPLE)

    assert import_hcpcs(SAMPLE).strip() == "HCPCS 2026-Q2: already loaded"
    assert hcpcs_releases().count() == 1


def test_the_spreadsheet_saved_as_csv_is_read_too(db, tmp_path):
    sheet = tmp_path / "HCPC2026_APR_ANWEB.csv"
    sheet.write_text(
        "HCPC,SEQNUM,RECID,LONG DESCRIPTION,SHORT DESCRIPTION,PRICE1\n"
        'G0438,00100,3,"Annual wellness visit; includes a personalized prevention plan of '
        'service (pps),",Ppps initial visit,11\n'
        "G0438,00200,4,initial visit,,\n"
        "AA,00100,7,Anesthesia services performed personally by anesthesiologist,Anes,\n"
    )

    import_hcpcs(sheet)

    assert code_get(system="HCPCS", code="G0438").description.endswith("(pps), initial visit")
    assert hcpcs_releases().get().code_count == 1


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [cms_line("A0425", 100, "3", "Ground mileage", "Ground mileage"),
             cms_line("G0438", 200, "4", "initial visit")],
            r"line 2: continuation of G0438 without its first line",
        ),
        (
            [cms_line("A0425", 100, "3", "Ground mileage", "Ground mileage"),
             cms_line("A0426", 100, "5", "Als 1")],
            r"line 2: record id '5' is not 3, 4, 7 or 8",
        ),
        (
            [cms_line("A0425", 100, "3", "Ground mileage"), cms_line("99213", 100, "3", "Visit")],
            r"line 2: '99213' is not a HCPCS Level II code",
        ),
        (
            [cms_line("A0425", 100, "3", "Ground mileage"), "G0438 short"],
            r"line 2: record too short",
        ),
        (
            [cms_line("A0425", 100, "3", "Ground mileage"), cms_line("A0425", 100, "3", "Again")],
            r"line 2: A0425 appears twice",
        ),
    ],
)  # fmt: skip
def test_a_malformed_record_names_its_line_and_writes_nothing(db, tmp_path, lines, message):
    bad = tmp_path / "HCPC2026_APR_ANWEB.txt"
    bad.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError, match=message):
        import_hcpcs(bad)
    assert not hcpcs_releases().exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        import_hcpcs(tmp_path / "HCPC2026_APR_ANWEB.txt")
    assert not hcpcs_releases().exists()


def test_a_second_release_on_the_same_date_is_refused(db):
    import_hcpcs(SAMPLE, version="2026-Q2")

    with pytest.raises(CommandError, match="release '2026-Q2' already takes effect on 2026-04-01"):
        import_hcpcs(SAMPLE, version="2026-Q2 corrected")
    assert hcpcs_releases().count() == 1


def test_a_bad_effective_date_is_refused(db):
    with pytest.raises(CommandError, match="not a date"):
        import_hcpcs(SAMPLE, effective_date="April 2026")

"""`manage.py scrub_837`: one JSON object of every file's claims and their edits; an unreadable
file exits non-zero naming its segment and line, never with a traceback."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rcm.x12.claim837 import write_837p
from tests.x12.corpus import CORPUS
from tests.x12.test_claim837 import batch, claim, line

ROOT = Path(__file__).resolve().parents[2]


def scrub(*paths: Path) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("scrub_837", *map(str, paths), "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def files(tmp_path):
    clean = tmp_path / "clean.837"
    clean.write_text(write_837p(batch(claim())))
    bad_npi = dataclasses.replace(batch(claim()).billing_provider, npi="1234567890")
    faulty = tmp_path / "faulty.837"
    faulty.write_text(
        write_837p(
            batch(
                claim(control_number="A1", place_of_service="00", lines=(line("99214"),)),
                claim(control_number="A2", lines=(line("97110"), line("99213", "0"))),
                claim(control_number="A3"),
                claim(control_number="A4"),  # the same service as A3: a repeat in the file
                billing_provider=bad_npi,
            )
        )
        .replace("CLM*A1*125", "CLM*A1*130")
        .replace("HI*ABK:E119~", "HI*ABK:E11.9~", 1)  # A1's
    )
    return clean, faulty


@pytest.mark.django_db
def test_one_json_object_of_files_claims_and_edits(files):
    clean, faulty = files

    result = scrub(clean, faulty)

    assert result[str(clean)] == {"CLM0001": []}
    claims = result[str(faulty)]
    assert list(claims) == ["A1", "A2", "A3", "A4"]
    edits = {number: {e["edit"] for e in found} for number, found in claims.items()}
    assert {"pos.invalid", "total.mismatch", "npi.billing.luhn", "diagnosis.format"} <= edits["A1"]
    assert {"charge.positive", "modifier.therapy"} <= edits["A2"]
    assert "duplicate" not in edits["A3"] and "duplicate" in edits["A4"]
    for found in claims.values():
        for edit in found:
            assert set(edit) == {"edit", "severity", "message"}
            assert edit["severity"] in ("error", "warning") and edit["message"].endswith(".")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"ISA*00*", "ISA segment is incomplete"),
        (None, "no such file"),
    ],
)
def test_an_unreadable_file_is_named_with_the_reason(tmp_path, content, message):
    path = tmp_path / "bad.837"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(CommandError, match=message) as error:
        scrub(path)

    assert str(path) in str(error.value)


@pytest.mark.django_db
def test_a_truncated_file_names_its_segment_and_line(tmp_path, files):
    clean, _ = files
    cut = tmp_path / "cut.837"
    cut.write_text(clean.read_text()[:-40])

    with pytest.raises(CommandError, match=r"truncated.*line \d+"):
        scrub(cut)


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    path = tmp_path / "nul.837"
    path.write_bytes(write_837p(batch(claim())).replace("CLM0001", "CLM\x00001").encode())

    done = subprocess.run(  # noqa: S603 (our own command, our own arguments)
        [sys.executable, "manage.py", "scrub_837", str(path), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert done.returncode == 1
    assert "control character" in done.stderr and "line" in done.stderr
    assert "Traceback" not in done.stderr


CORPUS_837 = sorted((CORPUS / "837P").glob("*")) if (CORPUS / "837P").is_dir() else []


@pytest.mark.django_db
@pytest.mark.skipif(not CORPUS_837, reason="the shared X12 corpus is not beside the checkout")
@pytest.mark.parametrize("path", [p for p in CORPUS_837 if p.is_file()], ids=lambda p: p.name)
def test_corpus_files_scrub_or_are_refused(path):
    try:
        result = scrub(path)
    except CommandError as error:
        assert "line" in str(error)
        return
    assert result[str(path)], "every readable 837P has claims"


@pytest.mark.django_db
@pytest.mark.skipif(not CORPUS_837, reason="the shared X12 corpus is not beside the checkout")
def test_a_clean_sample_from_another_system_has_no_edit():
    example = CORPUS / "837P" / "UHIN_x12-parser-library__837.edi"
    if not example.exists():
        pytest.skip("sample not in this corpus")
    assert all(found == [] for found in scrub(example)[str(example)].values())

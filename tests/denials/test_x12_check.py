"""`manage.py x12_check`: what each file holds or why it is refused, exit 1 on any refusal, and
never a traceback, whatever the file is."""

from __future__ import annotations

import json
import os
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from denials.management.commands.x12_check import report
from rcm.x12.claim837 import write_837p
from tests.denials.fixtures import NORTHWIND, PAYEE_NPI, northwind_bytes, one_claim_payment
from tests.x12.test_claim837 import batch, claim
from tests.x12.test_corpus import CORPUS, EXPECTED
from tests.x12.test_fuzz import EXAMPLES, mutated_files

X12_FIXTURES = Path(__file__).resolve().parents[1] / "x12" / "fixtures"


def run(*files: str | Path, as_json: bool = True) -> tuple[int, Any]:
    """(exit status, the JSON or the text printed) of x12_check on `files`."""
    out, err = StringIO(), StringIO()
    args = [str(f) for f in files] + (["--json"] if as_json else [])
    try:
        call_command("x12_check", *args, stdout=out, stderr=err)
        status = 0
    except CommandError as error:
        status = error.returncode
        assert str(error).endswith("refused")
    return status, json.loads(out.getvalue()) if as_json else out.getvalue()


def test_a_readable_835_reports_envelopes_types_and_counts():
    status, result = run(NORTHWIND)

    assert status == 0
    report = result[str(NORTHWIND)]
    assert report["readable"] is True
    assert report["size"] == len(northwind_bytes())
    [interchange] = report["interchanges"]
    assert interchange["control"] == "000000201"
    assert interchange["sender"] == {"qualifier": "ZZ", "id": "NORTHWIND"}
    assert interchange["receiver"] == {"qualifier": "ZZ", "id": "RCMTEST"}
    assert (interchange["usage"], interchange["version"]) == ("T", "00501")
    [group] = interchange["groups"]
    assert (group["control"], group["functional_id"], group["version"]) == (
        "201",
        "HP",
        "005010X221A1",
    )
    assert group["transactions"] == [
        {
            "type": "835",
            "control": "0001",
            "segments": 48,
            "holds": {
                "payments": 1,
                "claims": 6,
                "service_lines": 5,
                "provider_adjustments": 1,
                "paid": "501.10",
            },
        }
    ]
    assert report["transactions"] == {"835": 1}
    assert report["holds"]["835"]["claims"] == 6


@pytest.mark.parametrize(
    ("fixture", "kind", "holds"),
    [
        ("synthetic_999.txt", "999", {"acknowledgments": 1, "transactions_acknowledged": 2}),
        ("synthetic_277ca.txt", "277CA", {"claims": 2, "accepted": 1, "rejected": 1}),
        ("synthetic_277.txt", "277", {"claims": 3, "finalized": 2}),
        ("synthetic_271.txt", "271", {"responses": 1, "active": 1}),
    ],
)
def test_each_kind_reports_what_it_holds(fixture, kind, holds):
    status, result = run(X12_FIXTURES / fixture)

    assert status == 0
    report = result[str(X12_FIXTURES / fixture)]
    assert report["transactions"] == {kind: 1}
    assert holds.items() <= report["holds"][kind].items()


def test_an_837p_we_write_reports_its_claims(tmp_path):
    path = tmp_path / "out.837"
    path.write_text(write_837p(batch(claim(), claim(control_number="CLM0002"))))

    status, result = run(path)

    assert status == 0
    holds = result[str(path)]["holds"]["837P"]
    assert (holds["claims"], holds["service_lines"], holds["billing_providers"]) == (2, 2, 1)
    assert holds["charge"] == "250.00"


def test_a_refused_file_names_segment_and_line(tmp_path):
    broken = tmp_path / "broken.835"
    broken.write_bytes(northwind_bytes().replace(b"SE*48*0001", b"SE*47*0001"))

    status, result = run(broken)

    assert status == 1
    assert result[str(broken)] == {
        "readable": False,
        "error": "SE01 says 47 segments, found 48 (segment SE #50 line 50)",
        "message": "SE01 says 47 segments, found 48",
        "segment": "SE",
        "segment_index": 50,
        "line": 50,
    }


def test_an_unbalanced_835_is_refused_as_the_inbox_would(tmp_path):
    path = tmp_path / "unbalanced.835"
    path.write_bytes(northwind_bytes().replace(b"BPR*I*501.1*", b"BPR*I*600*"))

    status, result = run(path)

    assert status == 1
    assert result[str(path)]["error"].startswith("the 835 does not balance: remittance 0001")


def test_an_835_with_amounts_too_large_for_the_books_is_refused(tmp_path):
    path = tmp_path / "huge.835"
    content = one_claim_payment(trace="T1", npi=PAYEE_NPI).replace(b"*80*", b"*10000000000*")
    path.write_bytes(content.replace(b"*80*0*", b"*10000000000*0*"))

    status, result = run(path)

    assert status == 1
    assert "amounts too large to post" in result[str(path)]["error"]


def hostile_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, what the refusal says)."""
    files: dict[str, tuple[Path, str]] = {}

    def make(name: str, content: bytes, says: str) -> None:
        path = tmp_path / name
        path.write_bytes(content)
        files[name] = (path, says)

    make("empty", b"", "the file is empty")
    make("blank", b" \r\n\t\n", "the file is empty")
    make("binary", bytes(range(256)) * 64, "does not start with ISA")
    make("nul", b"\x00" * 1000, "does not start with ISA")
    make("nul-inside", northwind_bytes().replace(b"DOE", b"D\x00E"), "control character '\\x00'")
    make("not-x12", b"%PDF-1.7\n<< /Type /Catalog >>\n", "does not start with ISA")
    make("json", b'{"ISA": 1}', "does not start with ISA")
    make("utf16", northwind_bytes().decode().encode("utf-16"), "does not start with ISA")
    make("truncated", northwind_bytes()[:500], "truncated")
    make("isa-only", northwind_bytes()[:106], "ISA")
    make("unicode-count", northwind_bytes().replace(b"GE*1*", "GE*²*".encode()), "GE01")
    make("huge-count", northwind_bytes().replace(b"IEA*1*", b"IEA*" + b"9" * 5000 + b"*"), "IEA01")
    make("no-group", northwind_bytes()[:107] + b"IEA*0*000000201~\n", "no functional group")
    missing = tmp_path / "missing.835"
    files["missing"] = (missing, "cannot be read: no such file")
    folder = tmp_path / "folder"
    folder.mkdir()
    files["directory"] = (folder, "cannot be read: it is a directory")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    files["fifo"] = (fifo, "cannot be read: not a regular file")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    files["symlink-loop"] = (loop, "cannot be read: ")
    files["device"] = (Path("/dev/zero"), "cannot be read: not a regular file")
    return files


def test_hostile_files_are_each_refused_with_a_reason_and_no_traceback(tmp_path):
    files = hostile_files(tmp_path)

    status, result = run(*(path for path, _ in files.values()))

    assert status == 1
    for name, (path, says) in files.items():
        report = result[str(path)]
        assert report["readable"] is False, name
        assert says in report["error"], (name, report["error"])
        assert "Traceback" not in report["error"]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    from denials.management.commands import x12_check

    monkeypatch.setattr(x12_check, "MAX_BYTES", 1000)
    path = tmp_path / "big.835"
    path.write_bytes(northwind_bytes())

    status, result = run(path)

    assert status == 1
    assert result[str(path)]["error"] == (
        f"cannot be read: {len(northwind_bytes()):,} bytes is over the 1,000 limit"
    )


def test_one_refused_file_among_readable_ones_exits_1_and_reports_all(tmp_path):
    missing = tmp_path / "missing.835"

    status, result = run(NORTHWIND, missing, X12_FIXTURES / "synthetic_999.txt")

    assert status == 1
    assert [r["readable"] for r in result.values()] == [True, False, True]


def test_a_large_file_is_read(tmp_path):
    lines = northwind_bytes().decode().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("CLP*CLM7781"))
    end = next(i for i, line in enumerate(lines) if line.startswith("CLP*CLM7782"))
    copies = 2000
    body = lines[:start] + lines[start:end] * copies + lines[start:]
    body = [
        f"SE*{48 + (end - start) * copies}*0001~" if line.startswith("SE*") else line
        for line in body
    ]
    path = tmp_path / "large.835"
    path.write_text("\n".join(body) + "\n")

    status, result = run(path)

    assert status == 1  # the copies pay more than BPR02 says
    assert result[str(path)]["error"].startswith("the 835 does not balance")


def test_the_text_output_says_what_each_file_holds(tmp_path):
    missing = tmp_path / "missing.835"

    status, text = run(NORTHWIND, missing, as_json=False)

    assert status == 1
    assert f"{NORTHWIND}: readable, 1 interchange: 1 835" in text
    assert "interchange 000000201 from ZZ:NORTHWIND to ZZ:RCMTEST" in text
    assert "835 0001 (48 segments): payments 1, claims 6, service lines 5" in text
    assert f"{missing}: REFUSED: cannot be read: no such file" in text


# --- the shared corpus of public samples --------------------------------------------------------

# What the inbox refuses and the readers alone accept: these two de-identified samples do not
# balance (their claims' adjustments exceed the charges).
UNBALANCED = {
    ("835", "Inteligenz_X12Parser__835_WithMultipleInterchanges.txt"),
    ("835", "Inteligenz_X12Parser__ExampleFromNth.txt"),
}
# Readable 837P, 270 and 276 samples (the others break the envelope counts, on purpose or not).
LINUX_FOR_HEALTH_837P = (
    "demo", "demo.ambulance.example5", "demo.autoaccident", "demo.cob.2ndary.example4",
    "demo.cob.example3.A", "demo.cob.example3.B", "demo.cob.example3.C", "demo.cob.example4",
    "demo.drug.example10.1", "demo.drug.example10.2", "demo.drug.example10.3", "demo.example1",
    "demo.example11", "demo.example12", "demo.example2", "demo.example7", "demo.example8",
    "demo.example9",
)  # fmt: skip
READABLE_OTHERS = {
    "270": {
        "LinuxForHealth_x12__dependent-health-benefit-check.270",
        "LinuxForHealth_x12__subscriber-health-benefit-check.270",
    },
    "276": {
        "LinuxForHealth_x12__claim-level-status.276",
        "LinuxForHealth_x12__demo.276",
        "LinuxForHealth_x12__provider-level-status.276",
    },
    "837P": {
        "Inteligenz_X12Parser__Example1_2_And_3_Combined.txt",
        "Inteligenz_X12Parser__Example1_HealthInsurance.txt",
        "Inteligenz_X12Parser__Example2_Encounter.txt",
        "Inteligenz_X12Parser__Example3_COB.txt",
        "Inteligenz_X12Parser__MedicaidExample.txt",
        "Inteligenz_X12Parser__MissingEntityCode.txt",
        "Inteligenz_X12Parser__ST1309-XX.txt",
        "UHIN_x12-parser-library__837.edi",
        *(f"LinuxForHealth_x12__{name}.837" for name in LINUX_FOR_HEALTH_837P),
    },
}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".md", ".xml", ".csv")
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared X12 corpus is not on this machine")
def test_every_corpus_file_gets_its_expected_verdict():
    files = corpus_files()

    status, result = run(*files)

    assert status == 1  # the corpus holds broken files on purpose
    assert len(result) == len(files) >= 90
    for path in files:
        report = result[str(path)]
        folder = path.parent.name if path.parent.name != "negative" else "negative"
        key = (folder, path.name)
        if key in UNBALANCED:
            assert report["error"].startswith("the 835 does not balance"), key
        elif key in EXPECTED:
            outcome, fragment = EXPECTED[key]
            assert report["readable"] is (outcome == "parse"), (key, report.get("error"))
            if outcome == "refuse":
                assert fragment in report["error"], key
        elif folder == "negative":
            assert report["readable"] is False, key
        else:
            assert report["readable"] is (path.name in READABLE_OTHERS[folder]), key
        if not report["readable"]:
            assert report["error"] and "Traceback" not in report["error"]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_files() | st.binary(max_size=2000))
def test_whatever_a_file_holds_the_report_is_a_verdict(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.x12"
        path.write_bytes(data)

        result = report(path)

    assert isinstance(result["readable"], bool)
    if not result["readable"]:
        assert result["error"] and len(result["error"]) < 1000
        assert not result["error"].startswith("cannot be read: "), result["error"]
    json.dumps(result)

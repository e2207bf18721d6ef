"""`manage.py denial_risk fit|score`: learn from 837P + 835 history, find the payers' hidden rules
in a history it has not seen, and refuse bad files and empty histories in words."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest
from django.core.management import CommandError, call_command

from bench.denial_history import DRIFT, NOT_CREDENTIALED, RULES, history_write
from denials.risk import (
    FEATURE_VERSION,
    History,
    RiskError,
    auc,
    metadata_path,
    model_fit,
    model_load,
    remit_outcome,
)
from rcm.x12.era835 import Adjustment, ClaimPayment, ServiceLine
from tests.x12.pyx12_check import pyx12_errors

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> Any:
    out, err = StringIO(), StringIO()
    call_command("denial_risk", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()) if "--json" in args else out.getvalue()


def files(folder: Path, kind: str) -> list[str]:
    return [str(p) for p in sorted(folder.glob(f"*.{kind}"))]


@pytest.fixture(scope="module")
def histories(tmp_path_factory):
    """A training history (base rules) and a held-out one (other seed, drifted rules)."""
    root = tmp_path_factory.mktemp("risk")
    train, test = root / "train", root / "test"
    history_write(train, claims=1500, seed=11, rules=RULES)
    truth = history_write(test, claims=800, seed=12, rules=DRIFT)
    return train, test, truth


@pytest.fixture(scope="module")
def fitted(histories, tmp_path_factory):
    train, _, _ = histories
    model = tmp_path_factory.mktemp("model") / "risk.joblib"
    summary = run(
        "fit", "--claims", *files(train, "837"), "--remits", *files(train, "835"),
        "--model-out", str(model), "--json",
    )  # fmt: skip
    return model, summary


def score(model: Path, claim_files: list[str]) -> dict[str, Any]:
    return run("score", "--model", str(model), "--claims", *claim_files, "--json")


# The contract ----------------------------------------------------------------------------------


def test_the_generated_files_pass_pyx12(histories):
    train, _, _ = histories

    assert pyx12_errors(train / "claims_001.837") == []
    assert pyx12_errors(train / "remits_001.835") == []


def test_fit_learns_from_every_answered_claim_and_writes_model_and_metadata(fitted):
    model, summary = fitted

    assert summary["training_claims"] == 1500
    assert summary["left_out_without_835"] == 0
    assert 0 < summary["denied_claims"] < 1500
    assert summary["feature_version"] == FEATURE_VERSION
    assert json.loads(metadata_path(model).read_text())["training_claims"] == 1500


def test_score_gives_every_claim_a_risk_and_reasons(fitted, histories):
    model, _ = fitted
    _, test, truth = histories

    scored = score(model, files(test, "837"))

    assert set(scored) == set(truth)
    for found in scored.values():
        assert set(found) == {"risk", "reasons"}
        assert 0.0 <= found["risk"] <= 1.0
        assert 1 <= len(found["reasons"]) <= 4
        assert all(isinstance(r, str) and r for r in found["reasons"])


def test_the_hidden_rules_are_found_in_a_history_the_model_never_saw(fitted, histories):
    model, _ = fitted
    _, test, truth = histories
    scored = score(model, files(test, "837"))

    def mean_risk(rule: str) -> float:
        risks = [scored[n]["risk"] for n, t in truth.items() if rule in t["rules"]]
        assert len(risks) >= 5, rule
        return sum(risks) / len(risks)

    paid = [scored[n]["risk"] for n, t in truth.items() if not t["rules"]]
    paid_mean = sum(paid) / len(paid)
    for rule in ("C: provider not credentialed", "D: late filing"):
        assert mean_risk(rule) > 0.5 > 3 * paid_mean, rule

    # The reasons name the fact the payer acts on.
    late = [n for n, t in truth.items() if t["rules"] == ["D: late filing"]]
    assert any("DELTA CARE" in r and "after the service" in r for r in scored[late[0]]["reasons"])
    uncredentialed = [n for n, t in truth.items() if t["rules"] == ["C: provider not credentialed"]]
    first = scored[uncredentialed[0]]["reasons"][0]
    assert "CEDAR MUTUAL" in first and NOT_CREDENTIALED in first


def test_claims_with_no_835_are_left_out_and_counted(histories, tmp_path):
    train, _, _ = histories
    claims, remits = files(train, "837"), files(train, "835")

    summary = run(
        "fit", "--claims", *claims, "--remits", *remits[:-3], "--model-out",
        str(tmp_path / "m.joblib"), "--json",
    )  # fmt: skip

    answered = sum(1 for _ in _clp01s(remits[:-3]))
    assert summary["training_claims"] == answered
    assert summary["left_out_without_835"] == 1500 - answered > 0


def _clp01s(remits: list[str]):
    for name in remits:
        for segment in Path(name).read_text().split("~"):
            if segment.strip().startswith("CLP*"):
                yield segment


# Labels ----------------------------------------------------------------------------------------


def _line(paid: str, *adjustments: tuple[str, str, str]) -> ServiceLine:
    cas = [Adjustment(g, r, Decimal(a)) for g, r, a in adjustments]
    return ServiceLine("HC", "97110", [], Decimal("100"), Decimal(paid), adjustments=cas)


def _payment(status: str, *lines: ServiceLine) -> ClaimPayment:
    paid = sum((line.paid for line in lines), Decimal(0))
    return ClaimPayment("C1", status, Decimal(100) * len(lines), paid, service_lines=list(lines))


def test_a_line_the_payer_refused_is_a_denial_but_the_deductible_is_not():
    refused = _payment("1", _line("70", ("CO", "45", "30")), _line("0", ("CO", "4", "100")))
    deductible = _payment("1", _line("0", ("CO", "45", "30"), ("PR", "1", "70")))

    assert remit_outcome(refused).denied is True
    assert remit_outcome(refused).denied_dollars == Decimal("100")
    assert remit_outcome(deductible).denied is False
    assert remit_outcome(_payment("4", _line("0", ("CO", "197", "100")))).denied_dollars == 100


# Hostile input and empty histories -------------------------------------------------------------


def _refused(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 1
    return str(caught.value)


@pytest.mark.parametrize(
    "content, said",
    [
        (b"ISA*00*garbage~", "segment"),
        (b"\x00\x01\x02 not x12 at all", "cannot be read as an 837P"),
        (b"", "the file is empty"),
    ],
)
def test_an_unreadable_837_is_named_with_its_place(histories, tmp_path, content, said):
    train, _, _ = histories
    bad = tmp_path / "bad.837"
    bad.write_bytes(content)

    message = _refused(
        "fit", "--claims", *files(train, "837")[:1], str(bad), "--remits",
        *files(train, "835")[:1], "--model-out", str(tmp_path / "m.joblib"),
    )  # fmt: skip

    assert message.startswith(f"{bad}: ") and said in message
    assert not (tmp_path / "m.joblib").exists()


def test_an_835_given_as_claims_and_a_837_given_as_remits_are_refused(histories, tmp_path):
    train, _, _ = histories
    claims, remits = files(train, "837")[:1], files(train, "835")[:1]
    out = str(tmp_path / "m.joblib")

    swapped = _refused("fit", "--claims", *remits, "--remits", *claims, "--model-out", out)

    assert swapped.startswith(f"{remits[0]}: cannot be read as an 837P")
    assert "line" in swapped


def test_an_835_with_a_broken_segment_names_segment_and_line(histories, tmp_path):
    train, _, _ = histories
    text = Path(files(train, "835")[0]).read_text().replace("CLP*", "CLP*X*1*ABC*", 1)
    bad = tmp_path / "bad.835"
    bad.write_text(text)

    message = _refused(
        "fit", "--claims", *files(train, "837")[:1], "--remits", str(bad), "--model-out",
        str(tmp_path / "m.joblib"),
    )  # fmt: skip

    assert message.startswith(f"{bad}: cannot be read as an 835") and "segment CLP" in message


def test_remits_that_match_no_claim_are_said_to(histories, tmp_path):
    train, _, _ = histories
    claims, remits = files(train, "837"), files(train, "835")

    message = _refused(
        "fit", "--claims", claims[0], "--remits", remits[-1], "--model-out",
        str(tmp_path / "m.joblib"),
    )  # fmt: skip

    assert "none of the" in message and "matches a claim" in message


def test_an_empty_history_cannot_be_learned_from():
    empty = History([], labels=np.zeros(0, dtype=np.int8), left_out=0, unmatched_remits=0)

    with pytest.raises(RiskError, match="cannot learn from nothing"):
        model_fit(history=empty, when=datetime(2026, 1, 1, tzinfo=UTC))


def test_an_837_with_no_claim_cannot_be_learned_from(histories, tmp_path):
    train, _, _ = histories
    segments = Path(files(train, "837")[0]).read_text().split("~")
    header = segments[: next(i for i, s in enumerate(segments) if s.strip().startswith("HL*"))]
    element = {s.strip()[:3]: s.strip().split("*") for s in header}
    st = next(i for i, s in enumerate(header) if s.strip().startswith("ST*"))
    empty = tmp_path / "empty.837"
    tail = [
        f"SE*{len(header) - st + 1}*{element['ST*'][2]}",
        f"GE*1*{element['GS*'][6]}",
        f"IEA*1*{element['ISA'][13]}",
    ]
    empty.write_text("~".join([*header, *tail]) + "~")

    message = _refused(
        "fit", "--claims", str(empty), "--remits", files(train, "835")[0], "--model-out",
        str(tmp_path / "m.joblib"),
    )  # fmt: skip

    assert "cannot learn from nothing: the 837 files hold no claim" in message


def test_no_traceback_from_the_command_line(tmp_path):
    bad = tmp_path / "bad.837"
    bad.write_bytes(b"\xff\xfe garbage")

    done = subprocess.run(  # noqa: S603  # our own manage.py, our own arguments
        [sys.executable, str(ROOT / "manage.py"), "denial_risk", "score", "--model",
         str(tmp_path / "none.joblib"), "--claims", str(bad), "--json"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip

    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "no such model file" in done.stderr


# The model file --------------------------------------------------------------------------------


def test_the_model_file_round_trips(fitted, histories):
    model_file, _ = fitted
    _, test, _ = histories
    claims = files(test, "837")[:2]

    loaded = model_load(model_file)

    assert loaded.metadata["training_claims"] == 1500
    assert score(model_file, claims) == score(model_file, claims)


def test_a_model_from_a_newer_version_is_refused_in_words(fitted, tmp_path):
    model_file, _ = fitted
    newer = tmp_path / "newer.joblib"
    payload = joblib.load(model_file)
    payload["metadata"] = dict(payload["metadata"], feature_version=FEATURE_VERSION + 1)
    joblib.dump(payload, newer)

    with pytest.raises(
        RiskError, match=f"feature version {FEATURE_VERSION + 1}.*fit the model again"
    ):
        model_load(newer)


def test_a_newer_metadata_file_is_refused_before_the_model_is_opened(fitted, tmp_path):
    model_file, _ = fitted
    newer = tmp_path / "newer.joblib"
    newer.write_bytes(b"not even a pickle")
    meta = json.loads(metadata_path(model_file).read_text())
    metadata_path(newer).write_text(json.dumps(dict(meta, feature_version=99)))

    with pytest.raises(RiskError, match="feature version 99"):
        model_load(newer)


def test_a_file_that_is_no_model_is_refused(tmp_path):
    junk = tmp_path / "junk.joblib"
    junk.write_bytes(b"\x00garbage")
    other = tmp_path / "other.joblib"
    joblib.dump({"hello": date(2026, 1, 1)}, other)

    assert "not a denial-risk model" in _refused(
        "score", "--model", str(junk), "--claims", str(junk)
    )
    with pytest.raises(RiskError, match="not a denial-risk model"):
        model_load(other)


def test_auc_counts_ties_as_half():
    assert auc([0, 1], [0.1, 0.9]) == 1.0
    assert auc([1, 0], [0.1, 0.9]) == 0.0
    assert auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]) == 0.875

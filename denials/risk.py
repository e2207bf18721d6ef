"""Denial risk before submission: learn from sent 837Ps and their 835s, score new claims.

The model is a regularized logistic regression over one-hot claim facts (payer, procedures,
modifiers, diagnoses and their categories, place of service, rendering provider, days from service
to submission, prior authorization, lines, charge, frequency, secondary) and the interactions a
payer's own edits follow (payer x procedure, payer x procedure x modifiers, payer x diagnosis
category, payer x provider, payer x lateness, payer x procedure without prior authorization).
Each fact that raises a claim's risk is explained with what the history showed for it: how many
training claims had it and what share of them were denied, so a reason never claims more than
the payer's own answers did.

A claim is *denied* (see docs/DENIAL-RISK.md) when its 835 CLP02 is 4, or when some service line
was paid nothing while the patient owes nothing for it and a CO/OA/PI adjustment took it (the
payer refused the line; a line paid 0 because of the deductible is not a denial). Its *denied
dollars* are the charges of the refused lines (all of CLP03 when CLP02 is 4).

The model file holds plain data (a vocabulary, coefficients, counts), never a pickled estimator,
so reading it does not depend on the scikit-learn version that fitted it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse

from rcm.x12.era835 import ClaimPayment, Remittance
from rcm.x12.read837 import ClaimRead, Transaction837P

FORMAT = "rcm.denial-risk"
FEATURE_VERSION = 1
ZERO = Decimal("0")
DENIED_STATUS = "4"
REVERSAL_STATUS = "22"
PAYER_GROUPS = frozenset({"CO", "OA", "PI"})  # adjustments nobody bills the patient for
MIN_CLAIMS_PER_FACT = 3  # a fact seen on fewer training claims tells nothing
REGULARIZATION_C = 1.0
MAX_REASONS = 4
MIN_REASONS = 2
CLEARLY_ABOVE = 1.2  # a fact shown as a reason was denied at least 1.2 times as often
REASON_WEIGHT = 0.25  # a coefficient below this moves the odds by under 30%: not a reason
# Timely-filing limits are commonly 90, 180 and 365 days; the buckets end on them.
LAG_BUCKETS: tuple[tuple[int, str], ...] = (
    (30, "0-30 days"),
    (60, "31-60 days"),
    (90, "61-90 days"),
    (120, "91-120 days"),
    (180, "121-180 days"),
    (365, "181-365 days"),
)
CHARGE_BUCKETS: tuple[tuple[int, str], ...] = (
    (100, "under $100"),
    (250, "$100-$250"),
    (500, "$250-$500"),
    (1000, "$500-$1,000"),
    (2500, "$1,000-$2,500"),
)
FREQUENCY_NAMES = {"1": "original", "7": "replacement", "8": "void"}


class RiskError(Exception):
    """Why the history cannot be learned from, or a model file cannot be used, in words."""


@dataclass(frozen=True)
class Outcome:
    """What the payer decided on one claim, as the label for training."""

    denied: bool
    denied_dollars: Decimal
    charge: Decimal


@dataclass(frozen=True)
class ClaimFacts:
    """One claim's facts: feature key -> the words that describe claims having it."""

    control_number: str
    facts: dict[str, str]
    charge: Decimal = ZERO


# Labels from the 835 ---------------------------------------------------------------------------


def _line_refused(line: Any) -> bool:
    patient = sum((a.amount for a in line.adjustments if a.group == "PR"), ZERO)
    payer = sum((a.amount for a in line.adjustments if a.group in PAYER_GROUPS), ZERO)
    return line.charge > 0 and line.paid == 0 and patient == 0 and payer > 0


def remit_outcome(claim: ClaimPayment) -> Outcome:
    """Denied or not, and how many dollars were refused, for one CLP."""
    if claim.status_code == DENIED_STATUS:
        return Outcome(True, claim.charge, claim.charge)
    if not claim.service_lines:
        refused = claim.charge > 0 and claim.paid == 0 and claim.patient_responsibility == 0
        return Outcome(refused, claim.charge if refused else ZERO, claim.charge)
    dollars = sum((line.charge for line in claim.service_lines if _line_refused(line)), ZERO)
    return Outcome(dollars > 0, dollars, claim.charge)


def outcomes_from_remits(remittances: Iterable[Remittance]) -> dict[str, Outcome]:
    """CLP01 -> the payer's latest decision; reversals (CLP02 22) are not decisions."""
    found: dict[str, Outcome] = {}
    for remittance in remittances:
        for claim in remittance.claims:
            if claim.status_code != REVERSAL_STATUS:
                found[claim.control_number] = remit_outcome(claim)
    return found


# Facts from the claim --------------------------------------------------------------------------


def _bucket(value: float, buckets: Sequence[tuple[int, str]], last: str) -> str:
    return next((name for limit, name in buckets if value <= limit), last)


def _payer_label(read: ClaimRead) -> tuple[str, str]:
    payer = read.claim.payer
    key = payer.payer_id.strip().upper() or payer.name.strip().upper() or "?"
    name = payer.name.strip() or "the payer"
    return key, f"{name} ({payer.payer_id})" if payer.payer_id else name


def claim_facts(read: ClaimRead, submitted: date | None) -> ClaimFacts:
    """The claim's features with their descriptions; `submitted` is the 837's creation date."""
    claim = read.claim
    payer, p = _payer_label(read)
    facts: dict[str, str] = {f"payer={payer}": f"{p} denies claims"}

    def add(key: str, words: str, payer_words: str | None = None) -> None:
        facts[key] = words
        if payer_words is not None:
            facts[f"{payer}|{key}"] = f"{p} denies {payer_words}"

    authorized = bool(claim.prior_authorization or read.line_prior_authorizations)
    for line in claim.lines:
        code = line.procedure_code.strip().upper()
        mods = "+".join(sorted(m.strip().upper() for m in line.modifiers if m.strip()))
        add(f"proc={code}", f"{code} is denied", code)
        with_mods = f"{code} with modifier {mods}" if mods else f"{code} without a modifier"
        add(f"procmod={code}/{mods}", f"{with_mods} is denied", with_mods)
        for modifier in mods.split("+") if mods else ():
            add(f"mod={modifier}", f"modifier {modifier} is denied")
        if not authorized:
            facts[f"{payer}|noauth={code}"] = f"{p} denies {code} without prior authorization"
    for diagnosis in claim.diagnoses:
        dx = diagnosis.replace(".", "").strip().upper()
        add(f"dx={dx}", f"diagnosis {dx} is denied")
        add(f"dxcat={dx[:3]}", f"a diagnosis in {dx[:3]} is denied", f"diagnoses in {dx[:3]}")
    pos = claim.place_of_service or "?"
    add(f"pos={pos}", f"place of service {pos} is denied", f"place of service {pos}")
    npis = {claim.rendering_provider.npi} if claim.rendering_provider else set()
    npis |= {npi for _, npi in read.line_rendering_npis}
    for npi in npis or {read.billing_provider.npi}:
        add(f"npi={npi}", f"care rendered by NPI {npi} is denied", f"care rendered by NPI {npi}")
    service = min((line.service_date for line in claim.lines), default=None)
    if submitted is not None and service is not None and service != date.min:
        lag = _bucket((submitted - service).days, LAG_BUCKETS, "over 365 days")
        add(
            f"lag={lag}",
            f"a claim sent {lag} after the service is denied",
            f"claims sent {lag} after the service",
        )
    if authorized:
        add("auth=yes", "a claim with prior authorization is denied")
    else:
        add(
            "auth=no",
            "a claim without prior authorization is denied",
            "claims without prior authorization",
        )
    count = len(claim.lines)
    add(
        f"lines={min(count, 4)}",
        f"a claim of {count if count < 4 else '4 or more'} lines is denied",
    )
    charge = claim.total_charge
    amount = _bucket(float(charge), CHARGE_BUCKETS, "over $2,500")
    add(f"charge={amount}", f"a claim charging {amount} is denied")
    frequency = claim.frequency or "1"
    kind = FREQUENCY_NAMES.get(frequency, f"frequency {frequency}")
    add(f"freq={frequency}", f"a {kind} claim (frequency {frequency}) is denied", f"{kind} claims")
    if claim.other_coverage is not None or claim.responsibility not in ("", "P"):
        add(
            "secondary=yes", "a claim after another payer (secondary) is denied", "secondary claims"
        )
    return ClaimFacts(claim.control_number, facts, charge)


def facts_from_837(transactions: Iterable[Transaction837P]) -> list[ClaimFacts]:
    """Every claim of the transactions, dated by the transaction's BHT creation date."""
    return [
        claim_facts(read, transaction.created)
        for transaction in transactions
        for read in transaction.claims
    ]


# The model -------------------------------------------------------------------------------------


@dataclass
class RiskModel:
    """What `score` needs, as plain data: vocabulary, weights and what each fact showed."""

    vocabulary: dict[str, int]
    coefficients: np.ndarray
    intercept: float
    descriptions: list[str]
    claims_with: np.ndarray  # training claims having each fact
    denied_with: np.ndarray  # of them, denied
    base_rate: float
    metadata: dict[str, Any] = field(default_factory=dict)

    def matrix(self, claims: Sequence[ClaimFacts]) -> sparse.csr_matrix:
        rows, columns = [], []
        for row, facts in enumerate(claims):
            for key in facts.facts:
                column = self.vocabulary.get(key)
                if column is not None:
                    rows.append(row)
                    columns.append(column)
        data = np.ones(len(rows), dtype=np.float64)
        shape = (len(claims), len(self.vocabulary))
        return sparse.csr_matrix((data, (rows, columns)), shape=shape)

    def risks(self, claims: Sequence[ClaimFacts]) -> np.ndarray:
        """The probability of denial of each claim."""
        if not claims:
            return np.zeros(0)
        logits = self.matrix(claims) @ self.coefficients + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def reasons(self, facts: ClaimFacts) -> list[str]:
        """The 2 to 4 facts that raise this claim's risk most, with what the history showed.

        A payer's fact (payer x procedure, payer x provider ...) is measured against that
        payer's own denial rate, so a payer that denies a lot is not blamed on a code; when it
        is chosen, the same fact without the payer is not repeated.
        """
        found = []
        for key in facts.facts:
            column = self.vocabulary.get(key)
            if column is None or self.coefficients[column] <= 0:
                continue
            baseline, whose = self.base_rate, "all claims"
            payer, bar, _ = key.partition("|")
            parent = self.vocabulary.get(f"payer={payer}") if bar else None
            if parent is not None:
                baseline, whose = self._rate(parent), "this payer's claims"
            rate = self._rate(column)
            if rate >= baseline * CLEARLY_ABOVE and rate - baseline >= 0.03:
                found.append((float(self.coefficients[column]), key, column, baseline, whose))
        found.sort(reverse=True)
        chosen_keys = {key for _, key, *_ in found}
        found = [f for f in found if "|" in f[1] or not _repeated(f[1], chosen_keys)]
        strong = [f for f in found if f[0] >= REASON_WEIGHT][:MAX_REASONS]
        chosen = strong if len(strong) >= MIN_REASONS else found[:MIN_REASONS]
        if not chosen:
            usual = _percent(self.base_rate)
            return [f"nothing in this claim raises its risk above the usual {usual} denied"]
        return [self._reason(column, baseline, whose) for _, _, column, baseline, whose in chosen]

    def _rate(self, column: int) -> float:
        return float(self.denied_with[column] / self.claims_with[column])

    def _reason(self, column: int, baseline: float, whose: str) -> str:
        rate, total = self._rate(column), int(self.claims_with[column])
        how = "often" if rate >= 2 * baseline else "more than usual"
        return (
            f"{self.descriptions[column]} {how}: {_percent(rate)} of {total} such claims "
            f"were denied ({whose}: {_percent(baseline)})"
        )

    def score(self, claims: Sequence[ClaimFacts]) -> dict[str, dict[str, Any]]:
        """CLM01 -> {"risk": 0..1, "reasons": [...]}, for every claim."""
        risks = self.risks(claims)
        return {
            facts.control_number: {"risk": round(float(risk), 4), "reasons": self.reasons(facts)}
            for facts, risk in zip(claims, risks, strict=True)
        }


def _repeated(key: str, keys: set[str]) -> bool:
    return any(other.endswith("|" + key) for other in keys)


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


@dataclass(frozen=True)
class History:
    """The claims that have a payer's answer, their labels, and what was left out."""

    claims: list[ClaimFacts]
    labels: np.ndarray
    left_out: int  # claims with no 835
    unmatched_remits: int  # CLP01s with no claim in the 837s


def history_join(claims: Sequence[ClaimFacts], outcomes: dict[str, Outcome]) -> History:
    """Pair each claim with its 835 by CLM01 = CLP01 (the patient control number)."""
    kept, labels, seen = [], [], set()
    for facts in claims:
        outcome = outcomes.get(facts.control_number)
        seen.add(facts.control_number)
        if outcome is not None:
            kept.append(facts)
            labels.append(1 if outcome.denied else 0)
    unmatched = sum(1 for number in outcomes if number not in seen)
    return History(kept, np.array(labels, dtype=np.int8), len(claims) - len(kept), unmatched)


def model_fit(*, history: History, when: datetime) -> RiskModel:
    """Fit the logistic regression; RiskError when the history cannot teach anything."""
    from sklearn.linear_model import LogisticRegression  # only fitting needs scikit-learn

    if not history.claims:
        raise RiskError("cannot learn from nothing: no claim in the 837s has an answer in the 835s")
    denied = int(history.labels.sum())
    if denied in (0, len(history.labels)):
        every = "denied" if denied else "paid"
        raise RiskError(
            f"cannot learn: all {len(history.labels)} claims with an answer were {every}; "
            "a model needs both paid and denied claims"
        )
    counts: dict[str, int] = {}
    descriptions: dict[str, str] = {}
    for facts in history.claims:
        for key, words in facts.facts.items():
            counts[key] = counts.get(key, 0) + 1
            descriptions.setdefault(key, words)
    keys = sorted(k for k, n in counts.items() if n >= MIN_CLAIMS_PER_FACT)
    model = RiskModel(
        vocabulary={key: i for i, key in enumerate(keys)},
        coefficients=np.zeros(len(keys)),
        intercept=0.0,
        descriptions=[descriptions[k] for k in keys],
        claims_with=np.zeros(len(keys)),
        denied_with=np.zeros(len(keys)),
        base_rate=denied / len(history.labels),
    )
    matrix = model.matrix(history.claims)
    model.claims_with = np.asarray(matrix.sum(axis=0)).ravel()
    model.denied_with = np.asarray(matrix.T @ history.labels).ravel()
    estimator = LogisticRegression(C=REGULARIZATION_C, solver="liblinear", max_iter=1000)
    estimator.fit(matrix, history.labels)
    model.coefficients = estimator.coef_.ravel().astype(np.float64)
    model.intercept = float(estimator.intercept_[0])
    model.metadata = _metadata(history, denied, len(keys), when)
    return model


def _metadata(history: History, denied: int, features: int, when: datetime) -> dict[str, Any]:
    import sklearn

    return {
        "format": FORMAT,
        "feature_version": FEATURE_VERSION,
        "fitted_at": when.isoformat(timespec="seconds"),
        "training_claims": len(history.claims),
        "denied_claims": denied,
        "left_out_without_835": history.left_out,
        "features": features,
        "estimator": f"LogisticRegression(C={REGULARIZATION_C}, L2, liblinear)",
        "scikit_learn": sklearn.__version__,
    }


# The model file --------------------------------------------------------------------------------


def metadata_path(path: Path) -> Path:
    """Where the JSON metadata sits: beside the model, named after it."""
    return path.with_name(path.name + ".json")


def model_save(*, model: RiskModel, path: Path) -> None:
    """The model with joblib at `path`, its metadata as JSON beside it (PATH.json)."""
    payload = {
        "metadata": model.metadata,
        "vocabulary": list(model.vocabulary),
        "coefficients": model.coefficients,
        "intercept": model.intercept,
        "descriptions": model.descriptions,
        "claims_with": model.claims_with,
        "denied_with": model.denied_with,
        "base_rate": model.base_rate,
    }
    try:
        joblib.dump(payload, path, compress=3)
        metadata_path(path).write_text(json.dumps(model.metadata, indent=2) + "\n")
    except OSError as error:
        raise RiskError(f"{path}: cannot write the model: {error.strerror or error}") from None


def _check_metadata(path: Path, metadata: Any) -> None:
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise RiskError(f"{path}: not a denial-risk model (fit one with `denial_risk fit`)")
    version = metadata.get("feature_version")
    if not isinstance(version, int) or version > FEATURE_VERSION or version < 1:
        raise RiskError(
            f"{path}: the model was made with feature version {version!r}, and this version "
            f"of the app reads version {FEATURE_VERSION} only: fit the model again with this app"
        )


def model_load(path: Path) -> RiskModel:
    """The model at `path`; RiskError in words for a missing, foreign or newer file."""
    if not path.is_file():
        raise RiskError(f"{path}: no such model file")
    sidecar = metadata_path(path)
    if sidecar.is_file():  # read before unpickling anything: a newer file is refused unopened
        try:
            _check_metadata(path, json.loads(sidecar.read_text()))
        except (ValueError, UnicodeDecodeError):
            raise RiskError(f"{sidecar}: the model's metadata is not JSON") from None
    try:
        payload = joblib.load(path)
    except Exception as error:  # joblib raises anything unpickling can (EOF, KeyError, ...)
        raise RiskError(f"{path}: not a denial-risk model ({type(error).__name__})") from None
    if not isinstance(payload, dict):
        raise RiskError(f"{path}: not a denial-risk model (fit one with `denial_risk fit`)")
    _check_metadata(path, payload.get("metadata"))
    try:
        return RiskModel(
            vocabulary={key: i for i, key in enumerate(payload["vocabulary"])},
            coefficients=np.asarray(payload["coefficients"], dtype=np.float64),
            intercept=float(payload["intercept"]),
            descriptions=list(payload["descriptions"]),
            claims_with=np.asarray(payload["claims_with"]),
            denied_with=np.asarray(payload["denied_with"]),
            base_rate=float(payload["base_rate"]),
            metadata=payload["metadata"],
        )
    except (KeyError, TypeError, ValueError):
        raise RiskError(f"{path}: the model file is incomplete: fit it again") from None


def auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve (ties count half); NaN when one class is missing."""
    pairs = sorted(zip(scores, labels, strict=True))
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return math.nan
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        average_rank = (i + j + 1) / 2  # ranks i+1..j
        rank_sum += average_rank * sum(label for _, label in pairs[i:j])
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)

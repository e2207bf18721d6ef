"""A synthetic claim history for denial risk: 837P files sent and the 835s that answered them.

The payers follow HIDDEN RULES (docs/DENIAL-RISK.md lists them; they were written before any
model was fitted and the model is not tuned to them). Everything else on a claim is noise the
payers ignore: diagnoses, place of service, charges, most providers, secondary claims, frequency.

    python bench/denial_history.py --out DIR --claims 6000 --seed 1 [--variant drift]

writes DIR/claims_NNN.837 and DIR/remits_NNN.835, and DIR/truth.json (which rule denied what).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script, no Django

from rcm.x12 import claim837 as x12
from rcm.x12.responses import (
    RemitAdjustment,
    RemitClaim,
    RemitLine,
    Remittance835,
    ResponseHeader,
    write_835,
)
from rcm.x12.writer import FunctionalGroup, InterchangeHeader

CENT = Decimal("0.01")
CLAIMS_PER_FILE = 60


def _npi(first_nine: str) -> str:
    """An NPI with its Luhn check digit (prefix 80840, as the standard says)."""
    digits = [int(d) for d in "80840" + first_nine]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return first_nine + str((10 - total % 10) % 10)


PAYERS = {
    "NWH01": "NORTHWIND HEALTH",  # A
    "BRV01": "BLUE RIVER PLAN",  # B
    "CDR01": "CEDAR MUTUAL",  # C
    "DLT01": "DELTA CARE",  # D
    "EVG01": "EVERGREEN ASSURANCE",  # E: no rule but the background
}
PROVIDERS = [_npi(f"{n:09d}") for n in (123456780, 223456781, 323456782, 423456783, 523456784)]
NOT_CREDENTIALED = PROVIDERS[3]  # rule C: not credentialed with CEDAR MUTUAL
MRI = ("70551", "72148", "73721")
THERAPY = ("97110", "97140", "97530")
VISITS = ("99212", "99213", "99214", "99215")
OTHER = ("80053", "85025", "36415", "20610", "96372", "99396", "93000")
PRICES = {
    "99212": 80, "99213": 125, "99214": 180, "99215": 250, "97110": 60, "97140": 55,
    "97530": 65, "70551": 1400, "72148": 1200, "73721": 1100, "80053": 45, "85025": 30,
    "36415": 15, "20610": 160, "96372": 40, "99396": 220, "93000": 70,
}  # fmt: skip
DIAGNOSES = (
    "E11.9", "E78.5", "I10", "J06.9", "J45.909", "K21.9", "M54.50", "M25.561", "M17.11",
    "M79.18", "S83.241A", "R51.9", "G43.909", "F41.1", "Z00.00", "Z23", "N39.0", "L70.0",
    "R10.9", "M62.81", "G89.29", "M51.26", "S93.401A", "R07.9",
)  # fmt: skip
PLACES = ("11", "11", "11", "11", "22", "02", "19")


@dataclass(frozen=True)
class Rules:
    """The payers' hidden rules: rates of denial when a rule matches."""

    therapy_without_gp: float = 0.80  # A: 97110 without GP -> line denied CO-4
    mri_without_auth: float = 0.85  # B: MRI line, no REF*G1 -> claim denied CO-197
    not_credentialed: float = 0.90  # C: NOT_CREDENTIALED renders -> claim denied CO-B7
    late_filing: float = 0.95  # D: sent > 90 days after service -> claim denied CO-29
    late_days: int = 90
    background: float = 0.05  # any claim: CO-16 / CO-50, half the time the whole claim
    payer_mix: tuple[float, ...] = (0.22, 0.22, 0.18, 0.2, 0.18)
    late_share: float = 0.12  # claims sent more than 90 days after the service


RULES = Rules()
# The test history: rates drift, more late claims, a different payer mix (same rule kinds).
DRIFT = Rules(
    therapy_without_gp=0.70,
    mri_without_auth=0.75,
    not_credentialed=0.85,
    late_filing=0.90,
    background=0.06,
    payer_mix=(0.18, 0.25, 0.2, 0.17, 0.2),
    late_share=0.18,
)
VARIANTS = {"base": RULES, "drift": DRIFT}


@dataclass
class Made:
    """One claim as sent, and what the payer decided (for the 835 and the truth file)."""

    claim: x12.Claim
    submitted: date
    refused_lines: set[int] = field(default_factory=set)
    claim_reason: str = ""  # CARC for a whole-claim denial
    line_reasons: dict[int, str] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _lines(rng: random.Random, service: date) -> tuple[x12.ServiceLine, ...]:
    kind = rng.random()
    if kind < 0.3:
        codes = [rng.choice(VISITS), *rng.sample(OTHER, rng.randint(0, 2))]
    elif kind < 0.55:
        codes = rng.sample(THERAPY, rng.randint(1, 3))
    elif kind < 0.7:
        codes = [rng.choice(MRI)]
    else:
        codes = [rng.choice(VISITS + OTHER), *rng.sample(OTHER, rng.randint(0, 3))]
    lines = []
    for number, code in enumerate(dict.fromkeys(codes), start=1):
        modifiers: tuple[str, ...] = ()
        if code in THERAPY and rng.random() < 0.7:
            modifiers = ("GP",)
        elif code in VISITS and len(codes) > 1 and rng.random() < 0.5:
            modifiers = ("25",)
        elif code in MRI and rng.random() < 0.3:
            modifiers = ("26",)
        units = Decimal(rng.randint(1, 4)) if code in THERAPY else Decimal(1)
        price = PRICES[code] * float(units) * rng.uniform(0.9, 1.3)
        lines.append(
            x12.ServiceLine(
                code,
                _money(price),
                service,
                units,
                modifiers,
                (1,),
                line_control_number=str(number),
            )
        )
    return tuple(lines)


def _claim(rng: random.Random, number: int, rules: Rules, today: date) -> Made:
    payer_id = rng.choices(list(PAYERS), weights=rules.payer_mix)[0]
    if rng.random() < rules.late_share:
        lag = rng.randint(91, 300)
    else:
        lag = rng.choice((rng.randint(1, 20), rng.randint(1, 45), rng.randint(20, 90)))
    submitted = today - timedelta(days=rng.randint(0, 360))
    service = submitted - timedelta(days=lag)
    lines = _lines(rng, service)
    has_mri = any(line.procedure_code in MRI for line in lines)
    authorized = rng.random() < (0.6 if has_mri else 0.08)
    subscriber = x12.Subscriber(
        f"PATIENT{number % 997}",
        "TEST",
        f"M{number:08d}",
        date(1960 + number % 40, 1 + number % 12, 1),
        "F",
    )
    other = None
    if rng.random() < 0.1:
        prior = rng.choice([p for p in PAYERS if p != payer_id])
        other = x12.OtherCoverage(x12.Payer(PAYERS[prior], prior), subscriber, Decimal("0"))
    frequency = "7" if rng.random() < 0.05 else "1"
    npi = rng.choice(PROVIDERS)
    claim = x12.Claim(
        control_number=f"PCN{number:07d}",
        subscriber=subscriber,
        payer=x12.Payer(PAYERS[payer_id], payer_id),
        diagnoses=tuple(rng.sample(DIAGNOSES, rng.randint(1, 4))),
        lines=lines,
        responsibility="S" if other else "P",
        place_of_service=rng.choice(PLACES),
        frequency=frequency,
        prior_authorization=f"AUTH{number}" if authorized else "",
        payer_claim_number=f"ORIG{number}" if frequency == "7" else "",
        rendering_provider=x12.RenderingProvider(
            "DOCTOR", f"N{PROVIDERS.index(npi)}", npi, "207Q00000X"
        ),
        other_coverage=other,
    )
    made = Made(claim, submitted)
    _adjudicate(rng, made, rules, lag, authorized)
    return made


def _adjudicate(rng: random.Random, made: Made, rules: Rules, lag: int, authorized: bool) -> None:
    """Apply the hidden rules, in order; the first whole-claim denial wins."""
    claim, payer = made.claim, made.claim.payer.payer_id
    if payer == "DLT01" and lag > rules.late_days and rng.random() < rules.late_filing:
        made.claim_reason, made.rules = "29", ["D: late filing"]
    elif (
        payer == "CDR01"
        and claim.rendering_provider is not None
        and claim.rendering_provider.npi == NOT_CREDENTIALED
        and rng.random() < rules.not_credentialed
    ):
        made.claim_reason, made.rules = "B7", ["C: provider not credentialed"]
    has_mri = any(line.procedure_code in MRI for line in claim.lines)
    without_auth = not made.claim_reason and payer == "BRV01" and has_mri and not authorized
    if without_auth and rng.random() < rules.mri_without_auth:
        made.claim_reason, made.rules = "197", ["B: MRI without prior authorization"]
    if made.claim_reason:
        return
    if payer == "NWH01":
        for number, line in enumerate(claim.lines):
            without_gp = line.procedure_code == "97110" and "GP" not in line.modifiers
            if without_gp and rng.random() < rules.therapy_without_gp:
                made.line_reasons[number] = "4"
                made.rules.append("A: 97110 without GP")
    if rng.random() < rules.background:
        made.rules.append("background")
        if rng.random() < 0.5 or len(claim.lines) == 1:
            made.claim_reason = rng.choice(("16", "50"))
        else:
            made.line_reasons[rng.randrange(len(claim.lines))] = rng.choice(("16", "50"))
    if made.line_reasons and len(made.line_reasons) == len(claim.lines):
        made.claim_reason = next(iter(made.line_reasons.values()))


def _remit_line(rng: random.Random, made: Made, number: int, line: x12.ServiceLine) -> RemitLine:
    reason = made.claim_reason or made.line_reasons.get(number)
    common = {
        "procedure_code": line.procedure_code,
        "charge": line.charge,
        "service_date": line.service_date,
        "units": line.units,
        "modifiers": line.modifiers,
        "control_number": line.line_control_number,
    }
    if reason:
        return RemitLine(
            paid=Decimal(0), adjustments=(RemitAdjustment("CO", reason, line.charge),), **common
        )
    allowed = _money(float(line.charge) * rng.uniform(0.55, 0.85))
    adjustments = [RemitAdjustment("CO", "45", line.charge - allowed)]
    roll = rng.random()
    patient = Decimal(0)
    if roll < 0.08:  # the deductible takes all: paid 0, and not a denial
        patient = allowed
        adjustments.append(RemitAdjustment("PR", "1", patient))
    elif roll < 0.5:
        patient = _money(float(allowed) * 0.2)
        adjustments.append(RemitAdjustment("PR", "2", patient))
    return RemitLine(
        paid=allowed - patient, allowed=allowed, adjustments=tuple(adjustments), **common
    )


def _remit_claim(rng: random.Random, made: Made) -> RemitClaim:
    lines = tuple(_remit_line(rng, made, n, line) for n, line in enumerate(made.claim.lines))
    patient = sum(
        (a.amount for line in lines for a in line.adjustments if a.group == "PR"), Decimal(0)
    )
    claim = made.claim
    return RemitClaim(
        control_number=claim.control_number,
        status="4" if made.claim_reason else ("2" if claim.responsibility == "S" else "1"),
        charge=claim.total_charge,
        paid=sum((line.paid for line in lines), Decimal(0)),
        patient_responsibility=patient,
        payer_claim_number=f"PCN{claim.control_number}",
        member_id=claim.subscriber.member_id,
        last_name=claim.subscriber.last_name,
        first_name=claim.subscriber.first_name,
        frequency=claim.frequency,
        place_of_service=claim.place_of_service,
        lines=lines,
    )


def _batch(number: int, when: date, claims: list[x12.Claim]) -> x12.Batch837P:
    created = datetime(when.year, when.month, when.day, 9, 0, tzinfo=UTC)
    address = x12.Address("100 TEST STREET", "SPRINGFIELD", "IL", "627011234")
    return x12.Batch837P(
        interchange=InterchangeHeader("SUBMITTER01", "RECEIVER01", number, created),
        group=FunctionalGroup("SUBMITTER01", "RECEIVER01", number, created),
        transaction_control_number=number,
        reference=f"BATCH{number:05d}",
        created=created,
        submitter=x12.Submitter("TEST CLINIC LLC", "SUBMITTER01", "PAT ADMIN", "2175550100"),
        receiver=x12.Receiver("TEST CLEARINGHOUSE", "RECEIVER01"),
        billing_provider=x12.BillingProvider(
            "TEST CLINIC LLC", _npi("987654321"), "123456789", "207Q00000X", address
        ),
        claims=tuple(claims),
    )


def history_write(
    out: Path,
    *,
    claims: int,
    seed: int,
    rules: Rules = RULES,
    today: date = date(2026, 11, 1),
    first_number: int | None = None,
) -> dict[str, dict[str, object]]:
    """Write the 837Ps and 835s; returns the truth: CLM01 -> rules matched, denied dollars."""
    rng = random.Random(seed)
    first_number = seed * 1_000_000 + 1 if first_number is None else first_number
    out.mkdir(parents=True, exist_ok=True)
    made = [_claim(rng, first_number + i, rules, today) for i in range(claims)]
    made.sort(key=lambda m: m.submitted)
    truth: dict[str, dict[str, object]] = {}
    for file_number, start in enumerate(range(0, len(made), CLAIMS_PER_FILE), start=1):
        chunk = made[start : start + CLAIMS_PER_FILE]
        # One 837 per submission day in the chunk's span: its BHT date is the submission date.
        by_day: dict[date, list[x12.Claim]] = {}
        for m in chunk:
            by_day.setdefault(m.submitted, []).append(m.claim)
        text = "".join(
            x12.write_837p(_batch(file_number * 100 + i, day, day_claims))
            for i, (day, day_claims) in enumerate(sorted(by_day.items()))
        )
        (out / f"claims_{file_number:03d}.837").write_text(text, encoding="ascii")
        paid_on = chunk[-1].submitted + timedelta(days=21)
        remits = []
        for i, payer_id in enumerate(PAYERS):
            answered = tuple(
                _remit_claim(rng, m) for m in chunk if m.claim.payer.payer_id == payer_id
            )
            if not answered:
                continue
            remit = Remittance835(
                payer_name=PAYERS[payer_id], payer_id=payer_id, payer_tin="123456789",
                payee_name="TEST CLINIC LLC", payee_npi=_npi("987654321"),
                trace_number=f"T{file_number:04d}{i}", payment_date=paid_on,
                production_date=paid_on, claims=answered,
            )  # fmt: skip
            header = ResponseHeader(
                payer_id,
                "SUBMITTER01",
                file_number * 10 + i,
                datetime(paid_on.year, paid_on.month, paid_on.day, tzinfo=UTC),
            )
            remits.append(write_835(header, remit))
        (out / f"remits_{file_number:03d}.835").write_text("".join(remits), encoding="ascii")
        for m in chunk:
            refused = (
                m.claim.total_charge
                if m.claim_reason
                else sum((m.claim.lines[n].charge for n in m.line_reasons), Decimal(0))
            )
            truth[m.claim.control_number] = {"rules": m.rules, "denied_dollars": str(refused)}
    (out / "truth.json").write_text(json.dumps(truth, indent=1))
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--claims", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="base")
    args = parser.parse_args()
    truth = history_write(
        args.out, claims=args.claims, seed=args.seed, rules=VARIANTS[args.variant]
    )
    denied = sum(1 for t in truth.values() if t["rules"])
    print(f"{len(truth)} claims, {denied} denied, in {args.out}")


if __name__ == "__main__":
    main()

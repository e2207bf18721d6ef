"""The patient's estimated share of a visit, from the latest benefits and the fee schedule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from patients.coverage.selectors import coverage_primary_on
from patients.models import Coverage, EligibilityCheck, Encounter, EncounterStatus
from rcm.practice.models import Practice
from rcm.practice.selectors import fee_for

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Before coding, a visit is estimated as an office visit of moderate complexity.
NEW_PATIENT_VISIT = "99203"
ESTABLISHED_PATIENT_VISIT = "99213"


def _is_evaluation_and_management(code: str) -> bool:
    """99202 to 99499: the visit codes an office copay applies to."""
    return code.isdigit() and 99202 <= int(code) <= 99499


def _dollars(amount: Decimal) -> str:
    return f"${amount:,.2f}"


@dataclass
class EstimateLine:
    code: str
    fee: Decimal | None


@dataclass
class Estimate:
    """The arithmetic of the patient's share, each step in words; `patient_share` None = unknown."""

    service_date: datetime.date
    coverage: Coverage | None
    check: EligibilityCheck | None
    lines: list[EstimateLine] = field(default_factory=list)
    total_charge: Decimal = ZERO
    copay: Decimal = ZERO
    deductible: Decimal = ZERO
    coinsurance: Decimal = ZERO
    patient_share: Decimal | None = None
    plan_pays: Decimal | None = None
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def money(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "service_date": self.service_date.isoformat(),
            "coverage_id": self.coverage.pk if self.coverage else None,
            "eligibility_check_id": self.check.pk if self.check else None,
            "lines": [{"code": line.code, "fee": money(line.fee)} for line in self.lines],
            "total_charge": money(self.total_charge),
            "copay": money(self.copay),
            "deductible": money(self.deductible),
            "coinsurance": money(self.coinsurance),
            "patient_share": money(self.patient_share),
            "plan_pays": money(self.plan_pays),
            "steps": self.steps,
            "warnings": self.warnings,
        }


def _decimal(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def _latest_active_check(coverage: Coverage, day: datetime.date) -> EligibilityCheck | None:
    checks = coverage.eligibility_checks.filter(status=EligibilityCheck.Status.ACTIVE).order_by(
        "-requested_at", "-id"
    )
    return checks.filter(service_date=day).first() or checks.first()


def _priced(estimate: Estimate, codes: list[str], practice: Practice | None) -> None:
    coverage = estimate.coverage
    for code in codes:
        fee = None
        if practice is not None:
            fee = fee_for(practice=practice, code=code, on=estimate.service_date,
                          payer=coverage.payer if coverage else None)  # fmt: skip
        estimate.lines.append(EstimateLine(code, fee))
        if fee is None:
            estimate.warnings.append(f"{code} has no fee on the fee schedule; it is left out.")
    estimate.total_charge = sum((line.fee for line in estimate.lines if line.fee), ZERO)
    priced = " + ".join(f"{line.code} {_dollars(line.fee)}" for line in estimate.lines if line.fee)
    if priced:
        estimate.steps.append(f"Charges: {priced} = {_dollars(estimate.total_charge)}.")


def _apply_benefits(estimate: Estimate, benefits: dict[str, Any]) -> None:
    """Copay for the office visit, then the deductible still to meet, then coinsurance."""
    left = estimate.total_charge
    copay = _decimal(benefits.get("copay")) or ZERO
    visit_fees = [
        line.fee for line in estimate.lines if line.fee and _is_evaluation_and_management(line.code)
    ]
    if copay and visit_fees:
        estimate.copay = min(copay, visit_fees[0])
        left -= estimate.copay
        estimate.steps.append(f"Office visit copay: {_dollars(estimate.copay)}.")
    remaining = _decimal(benefits.get("deductible_remaining"))
    if remaining is None:
        estimate.warnings.append("The payer did not say how much deductible remains; none used.")
    elif left > 0:
        estimate.deductible = min(remaining, left)
        left -= estimate.deductible
        estimate.steps.append(
            f"Deductible: {_dollars(estimate.deductible)} of the {_dollars(remaining)} still to "
            "meet this year."
        )
    percent = _decimal(benefits.get("coinsurance_percent")) or ZERO
    if percent and left > 0:
        estimate.coinsurance = (left * percent / 100).quantize(CENT, ROUND_HALF_UP)
        estimate.steps.append(
            f"Coinsurance: {percent.normalize():f}% of the remaining {_dollars(left)} = "
            f"{_dollars(estimate.coinsurance)}."
        )
    share = estimate.copay + estimate.deductible + estimate.coinsurance
    out_of_pocket = _decimal(benefits.get("out_of_pocket_remaining"))
    if out_of_pocket is not None and share > out_of_pocket:
        estimate.steps.append(
            f"Capped at the {_dollars(out_of_pocket)} left of the out-of-pocket maximum."
        )
        share = out_of_pocket
    _conclude(estimate, share)


def _conclude(estimate: Estimate, share: Decimal) -> None:
    estimate.patient_share = share.quantize(CENT)
    estimate.plan_pays = (estimate.total_charge - estimate.patient_share).quantize(CENT)
    estimate.steps.append(
        f"Estimated patient share: {_dollars(estimate.patient_share)}; the plan would pay "
        f"{_dollars(estimate.plan_pays)}."
    )


def _without_benefits(estimate: Estimate) -> None:
    coverage, check = estimate.coverage, estimate.check
    if coverage is None:
        estimate.warnings.append("No primary insurance covers this date: the visit is self-pay.")
        _conclude(estimate, estimate.total_charge)
        return
    latest = coverage.eligibility_checks.order_by("-requested_at", "-id").first()
    if check is None and latest is not None and latest.status == EligibilityCheck.Status.INACTIVE:
        estimate.warnings.append(
            "The payer says the coverage is inactive: the patient may owe it all."
        )
        _conclude(estimate, estimate.total_charge)
        return
    estimate.warnings.append(
        "No active eligibility check with benefits: check eligibility to estimate the share."
    )


def visit_estimate(
    *,
    encounter: Encounter | None = None,
    coverage: Coverage | None = None,
    codes: list[str] | None = None,
    service_date: datetime.date | None = None,
) -> Estimate:
    """Estimate a visit's patient share: for an `encounter`, or a coverage, codes and date."""
    if encounter is not None:
        service_date = service_date or encounter.date_of_service
        coverage = coverage or coverage_primary_on(patient=encounter.patient, day=service_date)
        codes = codes or _codes_of(encounter)
    if service_date is None:
        raise ValueError("visit_estimate needs an encounter or a service date")
    codes = [c.strip().upper() for c in (codes or []) if c.strip()]
    estimate = Estimate(service_date=service_date, coverage=coverage, check=None)
    if coverage is not None:
        estimate.check = _latest_active_check(coverage, service_date)
    practice = encounter.practice if encounter else coverage.practice if coverage else None
    _priced(estimate, codes, practice)
    if not estimate.total_charge:
        estimate.warnings.append("Nothing to estimate: no procedure with a fee on file.")
        return estimate
    if estimate.check is None:
        _without_benefits(estimate)
        return estimate
    if estimate.check.service_date != service_date:
        estimate.warnings.append(
            f"Benefits come from the check for {estimate.check.service_date:%m/%d/%Y}."
        )
    _apply_benefits(estimate, estimate.check.summary.get("office_visit") or {})
    return estimate


def _codes_of(encounter: Encounter) -> list[str]:
    """The coded procedures once coded; before that, the usual office visit for the patient."""
    coded = list(encounter.procedure_lines.order_by("position").values_list("code", flat=True))
    if coded:
        return coded
    seen_before = (
        Encounter.objects.filter(
            patient_id=encounter.patient_id, date_of_service__lt=encounter.date_of_service
        )
        .exclude(status=EncounterStatus.CANCELLED)
        .exists()
    )
    return [ESTABLISHED_PATIENT_VISIT if seen_before else NEW_PATIENT_VISIT]

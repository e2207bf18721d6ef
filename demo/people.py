"""Synthetic patients and their insurance: who they are, which plans cover them, since when."""

from __future__ import annotations

import datetime
import random
import string
from dataclasses import dataclass, field

from demo.catalog import (
    FEMALE_NAMES,
    MALE_NAMES,
    MIDDLE_INITIALS,
    STREETS,
    SURNAMES,
    PracticeSpec,
)
from patients.models import Coverage, CoveragePriority, Patient, Relationship, Sex
from rcm.practice.models import Payer, Practice

COMMERCIAL = ("bcbs", "northwind", "contoso", "evergreen")
_MBI_LETTERS = "".join(c for c in string.ascii_uppercase if c not in "SLOIBZ")


@dataclass
class Person:
    """A patient to be registered, with the coverages they hold."""

    patient: Patient
    coverages: list[Coverage] = field(default_factory=list)
    is_new: bool = False  # their first visit is a new-patient visit

    @property
    def is_medicare(self) -> bool:
        return any(c.payer.claim_filing_indicator == "MB" for c in self.coverages)


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _birth_date(rng: random.Random, age: int, today: datetime.date) -> datetime.date:
    born = datetime.date(today.year - age - 1, 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
    while age_on(born, today) > age:
        born += datetime.timedelta(days=30)
    return born


def _age(rng: random.Random, spec: PracticeSpec) -> int:
    band = rng.choices(("child", "adult", "senior"), weights=spec.age_mix)[0]
    # Seniors start at 66 so that Medicare covers the whole six months of visits.
    low, high = {"child": (2, 17), "adult": (18, 64), "senior": (66, 92)}[band]
    return rng.randint(low, high)


def _first_name(rng: random.Random, sex: str) -> str:
    return rng.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)


def patient_build(
    rng: random.Random, spec: PracticeSpec, practice: Practice, number: int, today: datetime.date
) -> Patient:
    sex = rng.choice((Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.FEMALE))
    first, last = _first_name(rng, sex), rng.choice(SURNAMES)
    town, zip_code = rng.choice(spec.towns)
    age = _age(rng, spec)
    email = f"{first}.{last}{rng.randint(1, 99)}@example.com".lower()
    return Patient(
        practice=practice,
        mrn=f"{number:06d}",
        first_name=first,
        last_name=last,
        middle_name=rng.choice(MIDDLE_INITIALS) if rng.random() < 0.4 else "",
        date_of_birth=_birth_date(rng, age, today),
        sex=sex,
        address1=f"{rng.randint(100, 9899)} {rng.choice(STREETS)}",
        city=town,
        state="IL",
        zip_code=zip_code,
        phone=f"{spec.area_code}555{rng.randint(200, 9999):04d}",
        email=email if age >= 18 and rng.random() < 0.6 else "",
    )


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _medicare_beneficiary_id(rng: random.Random) -> str:
    """The MBI pattern: C A AN N A AN N A A N N (no S, L, O, I, B or Z)."""
    pattern = "CAENAENAANN"
    pools = {
        "C": "123456789",
        "A": _MBI_LETTERS,
        "E": _MBI_LETTERS + string.digits,
        "N": string.digits,
    }
    return "".join(rng.choice(pools[kind]) for kind in pattern)


def member_id(rng: random.Random, payer_key: str) -> str:
    if payer_key == "medicare":
        return _medicare_beneficiary_id(rng)
    prefix = {
        "medicaid": "9",
        "bcbs": "XQP",
        "northwind": "NW",
        "contoso": "CM",
        "evergreen": "EVG",
    }[payer_key]
    return prefix + _digits(rng, 9 if payer_key in ("bcbs", "northwind") else 8)


def _group_number(rng: random.Random, payer_key: str) -> str:
    """Employers' groups: a handful per plan, shared by many patients."""
    if payer_key in ("medicare", "medicaid"):
        return ""
    pattern = {
        "bcbs": "B{:06d}",
        "northwind": "NW{:05d}",
        "contoso": "0{:06d}",
        "evergreen": "EV-{:04d}",
    }[payer_key]
    return pattern.format(1000 + 137 * rng.randint(1, 8))


def _subscriber(rng: random.Random, patient: Patient, relationship: str) -> dict[str, object]:
    if relationship == Relationship.SELF:
        return {}
    sex = rng.choice((Sex.FEMALE, Sex.MALE))
    # A parent 22-42 years older; a spouse of about the same age.
    years_older = rng.randint(22, 42) if relationship == Relationship.CHILD else rng.randint(0, 6)
    born = patient.date_of_birth.replace(day=1) - datetime.timedelta(days=365 * years_older)
    return {
        "subscriber_first_name": _first_name(rng, sex),
        "subscriber_last_name": patient.last_name,
        "subscriber_date_of_birth": born,
        "subscriber_sex": sex,
        "subscriber_address1": patient.address1,
        "subscriber_city": patient.city,
        "subscriber_state": patient.state,
        "subscriber_zip_code": patient.zip_code,
    }


def _coverage(
    rng: random.Random,
    patient: Patient,
    payer: Payer,
    payer_key: str,
    *,
    priority: int,
    start: datetime.date,
    relationship: str = Relationship.SELF,
    end: datetime.date | None = None,
    plan_name: str = "",
) -> Coverage:
    return Coverage(
        practice=patient.practice,
        patient=patient,
        payer=payer,
        priority=priority,
        member_id=member_id(rng, payer_key),
        group_number=_group_number(rng, payer_key),
        plan_name=plan_name,
        relationship=relationship,
        effective_date=start,
        termination_date=end,
        **_subscriber(rng, patient, relationship),
    )


def _primary_key(rng: random.Random, age: int) -> str:
    if age >= 65:
        return "medicare"
    if age < 18:
        return "medicaid" if rng.random() < 0.45 else rng.choice(COMMERCIAL)
    return rng.choices((*COMMERCIAL, "medicaid"), weights=(30, 25, 20, 15, 10))[0]


def _relationship(rng: random.Random, age: int, payer_key: str) -> str:
    if payer_key in ("medicare", "medicaid"):
        return Relationship.SELF
    if age < 18:
        return Relationship.CHILD
    return Relationship.SPOUSE if rng.random() < 0.18 else Relationship.SELF


@dataclass(frozen=True)
class CoverageContext:
    payers: dict[str, Payer]
    plan_names: dict[str, str]
    today: datetime.date


@dataclass
class _CoverageMaker:
    rng: random.Random
    patient: Patient
    ctx: CoverageContext

    def make(self, payer_key: str, priority: int, start: datetime.date, relationship: str,
             end: datetime.date | None = None) -> Coverage:  # fmt: skip
        return _coverage(self.rng, self.patient, self.ctx.payers[payer_key], payer_key,
                         priority=priority, start=start, end=end, relationship=relationship,
                         plan_name=self.ctx.plan_names[payer_key])  # fmt: skip


def _primary_start(rng: random.Random, patient: Patient, key: str,
                   today: datetime.date) -> datetime.date:  # fmt: skip
    born = patient.date_of_birth
    if key == "medicare":  # from the month of the 65th birthday
        return born.replace(year=born.year + 65, day=1)
    return max(datetime.date(rng.randint(today.year - 7, today.year - 2), 1, 1), born)


def _earlier_primary(maker: _CoverageMaker, key: str, start: datetime.date,
                     age: int) -> tuple[Coverage | None, datetime.date]:  # fmt: skip
    """Perhaps a primary coverage that ended, and then when the current one starts."""
    rng, born = maker.rng, maker.patient.date_of_birth
    roll = rng.random()
    if key != "medicare" and roll < 0.07:
        # Changed plans during the six months: the old coverage ends the day before the new.
        switch = maker.ctx.today - datetime.timedelta(days=rng.randint(30, 150))
        old_key = rng.choice([k for k in (*COMMERCIAL, "medicaid") if k != key])
        ended = switch - datetime.timedelta(days=1)
        related = _relationship(rng, age, old_key)
        old = maker.make(old_key, CoveragePriority.PRIMARY, start, related, end=ended)
        return old, switch
    if roll < 0.11 and start.year - 3 > born.year:  # history: a plan that ended years ago
        old_key = rng.choice([k for k in COMMERCIAL if k != key])
        began, ended = datetime.date(start.year - 3, 1, 1), start - datetime.timedelta(days=1)
        related = _relationship(rng, age, old_key)
        old = maker.make(old_key, CoveragePriority.PRIMARY, began, related, end=ended)
        return old, start
    return None, start


def coverages_build(rng: random.Random, patient: Patient, ctx: CoverageContext) -> list[Coverage]:
    """The primary (sometimes after a switch or with history) and perhaps a secondary."""
    maker = _CoverageMaker(rng, patient, ctx)
    age = age_on(patient.date_of_birth, ctx.today)
    key = _primary_key(rng, age)
    relationship = _relationship(rng, age, key)
    start = _primary_start(rng, patient, key, ctx.today)
    earlier, start = _earlier_primary(maker, key, start, age)
    held = [earlier] if earlier else []
    held.append(maker.make(key, CoveragePriority.PRIMARY, start, relationship))
    secondary = _secondary_key(rng, key, age)
    if secondary:
        if secondary == "medicaid" or key == "medicare":
            relation = Relationship.SELF
        else:
            relation = Relationship.CHILD if age < 18 else Relationship.SPOUSE
        held.append(maker.make(secondary, CoveragePriority.SECONDARY, start, relation))
    return held


def _secondary_key(rng: random.Random, primary: str, age: int) -> str | None:
    roll = rng.random()
    if primary == "medicare":
        if roll < 0.07:
            return "medicaid"  # dual eligible
        return rng.choice(("contoso", "bcbs")) if roll < 0.35 else None
    if primary == "medicaid":
        return None
    if roll < (0.05 if age < 18 else 0.08):
        return rng.choice([k for k in ("bcbs", "northwind", "contoso") if k != primary])
    return None


def people_build(
    rng: random.Random, spec: PracticeSpec, practice: Practice, ctx: CoverageContext
) -> list[Person]:
    people = []
    for number in range(1, spec.patients + 1):
        patient = patient_build(rng, spec, practice, number, ctx.today)
        people.append(Person(patient=patient, is_new=rng.random() < 0.15))
        people[-1].coverages = coverages_build(rng, patient, ctx)
    return people


def people_save(people: list[Person]) -> None:
    Patient.objects.bulk_create([person.patient for person in people])
    for person in people:
        for coverage in person.coverages:
            coverage.patient = person.patient  # now with its primary key
    Coverage.objects.bulk_create([c for person in people for c in person.coverages])

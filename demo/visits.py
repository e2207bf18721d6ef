"""Synthetic visits: 1,000 encounters at every stage, with notes and the coding that fits them."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from coding.models import EncounterDiagnosis, ProcedureLine
from demo.catalog import PracticeSpec
from demo.people import Person, age_on
from demo.scenarios import Scenario, note_render, scenario_pick
from patients.models import Coverage, Encounter, EncounterStatus, PlaceOfService
from rcm.practice.models import Provider, User

# How many encounters in each stage, and their dates of service in days from today.
STAGES: tuple[tuple[str, int, tuple[int, int]], ...] = (
    ("scheduled", 60, (1, 30)),
    ("cancelled", 10, (-150, 20)),
    ("awaiting", 80, (-9, 0)),
    ("coding", 40, (-12, -1)),
    ("coded", 50, (-14, -1)),
    ("billed_recent", 100, (-20, -2)),
    ("billed_middle", 160, (-60, -15)),
    ("billed_old", 500, (-178, -45)),
)
STATUS_OF_STAGE = {
    "scheduled": EncounterStatus.SCHEDULED,
    "cancelled": EncounterStatus.CANCELLED,
    "awaiting": EncounterStatus.AWAITING_CODING,
    "coding": EncounterStatus.CODING_IN_PROGRESS,
}
NEW_PATIENT_VISIT = {"99212": "99202", "99213": "99203", "99214": "99204", "99215": "99205"}
OFFICE_VISITS = frozenset({*NEW_PATIENT_VISIT, *NEW_PATIENT_VISIT.values(), "99211"})
CENTS = Decimal("0.01")


@dataclass
class CodedLine:
    code: str
    modifiers: list[str]
    units: Decimal
    pointers: list[int]
    charge: Decimal


@dataclass
class Visit:
    person: Person
    stage: str
    encounter: Encounter
    scenario: Scenario
    coverage: Coverage | None
    diagnoses: list[str] = field(default_factory=list)
    lines: list[CodedLine] = field(default_factory=list)
    # Codes on this visit that the payer wants a prior authorization for.
    prior_auth_codes: frozenset[str] = frozenset()
    practice_key: str = ""

    @property
    def billed(self) -> bool:
        return self.stage.startswith("billed")


def _service_date(rng: random.Random, today: datetime.date, days: tuple[int, int]) -> datetime.date:
    """A weekday in the range: practices are closed at weekends."""
    while True:
        day = today + datetime.timedelta(days=rng.randint(*days))
        if day.weekday() < 5:
            return day


def _primary_on(person: Person, day: datetime.date) -> Coverage | None:
    for coverage in person.coverages:
        if coverage.priority == 1 and coverage.is_active_on(day):
            return coverage
    return None


def _resolved_code(code: str, age: int, is_medicare: bool) -> str:
    if code == "WCC":
        return "99392" if age <= 4 else "99393" if age <= 11 else "99394"
    if code == "PREV":
        return "99395" if age <= 39 else "99396"
    if code == "90471" and is_medicare:
        return "G0008"
    return code


@dataclass(frozen=True)
class VisitContext:
    spec: PracticeSpec
    providers: list[Provider]
    fees: dict[str, Decimal]
    prior_auth_codes: dict[int, frozenset[str]]  # by payer pk
    coder: User | None
    today: datetime.date


def _provider(rng: random.Random, ctx: VisitContext, age: int) -> Provider:
    sees = "children" if age < 18 else "adults"
    fitting = [
        provider
        for provider, spec in zip(ctx.providers, ctx.spec.providers, strict=True)
        if spec.sees in ("all", sees)
    ]
    return rng.choice(fitting)


def _coding(rng: random.Random, visit: Visit, ctx: VisitContext, age: int) -> None:
    payer = visit.coverage.payer if visit.coverage else None
    is_medicare = payer is not None and payer.claim_filing_indicator == "MB"
    telehealth = visit.encounter.place_of_service == PlaceOfService.TELEHEALTH_HOME
    visit.diagnoses = list(visit.scenario.diagnoses)
    for spec in visit.scenario.lines:
        code = _resolved_code(spec.code, age, is_medicare)
        modifiers = list(spec.modifiers)
        if code in OFFICE_VISITS and telehealth and not is_medicare:
            modifiers.append("95")
        charge = (ctx.fees[code] * spec.units).quantize(CENTS)
        visit.lines.append(CodedLine(code, modifiers, spec.units, list(spec.pointers), charge))
    required = ctx.prior_auth_codes.get(payer.pk, frozenset()) if payer else frozenset()
    visit.prior_auth_codes = frozenset(line.code for line in visit.lines) & required
    if visit.prior_auth_codes:
        visit.encounter.prior_authorization = f"PA{rng.randint(10**7, 10**8 - 1)}"


def visit_build(
    rng: random.Random, ctx: VisitContext, person: Person, stage: str, day: datetime.date
) -> Visit:
    patient = person.patient
    age = age_on(patient.date_of_birth, day)
    coverage = _primary_on(person, day)
    is_medicare = coverage is not None and coverage.payer.claim_filing_indicator == "MB"
    scenario = scenario_pick(
        rng, age=age, sex=patient.sex, is_medicare=is_medicare, month=day.month
    )
    telehealth = scenario.telehealth and rng.random() < 0.3
    done = stage not in ("scheduled", "cancelled")
    encounter = Encounter(
        practice=patient.practice,
        patient=patient,
        date_of_service=day,
        rendering_provider=_provider(rng, ctx, age),
        place_of_service=PlaceOfService.TELEHEALTH_HOME if telehealth else PlaceOfService.OFFICE,
        clinical_note=note_render(rng, scenario, age=age, sex=patient.sex) if done else "",
        status=STATUS_OF_STAGE.get(stage, EncounterStatus.CODED),
        assigned_coder=ctx.coder if stage not in STATUS_OF_STAGE or stage == "coding" else None,
    )
    visit = Visit(
        person=person, stage=stage, encounter=encounter, scenario=scenario, coverage=coverage
    )
    _coding(rng, visit, ctx, age)
    if stage == "coding":  # half-way through: the diagnoses, perhaps the first line
        visit.lines = visit.lines[: rng.choice((0, 1))]
    elif stage in STATUS_OF_STAGE:
        visit.diagnoses, visit.lines = [], []
    return visit


def visits_build(
    rng: random.Random,
    people_by_practice: dict[str, list[Person]],
    contexts: dict[str, VisitContext],
    today: datetime.date,
) -> list[Visit]:
    """1,000 visits across both practices; older patients come more often."""
    everyone = [(key, person) for key, people in people_by_practice.items() for person in people]
    weights = [1 + age_on(p.patient.date_of_birth, today) / 30 for _, p in everyone]
    visits = []
    for stage, count, days in STAGES:
        for _ in range(count):
            key, person = rng.choices(everyone, weights=weights)[0]
            day = _service_date(rng, today, days)
            visits.append(visit_build(rng, contexts[key], person, stage, day))
            visits[-1].practice_key = key
    _new_patient_visits(visits, contexts)
    return visits


def _new_patient_visits(visits: list[Visit], contexts: dict[str, VisitContext]) -> None:
    """A new patient's first coded office visit is billed with a new-patient E/M code."""
    fees = {ctx_key: ctx.fees for ctx_key, ctx in contexts.items()}
    seen: set[int] = set()
    for visit in sorted(visits, key=lambda v: v.encounter.date_of_service):
        person_id = id(visit.person)
        if person_id in seen or not visit.lines:
            continue
        seen.add(person_id)
        if not visit.person.is_new:
            continue
        for line in visit.lines:
            if line.code in NEW_PATIENT_VISIT:
                line.code = NEW_PATIENT_VISIT[line.code]
                line.charge = (fees[visit.practice_key][line.code] * line.units).quantize(CENTS)


def visits_save(visits: list[Visit]) -> None:
    """Write the encounters and their coding in three bulk inserts."""
    Encounter.objects.bulk_create([v.encounter for v in visits])
    EncounterDiagnosis.objects.bulk_create(
        EncounterDiagnosis(
            practice_id=v.encounter.practice_id, encounter=v.encounter, position=n, code=code
        )
        for v in visits
        for n, code in enumerate(v.diagnoses, start=1)
    )
    ProcedureLine.objects.bulk_create(
        ProcedureLine(
            practice_id=v.encounter.practice_id,
            encounter=v.encounter,
            position=n,
            code=line.code,
            modifiers=line.modifiers,
            units=line.units,
            diagnosis_pointers=line.pointers,
            charge=line.charge,
        )
        for v in visits
        for n, line in enumerate(v.lines, start=1)
    )

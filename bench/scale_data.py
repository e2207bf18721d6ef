"""A billing agency's volume, loaded by SQL: patients, visits, claims with their lines, diagnoses,
timeline events and remittances, for the page benchmarks (`bench/bench_claim_pages.py`).

Rows are made by `INSERT … SELECT … FROM generate_series`, in the caller's transaction (the
benchmark rolls it back), with the audit triggers off while loading: a million claims in a few
minutes. Every column a statement does not name is filled from its model field's default, so a
column added later with a Django default needs no change here.

The mix of statuses, ages and payers is a practice's, not a test's: two thirds paid, one in ten
waiting on the payer, a few in each work queue, dates of service spread over eighteen months.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, models
from django.utils import timezone

from claims.models import Claim, ClaimDiagnosis, ClaimEvent, ClaimLine
from denials.models import Adjustment, ClaimPayment, LinePayment, Remittance
from patients.models import Coverage, Encounter, Patient

LOADED_TABLES = (
    "patients_patient",
    "patients_coverage",
    "patients_encounter",
    "claims_claim",
    "claims_claimline",
    "claims_claimdiagnosis",
    "claims_claimevent",
    "denials_remittance",
    "denials_claimpayment",
    "denials_linepayment",
    "denials_adjustment",
)


def _words(text: str) -> list[str]:
    return text.split()


# g % 100 -> status, in the proportions of a working practice's claims.
STATUS_BY_PERCENT: list[tuple[int, str]] = [
    (1, "draft"),
    (3, "ready"),
    (4, "rejected"),
    (7, "submitted"),
    (10, "accepted"),
    (12, "pending"),
    (17, "denied"),
    (20, "partially_paid"),
    (21, "void"),
    (30, "closed"),
    (100, "paid"),
]
REMITTED = ("paid", "denied", "partially_paid", "closed")
PAYERS_PER_PRACTICE = 5
CLAIMS_PER_REMITTANCE = 1000
LAST_NAMES = _words(
    "SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ "
    "GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS "
    "SANCHEZ CLARK RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL"
)
FIRST_NAMES = _words(
    "JAMES MARY JOHN PATRICIA ROBERT JENNIFER MICHAEL LINDA WILLIAM ELIZABETH DAVID BARBARA "
    "RICHARD SUSAN JOSEPH JESSICA THOMAS SARAH CHARLES KAREN"
)


@dataclass(frozen=True)
class PracticeSetup:
    """What one practice's rows point at: made by the ORM before the bulk load."""

    practice_id: int
    provider_id: int
    payer_ids: tuple[int, ...]


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict):
        if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
            return "'{}'"  # an empty ArrayField; JSONFields are named by the statements
        return "'" + json.dumps(value).replace("'", "''") + "'::jsonb"
    if isinstance(value, datetime.datetime | datetime.date):
        return f"'{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _defaults(model: type[models.Model], named: Sequence[str]) -> dict[str, str]:
    """SQL for every concrete column of `model` that `named` leaves out, from its default."""
    filled = {}
    for field in model._meta.concrete_fields:
        column = field.column
        assert column is not None
        if column in named or column == "id":
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            filled[column] = "now()"
        elif field.has_default():
            default = field.get_default()
            if isinstance(field, models.JSONField):
                filled[column] = "'" + json.dumps(default).replace("'", "''") + "'::jsonb"
            else:
                filled[column] = _sql_literal(default)
        elif field.null:
            filled[column] = "NULL"
        elif isinstance(field, models.CharField | models.TextField):
            filled[column] = "''"
        else:
            raise ValueError(f"{model.__name__}.{field.name}: no value and no default")
    return filled


def _insert(model: type[models.Model], values: dict[str, str], source: str) -> int:
    """INSERT INTO model's table (named columns and defaults) SELECT … FROM source."""
    columns = {**values, **_defaults(model, list(values))}
    names = ", ".join(f'"{name}"' for name in columns)
    exprs = ", ".join(columns.values())
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({names}) SELECT {exprs} FROM {source}")
        return cursor.rowcount


def _reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of `count` ids taken from the table's own sequence, so later inserts by the
    app never collide with the loaded rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        first = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [model._meta.db_table, first + count - 1],
        )
    return first


def _case(expression: str, table: Sequence[tuple[int, str]]) -> str:
    arms = " ".join(f"WHEN {expression} < {limit} THEN '{status}'" for limit, status in table)
    return f"(CASE {arms} END)"


def _text_array(values: Sequence[str]) -> str:
    return "ARRAY[" + ",".join(f"'{value}'" for value in values) + "]"


def triggers_set(*, enabled: bool) -> None:
    """The audit triggers off while loading (ALTER TABLE is transactional: a rollback restores).

    The claim tallies' triggers (ClaimTally) stay on: the pages read their totals from them."""
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit (deferred): check the loaded rows now, as
        # ALTER TABLE refuses a table with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgrelid::regclass::text = ANY(%s) "
            "AND tgname LIKE '%%\\_audit'",
            [list(LOADED_TABLES)],
        )
        for table, trigger in cursor.fetchall():
            action = "ENABLE" if enabled else "DISABLE"
            cursor.execute(f'ALTER TABLE {table} {action} TRIGGER "{trigger}"')


@dataclass
class PatientBlock:
    practice: PracticeSetup
    first_patient_id: int
    first_coverage_id: int
    count: int


def patients_load(*, practice: PracticeSetup, count: int, tag: str) -> PatientBlock:
    """`count` patients of one practice, each with a primary coverage to one of its payers."""
    first = _reserve_ids(Patient, count)
    last, first_names = _text_array(LAST_NAMES), _text_array(FIRST_NAMES)
    _insert(
        Patient,
        {
            "id": f"{first} + g - 1",
            "practice_id": str(practice.practice_id),
            "mrn": f"'{tag}' || g",
            "last_name": f"({last})[1 + g % {len(LAST_NAMES)}] || 'X' || (g % 997)",
            "first_name": f"({first_names})[1 + (g / 7) % {len(FIRST_NAMES)}]",
            "date_of_birth": "DATE '1940-01-01' + (g * 37 % 29000)::int",
            "sex": "(CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END)",
            "address1": "g || ' MAIN ST'",
            "city": "'SPRINGFIELD'",
            "state": "'IL'",
            "zip_code": "'62701'",
        },
        f"generate_series(1::bigint, {count}) AS g",
    )
    payers = "ARRAY[" + ",".join(str(p) for p in practice.payer_ids) + "]::bigint[]"
    first_coverage = _reserve_ids(Coverage, count)
    _insert(
        Coverage,
        {
            "id": f"{first_coverage} + g - 1",
            "practice_id": str(practice.practice_id),
            "patient_id": f"{first} + g - 1",
            "payer_id": f"({payers})[1 + g % {len(practice.payer_ids)}]",
            "priority": "1",
            "member_id": f"'M{tag}' || lpad(g::text, 9, '0')",
            "relationship": "'18'",
            "subscriber_first_name": "'SUB'",
            "subscriber_last_name": "'SCRIBER'",
            "effective_date": "DATE '2020-01-01'",
        },
        f"generate_series(1::bigint, {count}) AS g",
    )
    return PatientBlock(practice, first, first_coverage, count)


def claims_load(*, patients: PatientBlock, count: int, offset: int, today: datetime.date) -> int:
    """`count` claims of the block's practice (ids after `offset` in its numbering): a visit,
    two lines, two diagnoses, the timeline, and for adjudicated claims a remittance."""
    practice = patients.practice
    first = _reserve_ids(Claim, count)
    first_encounter = _reserve_ids(Encounter, count)
    series = f"generate_series({offset + 1}::bigint, {offset + count}) AS g"
    status = _case("g % 100", STATUS_BY_PERCENT)
    service = f"(DATE '{today.isoformat()}' - (g * 7 % 540)::int)"
    pick = f"((g * 7919) % {patients.count})"  # which patient: spread over the block
    _insert(
        Encounter,
        {
            "id": f"{first_encounter} + g - {offset + 1}",
            "practice_id": str(practice.practice_id),
            "patient_id": f"{patients.first_patient_id} + {pick}",
            "rendering_provider_id": str(practice.provider_id),
            "date_of_service": service,
            "place_of_service": "'11'",
            "status": "'billed'",
        },
        series,
    )
    changed = f"LEAST(now(), {service}::timestamptz + ((g % 40) || ' days')::interval)"
    payers = "ARRAY[" + ",".join(str(p) for p in practice.payer_ids) + "]::bigint[]"
    _insert(
        Claim,
        {
            "id": f"{first} + g - {offset + 1}",
            "control_number": f"'K{practice.practice_id}-' || g",
            "practice_id": str(practice.practice_id),
            "encounter_id": f"{first_encounter} + g - {offset + 1}",
            "patient_id": f"{patients.first_patient_id} + {pick}",
            "coverage_id": f"{patients.first_coverage_id} + {pick}",
            "payer_id": f"({payers})[1 + ({pick} + 1) % {len(practice.payer_ids)}]",
            "rendering_provider_id": str(practice.provider_id),
            "place_of_service": "'11'",
            "service_date_from": service,
            "service_date_to": service,
            "total_charge": "(150 + g % 200)::numeric(12,2)",
            "status": status,
            "status_changed_at": changed,
            "created_at": f"{service}::timestamptz + interval '2 days'",
            "submitted_at": f"(CASE WHEN {status} IN ('draft','ready') THEN NULL "
            f"ELSE {service}::timestamptz + interval '3 days' END)",
            "payer_claim_number": f"(CASE WHEN {status} IN {REMITTED} THEN 'P' || g ELSE '' END)",
        },
        series,
    )
    claim_ids = f"(SELECT {first} + g - {offset + 1} AS claim_id, g FROM {series}) AS c"
    for position, code, charge in ((1, "99213", "100"), (2, "36415", "(50 + g % 200)")):
        _insert(
            ClaimLine,
            {
                "claim_id": "claim_id",
                "position": str(position),
                "control_number": f"'K{practice.practice_id}-' || g || '-{position}'",
                "procedure_code": f"'{code}'",
                "diagnosis_pointers": "'{1,2}'",
                "charge": f"{charge}::numeric(12,2)",
                "service_date": service,
                "units": "1",
            },
            claim_ids,
        )
    for position, codes in ((1, "ARRAY['E119','I10','J069','M545']"), (2, "ARRAY['Z0000','E785']")):
        _insert(
            ClaimDiagnosis,
            {"claim_id": "claim_id", "position": str(position), "code": f"({codes})[1 + g % 2]"},
            claim_ids,
        )
    _events_load(claim_ids=claim_ids, service=service, status=status, changed=changed)
    _remittances_load(practice=practice, first=first, offset=offset, count=count, status=status)
    return count


def _events_load(*, claim_ids: str, service: str, status: str, changed: str) -> None:
    _insert(
        ClaimEvent,
        {
            "claim_id": "claim_id",
            "at": f"{service}::timestamptz + interval '2 days'",
            "from_status": "''",
            "to_status": "'draft'",
            "source": "'user'",
        },
        claim_ids,
    )
    _insert(
        ClaimEvent,
        {
            "claim_id": "claim_id",
            "at": f"{service}::timestamptz + interval '3 days'",
            "from_status": "'ready'",
            "to_status": "'submitted'",
            "source": "'batch'",
        },
        f"{claim_ids} WHERE {status} NOT IN ('draft','ready')",
    )
    _insert(
        ClaimEvent,
        {
            "claim_id": "claim_id",
            "at": changed,
            "from_status": "'accepted'",
            "to_status": status,
            "source": "'835'",
        },
        f"{claim_ids} WHERE {status} IN {REMITTED}",
    )


def _remittances_load(
    *, practice: PracticeSetup, first: int, offset: int, count: int, status: str
) -> None:
    """One remittance per thousand claims; a claim payment, two line payments and their
    adjustments for every adjudicated claim."""
    remittances = (count + CLAIMS_PER_REMITTANCE - 1) // CLAIMS_PER_REMITTANCE
    first_remit = _reserve_ids(Remittance, remittances)
    _insert(
        Remittance,
        {
            "id": f"{first_remit} + r - 1",
            "practice_id": str(practice.practice_id),
            "payer_id": str(practice.payer_ids[0]),
            "payer_name": "'BENCH HEALTH'",
            "payer_identifier": f"'B{practice.practice_id}'",
            "trace_number": f"'T{practice.practice_id}-{offset}-' || r",
            "payment_method": "'ACH'",
            "payment_amount": "0",
            "payment_date": "current_date",
            "received_at": "now()",
        },
        f"generate_series(1::bigint, {remittances}) AS r",
    )
    series = f"generate_series({offset + 1}::bigint, {offset + count}) AS g"
    paid = f"(CASE WHEN {status} = 'denied' THEN 0 ELSE 80 END)"
    first_payment = _reserve_ids(ClaimPayment, count)
    _insert(
        ClaimPayment,
        {
            "id": f"{first_payment} + g - {offset + 1}",
            "practice_id": str(practice.practice_id),
            "remittance_id": f"{first_remit} + (g - {offset + 1}) / {CLAIMS_PER_REMITTANCE}",
            "claim_id": f"{first} + g - {offset + 1}",
            "control_number": f"'K{practice.practice_id}-' || g",
            "status_code": f"(CASE WHEN {status} = 'denied' THEN '4' ELSE '1' END)",
            "charge": "(150 + g % 200)::numeric(12,2)",
            "paid": paid,
            "patient_responsibility": "(CASE WHEN g % 3 = 0 THEN 20 ELSE 0 END)",
            "payer_claim_number": "'P' || g",
            "remarks": "'{}'",
        },
        f"{series} WHERE {status} IN {REMITTED}",
    )
    _insert(
        Adjustment,
        {
            "claim_payment_id": f"{first_payment} + g - {offset + 1}",
            "claim_id": f"{first} + g - {offset + 1}",
            "group": f"(CASE WHEN {status} = 'denied' THEN 'CO' ELSE 'CO' END)",
            "reason": f"(CASE WHEN {status} = 'denied' THEN "
            "(ARRAY['16','197','50','29','18'])[1 + g % 5] ELSE '45' END)",
            "amount": "(70 + g % 200)::numeric(12,2)",
        },
        f"{series} WHERE {status} IN {REMITTED}",
    )
    _insert(
        LinePayment,
        {
            "claim_payment_id": f"{first_payment} + g - {offset + 1}",
            "control_number": f"'K{practice.practice_id}-' || g || '-1'",
            "procedure_code": "'99213'",
            "modifiers": "'{}'",
            "charge": "100",
            "paid": paid,
            "remarks": "'{}'",
        },
        f"{series} WHERE {status} IN {REMITTED}",
    )


def now() -> datetime.datetime:
    return timezone.now()

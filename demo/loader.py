"""Load the demo data set once: practices, payers, fees, logins, patients, visits, claims, ERAs."""

from __future__ import annotations

import base64
import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.models import Claim
from demo.billing import claims_walk, plans_build, timelines_backdate
from demo.catalog import (
    DEMO_PASSWORD,
    LOGINS,
    PAYERS,
    PRACTICES,
    SEED,
    STANDARD_FEES,
    VIA,
    PayerSpec,
    PracticeSpec,
    npi_from,
)
from demo.people import CoverageContext, Person, people_build, people_save
from demo.remits import postings_build, remittances_save
from demo.visits import Visit, VisitContext, visits_build, visits_save
from denials.denial_records import denials_backfill
from denials.models import Remittance
from patients.models import Encounter, Patient
from rcm.audit.context import audit_context
from rcm.practice.models import Membership, Payer, Practice, Provider, Role, User
from rcm.practice.services import fee_schedule_set, membership_grant, payer_upsert, practice_create


class DemoConflict(Exception):
    """Some, not all, of the demo practices exist: refuse rather than guess."""


@dataclass
class DemoSummary:
    created: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    claim_statuses: dict[str, int] = field(default_factory=dict)
    kept_passwords: list[str] = field(default_factory=list)


def _demo_practices() -> dict[str, Practice]:
    by_npi = {p.npi: p for p in Practice.objects.filter(npi__in=[s.npi for s in PRACTICES])}
    return {spec.key: by_npi[spec.npi] for spec in PRACTICES if spec.npi in by_npi}


def demo_load(*, today: datetime.date | None = None) -> DemoSummary:
    """Load the demo once; later runs only make sure the demo logins exist, and write nothing."""
    started = time.monotonic()
    with audit_context(via=VIA), transaction.atomic():
        practices = _demo_practices()
        if len(practices) == len(PRACTICES):
            summary = DemoSummary(created=False)
            logins_ensure(practices)
        elif practices:
            names = ", ".join(p.name for p in practices.values())
            raise DemoConflict(f"Only part of the demo exists ({names}); remove it or finish it.")
        else:
            summary = DemoSummary(created=True)
            practices, summary.kept_passwords = _generate(today or timezone.localdate())
    summary.seconds = time.monotonic() - started
    summary.counts, summary.claim_statuses = demo_counts(practices)
    return summary


def logins_ensure(practices: dict[str, Practice], *, report_kept: bool = False) -> list[str]:
    """Create the missing demo logins; with `report_kept`, name those that keep another password.

    A demo login's staff flags are put back to the catalog's on every run: an older demo made
    `admin` a superuser, and only the operator may reach the Django admin.
    Checking a password costs a deliberate slow hash, so only the first load asks.
    """
    password: str | None = None
    kept = []
    for login in LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=login.username, first_name=login.first_name,
                last_name=login.last_name, email=f"{login.username}@example.com",
                password=password, is_staff=login.operator, is_superuser=login.operator,
            )  # fmt: skip
        else:
            if report_kept and not user.check_password(DEMO_PASSWORD):
                kept.append(login.username)
            if (user.is_staff, user.is_superuser) != (login.operator, login.operator):
                user.is_staff = user.is_superuser = login.operator
                user.save(update_fields=["is_staff", "is_superuser"])
        for practice_key, role in login.grants:
            membership_grant(user=user, practice=practices[practice_key], role=role)
        if any(role == Role.ADMINISTRATOR for _key, role in login.grants):
            demo_two_factor_ensure(user=user)
    return kept


# Administrators sign in with a second factor. The demo's are enrolled with this published key
# (RFC 6238's test key, never for real use), so a trial can add it to any authenticator app;
# `demo_logins` prints it and the current code.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"


def demo_two_factor_ensure(*, user: User) -> TOTPDevice:
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="Demo authenticator",
        defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
    )  # fmt: skip
    return device


def demo_totp_secret() -> str:
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def demo_totp_code() -> str:
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"


def _practice_setup(spec: PracticeSpec, payers: dict[str, Payer],
                    today: datetime.date) -> Practice:  # fmt: skip
    practice = practice_create(
        name=spec.name, npi=spec.npi, tin=spec.tin, taxonomy=spec.taxonomy,
        address1=spec.address1, city=spec.city, state="IL", zip_code=spec.zip_code,
        phone=spec.phone,
    )  # fmt: skip
    providers = [
        Provider(practice=practice, first_name=p.first_name, last_name=p.last_name,
                 credential=p.credential, npi=npi_from(p.npi_stem), taxonomy=p.taxonomy)
        for p in spec.providers
    ]  # fmt: skip
    for provider in providers:
        provider.full_clean()
    Provider.objects.bulk_create(providers)
    fee_schedule_set(
        practice=practice, name="Standard fees", effective_from=datetime.date(today.year - 2, 1, 1),
        charges=practice_fees(spec),
    )  # fmt: skip
    return practice


def practice_fees(spec: PracticeSpec) -> dict[str, Decimal]:
    return {
        code: (fee * spec.fee_factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for code, fee in STANDARD_FEES.items()
    }


def _payers_setup() -> dict[str, Payer]:
    return {
        spec.key: payer_upsert(
            payer_id=spec.payer_id,
            name=spec.name,
            claim_filing_indicator=spec.indicator,
            timely_filing_days=spec.timely_filing_days,
            turnaround_days=spec.turnaround_days,
            prior_auth_codes=list(spec.prior_auth_codes),
            submission_method=spec.submission_method,
            claims_address=spec.paper_claims_address or ("", "", "", ""),
        )
        for spec in PAYERS
    }


def _generate(today: datetime.date) -> tuple[dict[str, Practice], list[str]]:
    """Write the whole demo; returns the practices and the logins that kept their password."""
    rng = random.Random(SEED)  # noqa: S311 (reproducible synthetic data, not secrets)
    # The demo's history ends at the start of today, so a given day always gives the same data.
    now = datetime.datetime.combine(
        today, datetime.time(0, 0), tzinfo=timezone.get_current_timezone()
    )
    payers = _payers_setup()
    practices = {spec.key: _practice_setup(spec, payers, today) for spec in PRACTICES}
    kept = logins_ensure(practices, report_kept=True)  # the timelines name the demo's staff
    workers = User.objects.filter(username__in=["coder", "biller", "agency"])
    users = {user.username: user for user in workers}
    plan_names = {spec.key: spec.plan_name for spec in PAYERS}
    coverage_ctx = CoverageContext(payers=payers, plan_names=plan_names, today=today)
    people = {spec.key: people_build(rng, spec, practices[spec.key], coverage_ctx)
              for spec in PRACTICES}  # fmt: skip
    people_save([person for group in people.values() for person in group])
    contexts = {spec.key: _visit_context(spec, practices[spec.key], payers, today,
                                         users["coder"] if spec.key == "maple" else None)
                for spec in PRACTICES}  # fmt: skip
    visits = visits_build(rng, people, contexts, today)
    payer_specs: dict[int, PayerSpec] = {payers[spec.key].pk: spec for spec in PAYERS}
    plans = plans_build(rng, visits, payer_specs, now)
    visits_save(visits)
    billers = {practices["maple"].pk: users["biller"], practices["riverside"].pk: users["agency"]}
    claims_walk(plans, billers)
    timelines_backdate(plans)
    remittances_save(postings_build(rng, plans), now)
    # The demo's remittances are written as rows, not posted through era_post: their denials
    # are made as the denial queue's backfill makes them.
    denials_backfill(practice_ids=[p.pk for p in practices.values()])
    _created_backdate(rng, people, visits, now)
    return practices, kept


def _visit_context(spec: PracticeSpec, practice: Practice, payers: dict[str, Payer],
                   today: datetime.date, coder: User | None) -> VisitContext:  # fmt: skip
    providers = {p.npi: p for p in Provider.objects.filter(practice=practice)}
    return VisitContext(
        spec=spec, providers=[providers[npi_from(p.npi_stem)] for p in spec.providers],
        fees=practice_fees(spec),
        prior_auth_codes={payers[s.key].pk: frozenset(s.prior_auth_codes) for s in PAYERS},
        coder=coder, today=today,
    )  # fmt: skip


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.time(rng.randint(8, 16), rng.randint(0, 59))
    return datetime.datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _created_backdate(rng: random.Random, people: dict[str, list[Person]], visits: list[Visit],
                      now: datetime.datetime) -> None:  # fmt: skip
    """Patients registered before their first visit; encounters booked days before the visit."""
    first_visit: dict[int, datetime.date] = {}
    for visit in visits:
        patient_id, day = visit.encounter.patient_id, visit.encounter.date_of_service
        first_visit[patient_id] = min(day, first_visit.get(patient_id, day))
    patients = [person.patient for group in people.values() for person in group]
    for person in (p for group in people.values() for p in group):
        first = first_visit.get(person.patient.pk, timezone.localdate(now))
        days_before = rng.randint(1, 14) if person.is_new else rng.randint(200, 2000)
        person.patient.created_at = min(_at(first - datetime.timedelta(days=days_before), rng), now)
    Patient.objects.bulk_update(patients, ["created_at"], batch_size=1000)
    latest = now - datetime.timedelta(hours=1)
    for visit in visits:
        booked = visit.encounter.date_of_service - datetime.timedelta(days=rng.randint(1, 21))
        visit.encounter.created_at = min(_at(booked, rng), latest)
    Encounter.objects.bulk_update([v.encounter for v in visits], ["created_at"], batch_size=1000)


def demo_counts(practices: dict[str, Practice]) -> tuple[dict[str, int], dict[str, int]]:
    ids = [p.pk for p in practices.values()]
    counts = {
        "practices": len(ids),
        "providers": Provider.objects.filter(practice_id__in=ids).count(),
        "patients": Patient.objects.filter(practice_id__in=ids).count(),
        "encounters": Encounter.objects.filter(practice_id__in=ids).count(),
        "claims": Claim.objects.filter(practice_id__in=ids).count(),
        "remittances": Remittance.objects.filter(practice_id__in=ids).count(),
    }
    by_status = dict(
        Claim.objects.filter(practice_id__in=ids).values_list("status").annotate(n=Count("id"))
    )
    return counts, by_status


def logins_table() -> str:
    """The demo logins as they are in the database, for `demo_logins` and `load_demo`."""
    role_labels = dict(Role.choices)
    memberships = (
        Membership.objects.filter(user__username__in=[login.username for login in LOGINS])
        .select_related("user", "practice")
        .order_by("practice__name")
    )
    grants: dict[str, list[str]] = {}
    for membership in memberships:
        grants.setdefault(membership.user.username, []).append(
            f"{role_labels[membership.role]} at {membership.practice.name}"
        )
    operators = set(
        User.objects.filter(
            username__in=[login.username for login in LOGINS if login.operator],
            is_staff=True,
            is_superuser=True,
        ).values_list("username", flat=True)
    )
    if not grants and not operators:
        return "No demo logins yet: run `manage.py load_demo`."
    rows = [f"Demo logins (password for each: {DEMO_PASSWORD})"]
    two_factor_note = (
        f"  Administrators also give a code: add the key {demo_totp_secret()} to an "
        f"authenticator app (the code right now is {demo_totp_code()})."
    )
    for login in LOGINS:
        if login.username in grants:
            rows.append(f"  {login.username:<10} {'; '.join(grants[login.username])}")
        elif login.username in operators:
            rows.append(f"  {login.username:<10} operator: the Django admin (/admin/), no practice")
    return "\n".join([*rows, two_factor_note])

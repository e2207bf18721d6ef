"""The permission matrix: every page and API endpoint by every kind of user → the expected answer.

The URL names come from walking `rcm.urls`, the API's methods from the OpenAPI schema, the rules
from `tests/web/permission_rules.py`. A page or endpoint without a rule fails here, so a new one
cannot arrive without someone deciding who may use it.
"""

from __future__ import annotations

import base64
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from claims.models import ClaimAttachment, ClaimEdit, ClaimImport, ClaimStatus, SavedWorklist
from denials.models import ClaimPayment, Denial, DenialWriteOff, Remittance, WriteOffStatus
from patients.models import EligibilityCheck, EncounterStatus
from rcm.files.models import Direction, FileKind, FileStatus
from rcm.files.services import stored_file_quarantine, stored_file_save
from rcm.practice.models import PayerRule, Role
from rcm.practice.services import fee_schedule_set
from rcm.web.authentication import api_token_issue
from tests.factories import (
    ClaimFactory,
    CoverageFactory,
    EncounterFactory,
    MembershipFactory,
    PatientFactory,
    ProviderFactory,
    UserFactory,
)
from tests.web.permission_rules import EXCLUDED, RULES, SIGNED_IN, Literal, Rule

# Under these prefixes nothing is ours to rule: the operator's Django admin, static files.
EXCLUDED_PREFIXES = {
    "admin/": "the operator's Django admin, with its own login; tests/web/test_admin.py",
}
PAGE_METHODS_PROBED = ("GET", "POST")


def _url_names(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if any(pattern.startswith(excluded) for excluded in EXCLUDED_PREFIXES):
                continue
            yield from _url_names(entry, pattern)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"the URL {pattern!r} needs a name, and then a rule"
            yield entry.name, pattern


URL_NAMES = dict(_url_names(get_resolver()))


def _api_methods() -> dict[str, set[str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods: dict[str, set[str]] = {}
    for path, operations in schema["paths"].items():
        name = resolve(re.sub(r"\{[^}]+\}", "1", path)).url_name
        methods.setdefault(name, set()).update(method.upper() for method in operations)
    return methods


API_METHODS = _api_methods()


# --- who asks --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Asker:
    """A kind of user: their roles in practice A (the objects' own) and in practice B."""

    label: str
    in_a: tuple[str, ...] = ()
    in_b: tuple[str, ...] = ()
    anonymous: bool = False


ASKERS = (
    Asker("anonymous", anonymous=True),
    Asker("front_desk_a", in_a=(Role.FRONT_DESK,)),
    Asker("coder_a", in_a=(Role.CODER,)),
    Asker("biller_a", in_a=(Role.BILLER,)),
    Asker("administrator_a", in_a=(Role.ADMINISTRATOR,)),
    # A member of practice B only, with every right there: nothing of A.
    Asker("administrator_b_only", in_b=(Role.ADMINISTRATOR,)),
    # Different roles in the two practices: only A's role counts for A's rows.
    Asker("coder_a_administrator_b", in_a=(Role.CODER,), in_b=(Role.ADMINISTRATOR,)),
    Asker("front_desk_a_biller_b", in_a=(Role.FRONT_DESK,), in_b=(Role.BILLER,)),
)

ALLOWED, FORBIDDEN, NOT_FOUND, REFUSED, SIGN_IN = "allowed", "403", "404", "refused", "sign in"


def expected_outcome(rule: Rule, method: str, asker: Asker) -> str:
    roles = rule.methods[method]
    if asker.anonymous:
        return SIGN_IN
    if roles is SIGNED_IN:
        return ALLOWED
    if not set(roles) & {*asker.in_a, *asker.in_b}:
        return FORBIDDEN  # no practice where the role is held: the door refuses
    if not rule.names_an_object(method) or set(roles) & set(asker.in_a):
        return ALLOWED
    if not rule.args:
        return REFUSED  # a practice or row of A named in the body: a 400 on that field will do
    if not asker.in_a:
        return NOT_FOUND  # A's rows do not exist for a non-member
    return FORBIDDEN  # a member of A whose role in A does not allow it


def actual_outcome(response: Any, *, api: bool) -> str:
    code = response.status_code
    assert code < 500, f"server error {code}"
    if code in (401,) and api:
        return SIGN_IN
    if code == 302 and response["Location"].startswith("/login/"):
        return SIGN_IN
    if code in (200, 201, 204, 302, 303, 409):
        return ALLOWED
    return {403: FORBIDDEN, 404: NOT_FOUND}.get(code, str(code))


def matches(expected: str, actual: str) -> bool:
    if expected == REFUSED:
        return actual in (FORBIDDEN, NOT_FOUND, "400")
    if expected == ALLOWED:
        return actual in (ALLOWED, "400")  # 400: past the door, the (empty) input refused
    return expected == actual


# --- what they ask about: practice A's objects --------------------------------------------------
# A whole 1x1 transparent PNG (cards are checked chunk by chunk, CRCs included).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def objects(practice_a, practice_b) -> dict[str, Any]:
    from patients.coverage.services import coverage_card_upload
    from patients.models import CardSide

    front_desk = UserFactory(username="matrix_fd", password=None)
    MembershipFactory(user=front_desk, practice=practice_a, role=Role.FRONT_DESK)
    patient = PatientFactory(practice=practice_a)
    coverage = CoverageFactory(patient=patient)
    card = coverage_card_upload(
        coverage=coverage, side=CardSide.FRONT, name="c.png", content=PNG, user=front_desk
    )
    sent = stored_file_save(
        kind=FileKind.ELIGIBILITY_270, direction=Direction.OUTBOUND, name="270.x12",
        content=b"ISA*00~", practice_id=practice_a.pk,
    )  # fmt: skip
    check = EligibilityCheck.objects.create(
        practice=practice_a, coverage=coverage, service_date=patient.date_of_birth,
        request_file=sent,
    )  # fmt: skip
    quarantined = stored_file_quarantine(
        stored=stored_file_save(
            kind=FileKind.REMITTANCE_835, direction=Direction.INBOUND, name="bad.835",
            content=b"garbage", practice_id=practice_a.pk,
        ),
        error="not X12",
    )  # fmt: skip
    assert quarantined.status == FileStatus.QUARANTINED
    claim = ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.READY)
    remittance, posting_exception = _remittance_with_exception(practice_a)
    denial = _denial_of(claim)
    return {
        "practice": practice_a,
        "patient": patient,
        "duplicate": PatientFactory(practice=practice_a, last_name=patient.last_name),
        "provider": ProviderFactory(practice=practice_a),
        "coverage": coverage,
        "card": card,
        "check": check,
        "visit": EncounterFactory(patient=patient, status=EncounterStatus.SCHEDULED),
        "coding_visit": EncounterFactory(
            patient__practice=practice_a,
            status=EncounterStatus.AWAITING_CODING,
            clinical_note="Follow-up of type 2 diabetes.",
        ),
        "claim": claim,
        "claim_edit": ClaimEdit.objects.create(
            claim=claim, edit="timely_filing.near", severity="warning", message="Send it soon."
        ),
        "attachment": ClaimAttachment.objects.create(
            claim=claim, report_type="OZ", transmission="FX", control_number="FAX-1"
        ),
        "payer_rule": PayerRule.objects.create(
            practice=practice_a, payer=claim.payer, codes="97110", action="hold", message="Call."
        ),
        "worklist": SavedWorklist.objects.create(
            practice=practice_a, name="Big denials", criteria={"amount_min": "500"}
        ),
        "quarantined": quarantined,
        "remittance": remittance,
        "posting_exception": posting_exception,
        "denial": denial,
        "denial_write_off": DenialWriteOff.objects.create(
            practice=practice_a,
            denial=denial,
            amount=denial.amount,
            note="Too old to appeal.",
            status=WriteOffStatus.PENDING,
            requested_by=front_desk,
        ),
        "claim_import": ClaimImport.objects.create(
            practice=practice_a,
            file_name="client.837",
            source_file=stored_file_save(
                kind=FileKind.CLAIM_837P,
                direction=Direction.INBOUND,
                name="client.837",
                content=b"ISA*00*client~",
                practice_id=practice_a.pk,
            ),
        ),
        "member": front_desk,
        "fee_schedule": fee_schedule_set(
            practice=practice_a,
            name="Standard",
            effective_from=datetime.date(2026, 1, 1),
            charges={"99213": Decimal("150.00")},
        ),
    }


def _remittance_with_exception(practice) -> tuple[Any, Any]:
    from denials.models import ClaimPayment, ExceptionReason, PostingException, Remittance

    remittance = Remittance.objects.create(
        practice=practice, payer_name="NORTHWIND HEALTH", trace_number="TMATRIX",
        payer_identifier="1512345678", payment_method="ACH", payment_amount=Decimal("80.00"),
        file=stored_file_save(
            kind=FileKind.REMITTANCE_835, direction=Direction.INBOUND, name="paid.835",
            content=b"ISA*00*paid~", practice_id=practice.pk,
        ),
    )  # fmt: skip
    payment = ClaimPayment.objects.create(
        practice=practice, remittance=remittance, control_number="CLM404", status_code="1",
        charge=Decimal("80.00"), paid=Decimal("80.00"),
    )  # fmt: skip
    exception = PostingException.objects.create(
        practice=practice, remittance=remittance, claim_payment=payment,
        reason=ExceptionReason.NO_CLAIM, message="no claim with control number CLM404",
    )  # fmt: skip
    return remittance, exception


def _denial_of(claim) -> Denial:
    """A claim-level denial of `claim` (CO-50), from a posted payment."""
    remittance = Remittance.objects.create(
        practice=claim.practice, payer=claim.payer, payer_name="MATRIX PAYER", trace_number="M1",
        payer_identifier="1512345678", payment_method="NON", payment_amount=Decimal("0"),
        payment_date=datetime.date(2026, 11, 27),
    )  # fmt: skip
    payment = ClaimPayment.objects.create(
        practice=claim.practice, remittance=remittance, claim=claim,
        control_number=claim.control_number, status_code="4", charge=Decimal("150"),
        paid=Decimal("0"),
    )  # fmt: skip
    return Denial.objects.create(
        practice=claim.practice, claim=claim, claim_payment=payment, group="CO", carc="50",
        category="medical_necessity", amount=Decimal("150.00"),
        denied_on=datetime.date(2026, 11, 27), due_on=datetime.date(2027, 1, 26),
    )  # fmt: skip


def _value(value: str | Literal, objects: dict[str, Any]) -> Any:
    if isinstance(value, Literal):
        return [value.value] if value.value == "99213" else value.value
    return objects[value].pk


def _user_for(asker: Asker, practice_a, practice_b):
    user = UserFactory(username=f"matrix_{asker.label}", password=None)  # no hashing: fast
    for practice, roles in ((practice_a, asker.in_a), (practice_b, asker.in_b)):
        for role in roles:
            MembershipFactory(user=user, practice=practice, role=role)
    return user


def _client_for(user, *, api: bool) -> Any:
    if api:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
        return client
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- the tests -----------------------------------------------------------------------------------
def test_every_page_and_endpoint_has_a_rule():
    missing = [
        f"add a rule for {name} ({pattern}) to tests/web/permission_rules.py"
        for name, pattern in URL_NAMES.items()
        if name not in RULES and name not in EXCLUDED
    ]
    assert not missing, "\n".join(missing)
    stale = set(RULES) - set(URL_NAMES)
    assert not stale, f"rules for URL names that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(name for name in API_METHODS if name not in EXCLUDED))
def test_the_rule_covers_every_method_the_api_accepts(name):
    assert name in RULES, f"add a rule for {name} to tests/web/permission_rules.py"
    assert set(RULES[name].methods) == API_METHODS[name], (
        f"the rule for {name} covers {sorted(RULES[name].methods)}, "
        f"the API accepts {sorted(API_METHODS[name])}"
    )


@pytest.mark.parametrize("name", sorted(RULES))
def test_permission_matrix(name, objects, practice_a, practice_b):
    rule = RULES[name]
    api = URL_NAMES[name].startswith("api/")
    url = reverse(name, kwargs={key: _value(v, objects) for key, v in rule.args.items()})
    users = {asker: _user_for(asker, practice_a, practice_b) for asker in ASKERS
             if not asker.anonymous}  # fmt: skip
    wrong = []
    for asker in ASKERS:
        client = _client_for(users.get(asker), api=api)
        for method, body_spec in ((m, rule.body.get(m, {})) for m in rule.methods):
            body = {key: _value(value, objects) for key, value in body_spec.items()}
            with transaction.atomic():  # each ask starts from the same rows
                call = getattr(client, method.lower())
                if api and body:
                    response = call(url, body, format="json")
                else:
                    response = call(url, body) if body else call(url)
                transaction.set_rollback(True)
            expected = expected_outcome(rule, method, asker)
            actual = actual_outcome(response, api=api)
            if not matches(expected, actual):
                wrong.append(
                    f"{method} {url} as {asker.label}: expected {expected}, "
                    f"got {response.status_code}"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n in RULES if not URL_NAMES[n].startswith("api/")))
def test_a_page_refuses_the_methods_it_has_no_rule_for(name, objects, practice_a, practice_b):
    rule = RULES[name]
    url = reverse(name, kwargs={key: _value(v, objects) for key, v in rule.args.items()})
    administrator = _user_for(
        Asker("administrator_a", in_a=(Role.ADMINISTRATOR,)), practice_a, practice_b
    )
    client = _client_for(administrator, api=False)
    for method in PAGE_METHODS_PROBED:
        if method in rule.methods:
            continue
        with transaction.atomic():
            response = getattr(client, method.lower())(url)
            transaction.set_rollback(True)
        assert response.status_code == 405, (
            f"{method} {url} answered {response.status_code}: refuse it "
            f"(require_GET / require_POST) or add {method} to its rule"
        )

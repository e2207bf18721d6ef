"""Hostile values into every form POST and API write: 4xx with a message or a form again, never
500, and nothing written when refused.

The endpoints come from the URL configuration, so a new page or API view is fuzzed without
anyone adding it here. Ids in paths are those of a small world (one patient with a coverage,
a visit in coding and a claim) so the requests reach the views' validation, not only 404.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from patients.models import EncounterStatus
from rcm.audit.models import AuditEvent
from rcm.practice.models import Role
from tests.factories import (
    ClaimFactory,
    CoverageFactory,
    EncounterFactory,
    MembershipFactory,
    PatientFactory,
    UserFactory,
)

# Signing out, the API's own routes, health: nothing to fuzz there (the token endpoint belongs
# to the sign-in rules, and schemathesis covers it).
SKIPPED = {"logout", "health", "api-schema", "api-docs", "api-token"}


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin"):
                continue
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SKIPPED:
            found.append((pattern.name, "/" + prefix + str(pattern.pattern)))
    return found


ROUTES = _routes(get_resolver().url_patterns)
PAGES = [(name, route) for name, route in ROUTES if not route.startswith("/api/")]
API = [(name, route) for name, route in ROUTES if route.startswith("/api/")]

# Every field name any of our forms or API inputs reads (the views take what they know).
FIELDS = [
    "q", "practice", "next", "first_name", "middle_name", "last_name", "date_of_birth", "sex",
    "address1", "address2", "city", "state", "zip_code", "phone", "email", "keep", "confirm",
    "other", "payer", "payer_id", "priority", "member_id", "group_number", "plan_name",
    "relationship", "subscriber_first_name", "subscriber_last_name", "subscriber_date_of_birth",
    "subscriber_address1", "subscriber_city", "subscriber_state", "subscriber_zip_code",
    "effective_date", "termination_date", "direction", "side", "service_date", "encounter",
    "rendering_provider", "date_of_service", "place_of_service", "clinical_note",
    "prior_authorization", "patient", "coder", "action", "dx", "line-count", "line-1-code",
    "line-1-units", "line-1-charge", "line-1-ptr1", "line-1-mod1", "page", "status", "queue",
    "codes", "from", "to", "provider", "assigned", "system", "date", "code", "limit", "reason",
    "self_pay", "self_pay_page",
]  # fmt: skip

HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            "O*Brien", "Smith~ISA", "Ann:Marie", "^", "|", "a\r\nb", "\x00", "x\x00y", "²", "١٢٣",
            "NaN", "Infinity", "-1", "1e400", "10000000000", "0001-01-01", "9999-12-31",
            "99/99/9999", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd",
            "\ud7ff\ufeff", "🙂" * 50, "", " ",
        ]
    ),
    st.text(alphabet=st.sampled_from("*~:^|\x00\r\n²³٣0123456789aZ '-./"), max_size=40),
    st.just("A" * 100_000),
)  # fmt: skip
JSON_VALUE = st.recursive(
    st.one_of(HOSTILE_TEXT, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(), inner, max_size=3)
    ),
    max_leaves=6,
)
FORM_PAYLOAD = st.dictionaries(st.sampled_from(FIELDS), HOSTILE_TEXT, min_size=1, max_size=12)
API_PAYLOAD = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), JSON_VALUE, min_size=1, max_size=12),
    JSON_VALUE,
)
EVERY_FIELD_NUL = dict.fromkeys(FIELDS, "x\x00*~")
EVERY_FIELD_HUGE = dict.fromkeys(FIELDS, "9" * 25_000)  # 1.7 MB: under the upload limit


@pytest.fixture
def world(practice_a):
    """A user with every role in practice A, and one row of each kind the paths name."""
    user = UserFactory(username="every_role")
    for role in Role.values:
        MembershipFactory(user=user, practice=practice_a, role=role)
    patient = PatientFactory(practice=practice_a)
    coverage = CoverageFactory(patient=patient, priority=1)
    encounter = EncounterFactory(patient=patient, status=EncounterStatus.AWAITING_CODING)
    claim = ClaimFactory(encounter__patient=patient, coverage=coverage)
    ids = {"patient": patient.pk, "coverage": coverage.pk, "encounter": encounter.pk,
           "claim": claim.pk}  # fmt: skip
    return user, ids


def _path(name: str, route: str, ids: dict[str, int]) -> str:
    if "coverage" in name or "eligibility" in name:
        pk = ids["coverage"]
    elif "claim" in name or "payer" in name:
        pk = ids["claim"]
    elif any(word in name for word in ("visit", "coding", "encounter")):
        pk = ids["encounter"]
    else:
        pk = ids["patient"]
    return (
        route.replace("<int:patient_id>", str(ids["patient"]))
        .replace("<int:pk>", str(pk))
        .replace("<slug:queue>", "ready")
        .replace("<str:which>", "request")
    )


def _refused_writes_nothing(response: Any, before: int) -> None:
    assert response.status_code < 500, response.content[:500]
    if 400 <= response.status_code < 500:
        assert AuditEvent.objects.count() == before, "a refused request wrote a row"
        if response.status_code == 400:  # not 405 (a GET-only page) nor 404
            assert response.content.strip(), "a refusal says why"


FUZZ = settings(
    max_examples=2, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.parametrize(("name", "route"), PAGES, ids=[name for name, _ in PAGES])
def test_every_form_post_survives_hostile_values(client, world, name, route):
    user, ids = world
    client.force_login(user)
    path = _path(name, route, ids)

    @FUZZ
    @example(payload=EVERY_FIELD_NUL)
    @example(payload=EVERY_FIELD_HUGE)
    @given(payload=FORM_PAYLOAD)
    def post(payload):
        before = AuditEvent.objects.count()
        _refused_writes_nothing(client.post(path, payload), before)

    post()


@pytest.mark.parametrize(("name", "route"), API, ids=[name for name, _ in API])
def test_every_api_write_survives_hostile_values(world, name, route):
    user, ids = world
    api = APIClient()
    api.force_authenticate(user)
    path = _path(name, route, ids)
    deep = "[" * 5000 + "]" * 5000

    @FUZZ
    @example(payload=EVERY_FIELD_NUL, method="post")
    @example(payload=EVERY_FIELD_HUGE, method="patch")
    @example(payload=deep, method="post")
    @given(payload=API_PAYLOAD, method=st.sampled_from(["post", "patch", "put"]))
    def write(payload, method):
        body = payload if isinstance(payload, str) and payload is deep else json.dumps(payload)
        before = AuditEvent.objects.count()
        response = api.generic(method.upper(), path, body, content_type="application/json")
        _refused_writes_nothing(response, before)

    write()

"""schemathesis against our own OpenAPI schema: whatever it generates, the API never answers 500.

Cases are generated from `/api/schema/` (positive and negative data) and sent through Django's
test client, signed in as a user who holds every role in the practice, so each operation gets
past authentication and its role check and into its validation.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.core import NOT_SET
from schemathesis.generation import GenerationMode

from rcm.practice.models import Role
from tests.factories import (
    CoverageFactory,
    EncounterFactory,
    MembershipFactory,
    PatientFactory,
    UserFactory,
)

EXAMPLES = 100  # across every operation: a few per operation keeps this well under a minute


@pytest.fixture
def everyone_api(practice_a):
    user = UserFactory(username="every_role")
    for role in Role.values:
        MembershipFactory(user=user, practice=practice_a, role=role)
    client = APIClient()
    client.force_authenticate(user)
    # A little of everything, so generated ids sometimes hit a row (ids start low).
    patient = PatientFactory(practice=practice_a)
    CoverageFactory(patient=patient)
    EncounterFactory(patient=patient)
    return client


def _operations(client: APIClient) -> list[Any]:
    schema = schemathesis.openapi.from_dict(client.get("/api/schema/?format=json").json())
    return [result.ok() for result in schema.get_all_operations()]


def _send(client: APIClient, case: Any) -> Any:
    """The generated request, through Django's test client (no server, no network)."""
    query = urlencode({k: v for k, v in (case.query or {}).items() if v is not None}, doseq=True)
    url = f"{case.formatted_path}?{query}" if query else case.formatted_path
    method, body = case.method.upper(), case.body
    if body is NOT_SET or body is None:
        return client.generic(method, url)
    media = case.media_type or "application/json"
    if "multipart" in media and isinstance(body, dict):
        fields = {
            k: v if isinstance(v, str | bytes) else json.dumps(v, default=str)
            for k, v in body.items()
        }
        return client.generic(
            method, url, encode_multipart(BOUNDARY, fields), content_type=MULTIPART_CONTENT
        )
    if "json" in media:
        return client.generic(
            method, url, json.dumps(body, default=str), content_type="application/json"
        )
    return client.generic(method, url, str(body), content_type=media)


@pytest.mark.django_db(transaction=False)
def test_no_generated_request_gets_a_500(everyone_api):
    operations = _operations(everyone_api)
    assert len(operations) > 10  # the schema is there and read
    strategies = [
        op.as_strategy(generation_mode=mode)
        for op in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data):
        case = data.draw(st.one_of(strategies))
        response = _send(everyone_api, case)
        assert response.status_code < 500, (case.method, case.formatted_path, case.body)

    check()

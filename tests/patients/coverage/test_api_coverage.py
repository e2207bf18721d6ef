"""The coverage API: the same operations as the pages, fenced by practice and role."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from patients.coverage.services import coverage_card_upload
from patients.models import CardSide, Coverage
from rcm.web.authentication import api_token_issue
from tests.factories import CoverageFactory, PatientFactory, PayerFactory

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def api_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return client


@pytest.fixture
def patient(practice_a):
    return PatientFactory(practice=practice_a)


@pytest.fixture
def payer(db):
    return PayerFactory(name="Northwind Health", payer_id="NWH01")


def body(**changes):
    return {"payer_id": "NWH01", "priority": 1, "member_id": "NW1", "effective_date": "2026-01-01",
            **changes}  # fmt: skip


def test_front_desk_creates_and_lists_coverages(front_desk, patient, payer):
    api = api_for(front_desk)

    created = api.post(reverse("api-coverage-create", args=[patient.pk]), body(), format="json")

    assert created.status_code == 201, created.json()
    assert created.json()["payer_name"] == "Northwind Health"
    listed = api.get(reverse("api-coverage-list", args=[patient.pk])).json()
    assert [(row["priority"], row["member_id"], row["active_today"]) for row in listed] == [
        (1, "NW1", datetime.date.today() >= datetime.date(2026, 1, 1))
    ]


def test_field_errors_come_back_as_400(front_desk, patient, payer):
    api = api_for(front_desk)
    url = reverse("api-coverage-create", args=[patient.pk])

    missing = api.post(url, body(relationship="01"), format="json")
    assert missing.status_code == 400
    assert missing.json()["subscriber_first_name"] == ["Enter the subscriber's first name."]
    unknown = api.post(url, body(payer_id="NOPE", effective_date="soon"), format="json")
    assert set(unknown.json()) == {"payer_id", "effective_date"}
    backwards = api.post(url, body(termination_date="2025-01-01"), format="json")
    assert "cannot end before it starts" in backwards.json()["termination_date"][0]
    assert not Coverage.objects.exists()


def test_an_overlap_is_refused(front_desk, patient, payer):
    CoverageFactory(patient=patient, priority=1, effective_date=datetime.date(2025, 1, 1))

    response = api_for(front_desk).post(
        reverse("api-coverage-create", args=[patient.pk]), body(), format="json"
    )

    assert response.status_code == 400
    assert "already has primary coverage" in response.json()["non_field_errors"][0]
    assert Coverage.objects.count() == 1


def test_update_and_move(front_desk, patient, payer):
    primary = CoverageFactory(patient=patient, priority=1)
    secondary = CoverageFactory(patient=patient, priority=2)
    api = api_for(front_desk)

    updated = api.patch(
        reverse("api-coverage-update", args=[secondary.pk]), {"member_id": "X9"}, format="json"
    )
    moved = api.post(
        reverse("api-coverage-move", args=[secondary.pk]), {"direction": "up"}, format="json"
    )

    assert updated.status_code == 200 and updated.json()["member_id"] == "X9"
    assert moved.status_code == 200
    assert [row["id"] for row in moved.json()] == [secondary.pk, primary.pk]
    refused = api.post(reverse("api-coverage-move", args=[secondary.pk]), {"direction": "up"})
    assert refused.status_code == 400
    assert (
        api.post(
            reverse("api-coverage-move", args=[primary.pk]), {"direction": "sideways"}
        ).status_code
        == 400
    )


def test_card_upload_and_download(front_desk, biller, coder, patient):
    coverage = CoverageFactory(patient=patient)
    url = reverse("api-coverage-card-upload", args=[coverage.pk])

    bad = api_for(front_desk).post(
        url,
        {"side": "front", "file": SimpleUploadedFile("c.jpg", b"plain text")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json() == {"file": ["That file is not a JPEG, PNG or PDF."]}
    good = api_for(front_desk).post(
        url, {"side": "front", "file": SimpleUploadedFile("c.png", PNG)}, format="multipart"
    )
    assert good.status_code == 201
    card_url = reverse("api-coverage-card", args=[good.json()["id"]])

    download = api_for(biller).get(card_url, HTTP_ACCEPT="image/png")
    assert download.status_code == 200 and download.content == PNG
    assert download["Cache-Control"] == "private, no-store"
    assert api_for(coder).get(card_url).status_code == 403
    coder_list = api_for(coder).get(reverse("api-coverage-list", args=[patient.pk])).json()
    biller_list = api_for(biller).get(reverse("api-coverage-list", args=[patient.pk])).json()
    assert coder_list[0]["cards"] == [] and biller_list[0]["cards"][0]["side"] == "front"


def test_roles_and_practices_fence_every_operation(front_desk, biller, biller_b, patient, payer):
    coverage = CoverageFactory(patient=patient)
    card = coverage_card_upload(
        coverage=coverage, side=CardSide.BACK, name="b.png", content=PNG, user=front_desk
    )
    outsider, reader = api_for(biller_b), api_for(biller)

    assert outsider.get(reverse("api-coverage-list", args=[patient.pk])).status_code == 404
    assert (
        outsider.post(reverse("api-coverage-create", args=[patient.pk]), body()).status_code == 404
    )
    assert outsider.patch(reverse("api-coverage-update", args=[coverage.pk]), {}).status_code == 404
    assert (
        outsider.post(
            reverse("api-coverage-move", args=[coverage.pk]), {"direction": "down"}
        ).status_code
        == 404
    )
    assert outsider.get(reverse("api-coverage-card", args=[card.pk])).status_code == 404
    assert reader.post(reverse("api-coverage-create", args=[patient.pk]), body()).status_code == 403
    assert (
        reader.post(
            reverse("api-coverage-move", args=[coverage.pk]), {"direction": "down"}
        ).status_code
        == 403
    )
    assert APIClient().get(reverse("api-coverage-list", args=[patient.pk])).status_code == 401
    coverage.refresh_from_db()
    assert coverage.priority == 1


def test_the_schema_documents_the_coverage_endpoints(front_desk):
    schema = api_for(front_desk).get(reverse("api-schema"), {"format": "json"}).json()

    paths = schema["paths"]
    assert "post" in paths["/api/patients/{patient_id}/coverages/create/"]
    assert (
        "multipart/form-data"
        in paths["/api/coverages/{id}/cards/"]["post"]["requestBody"]["content"]
    )
    assert "image/png" in paths["/api/cards/{id}/"]["get"]["responses"]["200"]["content"]

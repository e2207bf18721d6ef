"""Insurance card uploads: real type and size checked, kept privately, shown only by role."""

from __future__ import annotations

import base64
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from patients.coverage.services import coverage_card_upload
from patients.models import CardSide, CoverageCard
from rcm.audit.models import AuditEvent
from rcm.files.models import FileKind, StoredFile
from tests.factories import CoverageFactory, PatientFactory

# A 1x1 transparent PNG, and the shortest byte strings that open as JPEG and PDF. Never real cards.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
# A 16x16 baseline JPEG (CPython's test_email/data/python.jpg): cards are now walked to the end,
# so the markers-only JPEG this file used before no longer passes as an image.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJ"
    "DRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAA"
    "AQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAA"
    "AAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSl"
    "H9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO"
    "1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gE"
    "KcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024


@pytest.fixture
def coverage(practice_a):
    return CoverageFactory(patient=PatientFactory(practice=practice_a), payer__name="Acme Care")


def upload(
    client, coverage, content, name="card.png", side=CardSide.FRONT, content_type="image/png"
):
    return client.post(
        reverse("coverage-card-upload", args=[coverage.pk]),
        {"side": side, "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_front_desk_uploads_the_front_and_back(client, front_desk, coverage):
    client.force_login(front_desk)

    assert upload(client, coverage, PNG).status_code == 302
    assert (
        upload(client, coverage, PDF, "back.pdf", CardSide.BACK, "application/pdf").status_code
        == 302
    )

    cards = {card.side: card for card in coverage.cards.all()}
    assert cards[CardSide.FRONT].content_type == "image/png"
    assert cards[CardSide.BACK].content_type == "application/pdf"
    assert cards[CardSide.FRONT].uploaded_by == front_desk
    stored = cards[CardSide.FRONT].file
    assert (stored.kind, stored.size, stored.practice_id) == (
        FileKind.CARD,
        len(PNG),
        coverage.practice_id,
    )


def test_the_real_type_comes_from_the_bytes_not_the_name(client, front_desk, coverage):
    client.force_login(front_desk)

    response = upload(
        client, coverage, b"just some text, honest", "card.jpg", content_type="image/jpeg"
    )

    assert response.status_code == 200
    assert "That file is not a JPEG, PNG or PDF." in response.content.decode()
    assert not CoverageCard.objects.exists()
    assert not StoredFile.objects.filter(kind=FileKind.CARD).exists()


def test_a_jpeg_named_png_is_stored_as_the_jpeg_it_is(client, front_desk, coverage):
    client.force_login(front_desk)

    upload(client, coverage, JPEG, "photo.png")

    assert coverage.cards.get().content_type == "image/jpeg"


def test_a_file_over_the_limit_is_refused_with_both_sizes(client, front_desk, coverage):
    client.force_login(front_desk)
    content = PNG + b"\x00" * (int(14.2 * MB) - len(PNG))

    response = upload(client, coverage, content)

    assert "The file is 14.2 MB; the limit is 10 MB" in response.content.decode()
    assert not CoverageCard.objects.exists()


def test_the_limit_is_a_setting(settings, front_desk, coverage):
    settings.RCM_CARD_MAX_BYTES = 1 * MB

    with pytest.raises(ValidationError, match=r"The file is 1.5 MB; the limit is 1 MB"):
        coverage_card_upload(
            coverage=coverage, side=CardSide.FRONT, name="big.png",
            content=PNG + b"\x00" * int(1.5 * MB - len(PNG)), user=front_desk,
        )  # fmt: skip


def test_an_empty_file_or_no_side_is_refused(client, front_desk, coverage):
    client.force_login(front_desk)

    body = client.post(
        reverse("coverage-card-upload", args=[coverage.pk]),
        {"file": SimpleUploadedFile("card.png", PNG, content_type="image/png")},
    ).content.decode()
    assert "Choose front or back." in body
    with pytest.raises(ValidationError, match=r"The file is empty\."):
        coverage_card_upload(
            coverage=coverage, side=CardSide.FRONT, name="x", content=b"", user=front_desk
        )


def test_a_new_upload_replaces_the_shown_card_and_keeps_the_old(client, front_desk, coverage):
    client.force_login(front_desk)
    upload(client, coverage, PNG)
    first = coverage.cards.get()

    upload(client, coverage, JPEG, "better.jpg")

    assert coverage.cards.count() == 2
    chart = client.get(reverse("patient-detail", args=[coverage.patient_id])).content.decode()
    newest = coverage.cards.exclude(pk=first.pk).get()
    assert reverse("coverage-card", args=[newest.pk]) in chart
    assert reverse("coverage-card", args=[first.pk]) not in chart
    assert "1 earlier upload" in chart
    history = client.get(reverse("coverage-card-upload", args=[coverage.pk])).content.decode()
    assert reverse("coverage-card", args=[first.pk]) in history
    assert client.get(reverse("coverage-card", args=[first.pk])).content == PNG


def test_the_same_picture_twice_is_stored_once(client, front_desk, coverage, practice_a):
    other = CoverageFactory(patient=PatientFactory(practice=practice_a), priority=2)
    client.force_login(front_desk)

    assert upload(client, coverage, PNG).status_code == 302
    assert upload(client, coverage, PNG).status_code == 302
    assert upload(client, other, PNG).status_code == 302

    assert coverage.cards.count() == 1
    assert StoredFile.objects.filter(kind=FileKind.CARD).count() == 1
    assert other.cards.get().file_id == coverage.cards.get().file_id


def test_the_card_is_served_privately_and_each_look_is_audited(
    client, biller, front_desk, coverage
):
    card = coverage_card_upload(
        coverage=coverage, side=CardSide.FRONT, name="c.png", content=PNG, user=front_desk
    )
    client.force_login(biller)

    response = client.get(reverse("coverage-card", args=[card.pk]))

    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(
        table_name="patients_coveragecard", object_pk=str(card.pk), action="view"
    )
    assert (event.action, event.actor_id, event.practice_id) == (
        "view",
        biller.pk,
        card.practice_id,
    )


def test_coders_and_other_practices_never_see_a_card(client, coder, biller_b, front_desk, coverage):
    card = coverage_card_upload(
        coverage=coverage, side=CardSide.FRONT, name="c.png", content=PNG, user=front_desk
    )
    url = reverse("coverage-card", args=[card.pk])

    client.force_login(coder)
    assert client.get(url).status_code == 403
    chart = client.get(reverse("patient-detail", args=[coverage.patient_id])).content.decode()
    assert url not in chart and "Upload card" not in chart
    client.force_login(biller_b)
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(table_name="patients_coveragecard", action="view").exists()


def test_only_front_desk_and_administrators_upload(client, biller, administrator, coverage):
    client.force_login(biller)
    assert upload(client, coverage, PNG).status_code == 403
    client.force_login(administrator)
    assert upload(client, coverage, PNG).status_code == 302
    assert coverage.cards.count() == 1


def test_uploading_to_another_practices_coverage_is_not_found(client, front_desk, practice_b):
    b_coverage = CoverageFactory(patient=PatientFactory(practice=practice_b))
    client.force_login(front_desk)

    assert upload(client, b_coverage, PNG).status_code == 404
    assert not CoverageCard.objects.exists()


def test_stored_files_are_not_served_as_media(client, front_desk, coverage):
    card = coverage_card_upload(
        coverage=coverage, side=CardSide.FRONT, name="c.png", content=PNG, user=front_desk
    )
    client.force_login(front_desk)

    for prefix in ("/media/", "/files/", "/"):
        path = prefix + str(card.file.content.name)
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG[:8] + b"<html><script>alert(1)</script></html>", "card.png", "not a whole PNG image"),
        (PNG + b"<html><script>alert(1)</script>", "card.png", "not a whole PNG image"),
        (PNG[:40] + b"\x00" * 4 + PNG[44:], "card.png", "not a whole PNG image"),  # bad CRC
        (JPEG[:4] + b"<html><script>alert(1)</script>", "card.jpg", "not a whole JPEG image"),
        (JPEG[:300], "card.jpg", "not a whole JPEG image"),  # cut short
        (
            b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF",
            "card.pdf",
            "That PDF contains scripts",
        ),
        (b"%PDF-1.4\n1 0 obj<</S/Launch/F(cmd.exe)>>endobj\n%%EOF", "card.pdf", "launch"),
        (b"%PDF-1.4\n1 0 obj<</Type/J#61vaScript>>endobj\n%%EOF", "card.pdf", "scripts"),
        (
            b"%PDF-1.4\n1 0 obj<</Filter/FlateDecode>>stream\n"
            + zlib.compress(b"<</EmbeddedFiles<<>>>>")
            + b"endstream\nendobj\n%%EOF",
            "card.pdf",
            "embedded files",
        ),
    ],
)
def test_a_file_that_only_starts_like_a_card_is_refused(
    client, front_desk, coverage, content, name, message
):
    client.force_login(front_desk)

    response = upload(client, coverage, content, name)

    assert response.status_code == 200  # the form again, with the message
    assert message in response.content.decode()
    assert not CoverageCard.objects.exists()
    assert not StoredFile.objects.filter(kind=FileKind.CARD).exists()


def test_a_real_jpeg_is_accepted(client, front_desk, coverage):
    client.force_login(front_desk)

    assert upload(client, coverage, JPEG, "card.jpg", content_type="image/jpeg").status_code == 302
    assert coverage.cards.get().content_type == "image/jpeg"

"""The 837P import page: billers only, into a practice they bill for, within the inbound size
limit; an upload is imported by a task and its page lists each claim imported with its link,
and refusals write nothing."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.import837 import claims_import_837
from claims.models import Claim, ClaimImport
from patients.models import Coverage, Patient
from rcm.celery import app
from rcm.files.models import StoredFile
from rcm.practice.models import Role
from rcm.x12.claim837 import Patient as X12Patient
from rcm.x12.claim837 import write_837p
from tests.factories import MembershipFactory
from tests.x12.test_claim837 import HOME, SUBSCRIBER, batch, claim

URL = "/claims/import/"


@pytest.fixture
def eager_tasks():
    """Tasks enqueued on commit run at once, in the test (no broker)."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def imported_by_task(client, eager_tasks, django_capture_on_commit_callbacks):
    """POST a file as the page does; its import task runs when the upload commits."""

    def post(practice, data: bytes, name: str = "client.837"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"practice": practice.pk, "file": upload(data, name)})

    return post


def a_file(*numbers: str) -> bytes:
    return write_837p(batch(*(claim(control_number=n) for n in numbers or ("P1",)))).encode()


def upload(data: bytes, name: str = "client.837") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def written() -> tuple[int, ...]:
    return (Claim.objects.count(), Patient.objects.count(), StoredFile.objects.count())


def test_the_url_and_the_biller_home_button(client, biller):
    client.force_login(biller)

    assert reverse("claims-import-837") == URL
    home = client.get(reverse("home-biller")).content.decode()
    assert f'href="{URL}"' in home and "Import an 837P" in home
    page = client.get(URL).content.decode()
    assert 'type="file"' in page and 'type="hidden" name="practice"' in page  # one practice


@pytest.mark.parametrize("role", ["front_desk", "coder"])
def test_other_roles_are_refused(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload(a_file())}).status_code == 403
    assert Claim.objects.count() == 0


def test_an_import_shows_its_claims_with_links(client, biller, practice_a, imported_by_task):
    client.force_login(biller)

    response = imported_by_task(practice_a, a_file("P1", "P2"))

    claim_import = ClaimImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims-import-837-detail", args=[claim_import.pk])
    page = client.get(response["Location"]).content.decode()
    claims = Claim.objects.filter(practice=practice_a).order_by("id")
    assert [c.source_control_number for c in claims] == ["P1", "P2"]
    for made in claims:
        assert reverse("claim-detail", args=[made.pk]) in page
    assert "2 claims imported" in page
    assert claims[0].events.first().user == biller
    detail = client.get(reverse("claim-detail", args=[claims[0].pk])).content.decode()
    assert "as claim P1 of client.837" in detail


def test_another_practice_cannot_be_chosen(client, biller, practice_b):
    client.force_login(biller)
    before = written()

    response = client.post(URL, {"practice": practice_b.pk, "file": upload(a_file())})

    assert response.status_code == 400
    assert "Choose one of the practices you bill for." in response.content.decode()
    assert written() == before


def test_an_agency_biller_chooses_among_their_practices(
    client, biller, practice_a, practice_b, imported_by_task
):
    MembershipFactory(user=biller, practice=practice_b, role=Role.BILLER)
    client.force_login(biller)

    page = client.get(URL).content.decode()
    assert "<select" in page and practice_a.name in page and practice_b.name in page

    response = imported_by_task(practice_b, a_file())

    assert response.status_code == 302
    assert Claim.objects.get().practice == practice_b
    assert ClaimImport.objects.get().practice == practice_b


def test_an_oversize_file_is_refused_with_a_message(client, biller, practice_a, settings):
    settings.RCM_INBOUND_MAX_BYTES = 200  # the file has about 1,000 bytes
    client.force_login(biller)
    before = written()

    response = client.post(URL, {"practice": practice_a.pk, "file": upload(a_file())})

    assert response.status_code == 400
    assert "over the" in response.content.decode() and "limit" in response.content.decode()
    assert written() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"ISA*00*", "ISA segment is incomplete"),
        (a_file()[:-80], "line"),
    ],
    ids=["empty", "bad envelope", "truncated"],
)
def test_an_unreadable_file_imports_nothing(client, biller, practice_a, data, message):
    client.force_login(biller)
    before = written()

    response = client.post(URL, {"practice": practice_a.pk, "file": upload(data)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert written() == before


HOSTILE = settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def test_hostile_practice_values_and_file_names_are_refused_or_cleaned(
    client, biller, practice_a, imported_by_task
):
    client.force_login(biller)

    @HOSTILE
    @example(practice="\x00")
    @example(practice="١")  # noqa: RUF001 (an Arabic-Indic digit one, on purpose)
    @example(practice="9" * 5000)
    @example(practice=f"{practice_a.pk}\x00")
    @given(practice=st.text(max_size=30).filter(lambda text: text != str(practice_a.pk)))
    def post(practice):
        before = written()
        response = client.post(URL, {"practice": practice, "file": upload(a_file())})
        assert response.status_code == 400
        assert written() == before

    post()

    response = imported_by_task(practice_a, a_file(), "évil\x07\u2028name.837")
    assert response.status_code == 302
    assert StoredFile.objects.get().name == "évilname.837"
    assert ClaimImport.objects.get().file_name == "évilname.837"
    assert "Imported from 837P évilname.837" in Claim.objects.get().encounter.clinical_note


# --- dependents: what an 837P from another system leaves out ------------------------------------


def test_a_dependent_without_the_subscribers_address_gets_the_patients(practice_a):
    subscriber = dataclasses.replace(SUBSCRIBER, address=None)
    child = X12Patient("DOE", "KIM", datetime.date(2015, 1, 1), "M", HOME, relationship="19")
    data = write_837p(batch(claim(subscriber=subscriber, patient=child))).encode()

    result = claims_import_837(practice=practice_a, data=data, file_name="kid.837", user=None)

    assert len(result.claims) == 1, result.not_imported
    coverage = Coverage.objects.get()
    assert (coverage.relationship, coverage.subscriber_address1) == ("19", HOME.line1)
    assert coverage.patient.first_name == "KIM"


def test_a_dependent_without_the_subscribers_birth_date_is_left_out_saying_why(practice_a):
    subscriber = dataclasses.replace(SUBSCRIBER, birth_date=None)
    child = X12Patient("DOE", "KIM", datetime.date(2015, 1, 1), "M", HOME, relationship="19")
    data = write_837p(batch(claim(subscriber=subscriber, patient=child))).encode()

    result = claims_import_837(practice=practice_a, data=data, file_name="kid.837", user=None)

    assert result.claims == [] and Patient.objects.count() == 0
    [reason] = result.not_imported
    assert "subscriber's date of birth" in reason and "MEM123456" in reason

"""The 837P import runs in a Celery task: the upload keeps the file and queues the import, the
import's page says "importing…" and asks again (htmx) until the task is done, then shows what
it did. Only the practice's billers see it; a run twice imports once; hostile files are
refused at upload and write nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.import837_jobs import (
    STUCK_AFTER,
    claim_import_run,
    claim_import_start,
    claim_imports_resume,
)
from claims.models import Claim, ClaimImport, ImportStatus
from claims.tasks import claim_import_837_task, claim_imports_resume_task
from patients.models import Patient
from rcm.files.models import Direction, FileKind, StoredFile
from rcm.files.services import stored_file_save
from rcm.x12.claim837 import write_837p
from tests.x12.test_claim837 import batch, claim

URL = "/claims/import/"


def a_file(*numbers: str) -> bytes:
    return write_837p(batch(*(claim(control_number=n) for n in numbers or ("P1",)))).encode()


def upload(data: bytes, name: str = "client.837") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def written() -> tuple[int, ...]:
    return (
        Claim.objects.count(),
        Patient.objects.count(),
        StoredFile.objects.count(),
        ClaimImport.objects.count(),
    )


def page_of(claim_import: ClaimImport) -> str:
    return reverse("claims-import-837-detail", args=[claim_import.pk])


def test_the_upload_queues_the_import_and_its_page_polls_until_done(client, biller, practice_a):
    client.force_login(biller)

    response = client.post(URL, {"practice": practice_a.pk, "file": upload(a_file("P1", "P2"))})

    # the task is enqueued on commit, and the test's transaction never commits: still queued
    claim_import = ClaimImport.objects.get()
    assert response.status_code == 302 and response["Location"] == page_of(claim_import)
    assert claim_import.status == ImportStatus.QUEUED and Claim.objects.count() == 0
    assert claim_import.source_file.kind == FileKind.CLAIM_837P
    page = client.get(page_of(claim_import)).content.decode()
    assert "Importing…" in page and "<html" in page
    assert f'hx-get="{page_of(claim_import)}"' in page and 'hx-trigger="every 2s"' in page

    part = client.get(page_of(claim_import), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part and 'hx-trigger="every 2s"' in part and "Importing…" in part

    claim_import_run(import_id=claim_import.pk)  # what the worker does

    done = client.get(page_of(claim_import), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done  # the poll stops: this part replaces the polling one
    assert "Imported client.837" in done and "2 claims imported" in done
    for made in Claim.objects.filter(practice=practice_a):
        assert reverse("claim-detail", args=[made.pk]) in done
    claim_import.refresh_from_db()
    assert claim_import.status == ImportStatus.DONE and claim_import.finished_at is not None
    assert claim_import.summary["claims"] == 2 and len(claim_import.claim_ids) == 2


def test_held_and_left_out_claims_are_said_in_words_on_the_page(client, biller, practice_a):
    text = write_837p(batch(claim(control_number="OK1"), claim(control_number="VOID1")))
    text = text.replace("CLM*VOID1*125***11:B:1", "CLM*VOID1*125***11:B:8")
    claim_import = claim_import_start(
        practice=practice_a, data=text.encode(), file_name="mixed.837", user=biller
    )
    claim_import_run(import_id=claim_import.pk)
    client.force_login(biller)

    page = client.get(page_of(claim_import)).content.decode()

    assert "1 claim imported" in page
    assert "Claim &#x27;VOID1&#x27; (line" in page and "replacement or void (frequency 8)" in page


def test_running_the_task_twice_imports_once(db, biller, practice_a):
    claim_import = claim_import_start(
        practice=practice_a, data=a_file("P1"), file_name="a.837", user=biller
    )

    assert claim_import_837_task.apply(args=[claim_import.pk]).get() == ImportStatus.DONE
    assert claim_import_837_task.apply(args=[claim_import.pk]).get() == ImportStatus.DONE

    assert Claim.objects.count() == 1
    assert ClaimImport.objects.get().claim_ids == [Claim.objects.get().pk]


def test_a_stored_file_that_cannot_be_read_fails_in_words_and_writes_nothing(
    client, biller, practice_a
):
    """Not reachable through the upload (it reads the file first), but the task says it too."""
    stored = stored_file_save(
        kind=FileKind.CLAIM_837P, direction=Direction.INBOUND, name="bad.837",
        content=a_file()[:-80], practice_id=practice_a.pk,
    )  # fmt: skip
    claim_import = ClaimImport.objects.create(
        practice=practice_a, source_file=stored, file_name="bad.837", created_by=biller
    )

    claim_import_run(import_id=claim_import.pk)

    claim_import.refresh_from_db()
    assert claim_import.status == ImportStatus.FAILED
    assert "cannot be read as an 837P" in claim_import.error and "line" in claim_import.error
    assert Claim.objects.count() == 0 and Patient.objects.count() == 0
    client.force_login(biller)
    page = client.get(page_of(claim_import)).content.decode()
    assert "was not imported" in page and "hx-trigger" not in page


def test_another_practices_import_is_not_found_and_other_roles_are_refused(
    client, biller, biller_b, front_desk, coder, practice_a
):
    claim_import = claim_import_start(
        practice=practice_a, data=a_file(), file_name="a.837", user=biller
    )

    client.force_login(biller_b)
    assert client.get(page_of(claim_import)).status_code == 404
    for user in (front_desk, coder):
        client.force_login(user)
        assert client.get(page_of(claim_import)).status_code == 403
    client.force_login(biller)
    assert client.get(page_of(claim_import)).status_code == 200
    assert client.post(page_of(claim_import)).status_code == 405
    assert client.get(reverse("claims-import-837-detail", args=[10**12])).status_code == 404


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace(b"CLM*P1", b"CLM*P\x001"), "control character"),
        (lambda t: t.replace(b"NM1*IL*1*DOE", b"NM1*IL*1*DO~E"), "line"),
        (lambda t: t.replace(b"SV1*HC:99213*125", b"SV1*HC:99213*1" + b"9" * 400), "SV1"),
        (lambda t: t.replace(b"SV1*HC:99213*125", b"SV1*HC:99213*1e999"), "not a number"),
        (lambda t: t.replace(b"\nSE*", b"\nSE*99999999999999999999*", 1), "SE01"),
        (lambda t: b"\x00" * 5000, "ISA"),
    ],
    ids=["nul", "segment-terminator-in-a-name", "huge-amount", "exponent", "huge-count", "nuls"],
)
def test_a_hostile_file_is_refused_at_upload_naming_its_place(
    client, biller, practice_a, mutate, message
):
    client.force_login(biller)
    before = written()

    response = client.post(URL, {"practice": practice_a.pk, "file": upload(mutate(a_file()))})

    assert response.status_code == 400
    page = response.content.decode()
    assert "cannot be read as an 837P" in page and message in page
    assert "Nothing was imported." in page
    assert written() == before


def test_a_file_with_other_delimiters_imports(client, biller, practice_a, settings):
    """ISA declares | for elements, > for components, ^ for repetitions, newline ending."""
    from rcm.x12.base import Delimiters

    text = write_837p(
        batch(claim(control_number="D1")), Delimiters(element="|", component=">", segment="\n")
    )
    claim_import = claim_import_start(
        practice=practice_a, data=text.encode(), file_name="pipes.837", user=biller
    )

    claim_import_run(import_id=claim_import.pk)

    assert Claim.objects.get().source_control_number == "D1"


def test_a_file_of_many_claims_is_imported_by_the_task(db, biller, practice_a):
    numbers = [f"M{n}" for n in range(150)]
    claim_import = claim_import_start(
        practice=practice_a, data=a_file(*numbers), file_name="many.837", user=biller
    )

    claim_import_run(import_id=claim_import.pk)

    claim_import.refresh_from_db()
    assert claim_import.summary["claims"] == 150 and claim_import.summary["not_imported"] == []
    assert Claim.objects.filter(practice=practice_a).count() == 150


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_import(client, biller, practice_a, celery_worker_on_queue):
    client.force_login(biller)

    response = client.post(URL, {"practice": practice_a.pk, "file": upload(a_file("W1", "W2"))})

    assert response.status_code == 302
    claim_import = ClaimImport.objects.get()
    celery_worker_on_queue.wait_for(
        lambda: ClaimImport.objects.filter(pk=claim_import.pk, status=ImportStatus.DONE).exists()
    )
    assert sorted(Claim.objects.values_list("source_control_number", flat=True)) == ["W1", "W2"]
    page = client.get(page_of(claim_import)).content.decode()
    assert "2 claims imported" in page and "hx-trigger" not in page


def test_an_import_whose_task_was_lost_is_run_by_the_sweep(db, biller, practice_a, settings):
    """In a test's transaction the upload's on-commit enqueue never fires: the task is lost,
    as when Redis was down. The beat's sweep runs it once it is STUCK_AFTER old, not before."""
    lost = claim_import_start(
        practice=practice_a, data=a_file("L1"), file_name="l.837", user=biller
    )
    fresh = claim_import_start(
        practice=practice_a, data=a_file("F1"), file_name="f.837", user=biller
    )
    ClaimImport.objects.filter(pk=lost.pk).update(
        created_at=lost.created_at - STUCK_AFTER - datetime.timedelta(minutes=1)
    )

    assert claim_imports_resume() == [ImportStatus.DONE]

    assert ClaimImport.objects.get(pk=lost.pk).status == ImportStatus.DONE
    assert ClaimImport.objects.get(pk=fresh.pk).status == ImportStatus.QUEUED  # its task may run
    assert list(Claim.objects.values_list("source_control_number", flat=True)) == ["L1"]
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert claim_imports_resume_task.name in entries
    assert claim_imports_resume_task() == 0  # nothing stuck any more

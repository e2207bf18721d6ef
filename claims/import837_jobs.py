"""An 837P import from the browser: checked and kept at upload, its claims imported by a task.

A client's file can hold thousands of claims, too many to import inside a web request. The
upload reads the whole file first (`read_837p`): an unreadable one raises `X12Error` naming the
segment and line, and nothing is written. A readable one is stored and a `ClaimImport` row is
queued; its task is enqueued when that commits. The task imports the claims in one transaction
(`claims_import_837`) under the row's lock and records the result on the row, so running it
twice, or again after a worker died half way, imports the file once.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from claims.import837 import claims_import_837, file_name_clean, import_file_store
from claims.models import ClaimImport, ImportStatus
from claims.tasks import claim_import_837_task
from rcm.files.services import stored_file_read
from rcm.practice.models import Practice, User
from rcm.x12.base import X12Error
from rcm.x12.read837 import read_837p

logger = logging.getLogger(__name__)

# A queued import whose task has not finished it by then was lost (Redis down when the upload
# committed, a worker killed): the sweep enqueues it again. Longer than a big file takes.
STUCK_AFTER = datetime.timedelta(minutes=15)
RESUME_LIMIT = 5  # imports one sweep runs

UNEXPECTED = (
    "The import stopped on an unexpected error and nothing was imported. Try again; if it "
    "fails again, tell your administrator (the error is in the server's log)."
)


def claim_import_start(
    *, practice: Practice, data: bytes, file_name: str, user: User | None
) -> ClaimImport:
    """Judge the whole file (X12Error: nothing written), keep it, and queue its import."""
    file_name = file_name_clean(file_name)
    read_837p(data)
    with transaction.atomic():
        stored = import_file_store(practice=practice, data=data, file_name=file_name)
        claim_import = ClaimImport.objects.create(
            practice=practice, source_file=stored, file_name=file_name, created_by=user
        )
        import_id = claim_import.pk
        transaction.on_commit(lambda: claim_import_837_task.delay(import_id))
    return claim_import


def claim_import_run(*, import_id: int) -> ClaimImport:
    """Import a queued upload's claims and record what was done; an import already finished is
    left as it is."""
    try:
        with transaction.atomic():
            claim_import = (
                ClaimImport.objects.select_for_update(of=("self",))
                .select_related("practice", "source_file", "created_by")
                .get(pk=import_id)
            )
            if claim_import.status != ImportStatus.QUEUED:
                return claim_import
            _run(claim_import)
        return claim_import
    except Exception:
        logger.exception("837P import %s failed", import_id)
        ClaimImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED, error=UNEXPECTED, finished_at=timezone.now()
        )
        raise


def _run(claim_import: ClaimImport) -> None:
    data = stored_file_read(stored=claim_import.source_file)
    try:
        result = claims_import_837(
            practice=claim_import.practice, data=data, file_name=claim_import.file_name,
            user=claim_import.created_by,
        )  # fmt: skip
    except X12Error as error:  # read at upload, so not expected; said as the upload says it
        claim_import.status = ImportStatus.FAILED
        claim_import.error = f"The file cannot be read as an 837P: {error}. Nothing was imported."
    else:
        claim_import.status = ImportStatus.DONE
        claim_import.summary = {
            **result.summary(),
            "providers_added": list(result.providers_created),
        }
        claim_import.claim_ids = [claim.claim_id for claim in result.claims]
    claim_import.finished_at = timezone.now()
    claim_import.save(update_fields=["status", "error", "summary", "claim_ids", "finished_at"])


def claim_imports_resume(*, now: datetime.datetime | None = None) -> list[ImportStatus]:
    """Beat (in a worker): run every import still queued STUCK_AFTER its upload, a few at a
    time, oldest first; what became of each. Safe beside a late task of the same import:
    `claim_import_run` imports under the row's lock, once."""
    before = (now or timezone.now()) - STUCK_AFTER
    stuck = list(
        ClaimImport.objects.filter(status=ImportStatus.QUEUED, created_at__lt=before)
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:RESUME_LIMIT]
    )
    done = []
    for import_id in stuck:
        try:
            done.append(ImportStatus(claim_import_run(import_id=import_id).status))
        except Exception:  # recorded FAILED, logged, and said on its page: try the next one
            done.append(ImportStatus.FAILED)
    return done

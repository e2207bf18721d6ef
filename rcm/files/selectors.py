"""Reads of exchanged files: the quarantine list, scoped to the reader's practices."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rcm.files.models import FileStatus, StoredFile


def quarantined_files(*, practice_ids: list[int], include_unassigned: bool) -> QuerySet[StoredFile]:
    """Quarantined files of these practices.

    A file no practice could be found for (garbled, or for a payee we do not know) may hold any
    practice's data, so only installation staff see those (`include_unassigned`).
    """
    scope = Q(practice_id__in=practice_ids)
    if include_unassigned:
        scope |= Q(practice__isnull=True)
    return StoredFile.objects.filter(status=FileStatus.QUARANTINED).filter(scope)

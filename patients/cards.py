"""Insurance card images: checked on upload, kept privately, opened only by allowed roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from patients.models import CardSide, Coverage, CoverageCard
from rcm.audit.services import audit_record_view
from rcm.files.models import Direction, FileKind, StoredFile
from rcm.files.services import sha256_of, stored_file_read, stored_file_save
from rcm.practice.models import Role, User
from rcm.practice.selectors import Viewer, practice_ids_for, user_has_role

# Coders work from the clinical note; they have no reason to see a card.
CARD_VIEW_ROLES = (Role.FRONT_DESK, Role.BILLER, Role.ADMINISTRATOR)
MEGABYTE = 1024 * 1024
DEFAULT_CARD_MAX_BYTES = 10 * MEGABYTE
# The first bytes of each accepted format; the name and the browser's word are not trusted.
CARD_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
NOT_A_CARD = "That file is not a JPEG, PNG or PDF."


def card_max_bytes() -> int:
    return int(getattr(settings, "RCM_CARD_MAX_BYTES", DEFAULT_CARD_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f}".removesuffix(".0")


def card_size_check(*, size: int) -> None:
    """Refuse an empty file or one over the limit, saying both sizes."""
    limit = card_max_bytes()
    if size == 0:
        raise ValidationError({"file": "The file is empty."})
    if size > limit:
        raise ValidationError(
            {"file": f"The file is {size / MEGABYTE:.1f} MB; the limit is {_megabytes(limit)} MB."}
        )


def card_content_type(*, content: bytes) -> str:
    """The real type of an uploaded card from its magic bytes; ValidationError if not allowed."""
    for signature, content_type in CARD_SIGNATURES:
        if content.startswith(signature):
            return content_type
    raise ValidationError({"file": NOT_A_CARD})


def _stored_card_file(*, name: str, content: bytes, practice_id: int) -> StoredFile:
    """Keep the bytes once: a received file is unique by checksum, so reuse an earlier copy."""
    checksum = sha256_of(content)
    existing = StoredFile.objects.filter(direction=Direction.INBOUND, sha256=checksum).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a savepoint: a racing twin upload must not break ours
            return stored_file_save(
                kind=FileKind.CARD, direction=Direction.INBOUND, name=name, content=content,
                practice_id=practice_id, transport="upload",
            )  # fmt: skip
    except IntegrityError:
        return StoredFile.objects.get(direction=Direction.INBOUND, sha256=checksum)


def coverage_card_upload(*, coverage: Coverage, side: str, name: str, content: bytes,
                         user: User | None) -> CoverageCard:  # fmt: skip
    """Attach the front or back of the card; an earlier upload of that side stays as history."""
    if side not in CardSide.values:
        raise ValidationError({"side": "Choose the front or the back of the card."})
    card_size_check(size=len(content))
    content_type = card_content_type(content=content)
    with transaction.atomic():
        stored = _stored_card_file(
            name=name or f"card-{side}", content=content, practice_id=coverage.practice_id
        )
        newest = coverage.cards.filter(side=side).order_by("-uploaded_at", "-id").first()
        if newest is not None and newest.file_id == stored.pk:
            return newest  # the same picture again: nothing new to keep
        return CoverageCard.objects.create(
            practice_id=coverage.practice_id, coverage=coverage, side=side, file=stored,
            content_type=content_type, uploaded_by=user,
        )  # fmt: skip


def card_view_check(*, user: Viewer, practice_id: int) -> None:
    if not user_has_role(user=user, practice_id=practice_id, roles=CARD_VIEW_ROLES):
        raise PermissionDenied("Your role does not include insurance card images.")


def card_may_view(*, user: Viewer, practice_id: int) -> bool:
    return user_has_role(user=user, practice_id=practice_id, roles=CARD_VIEW_ROLES)


def coverage_card_get(*, user: Viewer, pk: int) -> CoverageCard:
    """A card of the user's practices (CoverageCard.DoesNotExist otherwise), role checked."""
    card = CoverageCard.objects.select_related("file", "coverage").get(
        pk=pk, practice_id__in=practice_ids_for(user=user)
    )
    card_view_check(user=user, practice_id=card.practice_id)
    return card


def coverage_card_open(*, user: Viewer, pk: int) -> tuple[CoverageCard, bytes]:
    """A card's bytes for someone allowed to see them; the look is recorded as a chart access."""
    card = coverage_card_get(user=user, pk=pk)
    audit_record_view(
        table_name=CoverageCard._meta.db_table,
        object_pk=card.pk,
        practice_id=card.practice_id,
        actor_id=user.pk,
        detail=f"insurance card {card.side} of coverage {card.coverage_id}",
    )
    return card, stored_file_read(stored=card.file)


def card_download_name(*, card: CoverageCard) -> str:
    return (
        f"card-{card.coverage_id}-{card.side}-{card.pk}.{EXTENSIONS.get(card.content_type, 'bin')}"
    )


@dataclass(frozen=True)
class CardSet:
    """The newest front and back of one coverage's card, and how many earlier uploads exist."""

    front: CoverageCard | None
    back: CoverageCard | None
    earlier: int


def coverage_cards_current(*, coverages: Iterable[Coverage]) -> dict[int, CardSet]:
    """For each coverage id, its newest front and back (one query for them all)."""
    ids = [coverage.pk for coverage in coverages]
    newest: dict[tuple[int, str], CoverageCard] = {}
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    for card in CoverageCard.objects.filter(coverage_id__in=ids).order_by("-uploaded_at", "-id"):
        counts[card.coverage_id] += 1
        newest.setdefault((card.coverage_id, card.side), card)
    sets = {}
    for pk in ids:
        front, back = newest.get((pk, CardSide.FRONT)), newest.get((pk, CardSide.BACK))
        shown = (front is not None) + (back is not None)
        sets[pk] = CardSet(front=front, back=back, earlier=counts[pk] - shown)
    return sets


def coverage_card_history(*, coverage: Coverage) -> list[CoverageCard]:
    return list(coverage.cards.select_related("uploaded_by").order_by("-uploaded_at", "-id"))

"""Insurance card files: which formats and sizes are accepted, and the name a download gets."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from patients.models import CoverageCard

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


def card_download_name(*, card: CoverageCard) -> str:
    return (
        f"card-{card.coverage_id}-{card.side}-{card.pk}.{EXTENSIONS.get(card.content_type, 'bin')}"
    )

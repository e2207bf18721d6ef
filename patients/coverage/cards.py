"""Insurance card files: which formats and sizes are accepted, and the name a download gets."""

from __future__ import annotations

import re
import struct
import zlib

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


NOT_WHOLE = "That file is not a whole {kind} image: it may be damaged, or something else renamed."
PDF_ACTIVE = (
    "That PDF contains scripts, launch actions or embedded files; print the card to a plain PDF "
    "or take a picture of it instead."
)


def card_content_type(*, content: bytes) -> str:
    """The real type of an uploaded card; ValidationError if not allowed or not what it claims.

    The first bytes pick the format; then the whole file must be that format (Pillow is not
    installed, so images are walked by hand: every PNG chunk with its CRC, every JPEG marker,
    to the end) and a PDF must hold nothing active (scripts, launch actions, embedded files).
    """
    content_type = next(
        (kind for signature, kind in CARD_SIGNATURES if content.startswith(signature)), None
    )
    if content_type is None:
        raise ValidationError({"file": NOT_A_CARD})
    if content_type == "image/png" and not _png_whole(content):
        raise ValidationError({"file": NOT_WHOLE.format(kind="PNG")})
    if content_type == "image/jpeg" and not _jpeg_whole(content):
        raise ValidationError({"file": NOT_WHOLE.format(kind="JPEG")})
    if content_type == "application/pdf" and _pdf_active(content):
        raise ValidationError({"file": PDF_ACTIVE})
    return content_type


def _png_whole(content: bytes) -> bool:
    """Signature, IHDR first, every chunk's CRC right, IDAT present, IEND last at the very end."""
    position, seen = 8, []
    while position + 12 <= len(content):
        (length,) = struct.unpack(">I", content[position : position + 4])
        kind = content[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(content) or not kind.isalpha():
            return False
        data = content[position + 8 : end - 4]
        (crc,) = struct.unpack(">I", content[end - 4 : end])
        if zlib.crc32(kind + data) != crc:
            return False
        seen.append(kind)
        position = end
        if kind == b"IEND":
            break
    return (
        bool(seen)
        and seen[0] == b"IHDR"
        and seen[-1] == b"IEND"
        and b"IDAT" in seen
        and position == len(content)
    )


_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7: markers without a length
_JPEG_FRAMES = {*range(0xC0, 0xC4), *range(0xC5, 0xC8), *range(0xC9, 0xCC), *range(0xCD, 0xD0)}


def _jpeg_whole(content: bytes) -> bool:
    """SOI, marker segments with their lengths, a frame, scans of entropy-coded data, EOI last."""
    position, framed, scanned, size = 2, False, False, len(content)
    while position + 2 <= size:
        if content[position] != 0xFF:
            return False
        marker = content[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:  # EOI: the image ends here, and so must the file
            return framed and scanned and content[position + 2 :].strip(b"\x00") == b""
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        if position + 4 > size:
            return False
        (length,) = struct.unpack(">H", content[position + 2 : position + 4])
        position += 2 + length
        if length < 2 or position > size:
            return False
        framed = framed or marker in _JPEG_FRAMES
        if marker == 0xDA:  # SOS: entropy-coded data up to the next marker that is not RST
            scanned = True
            while position + 1 < size:
                if content[position] == 0xFF and content[position + 1] not in (0x00, *_RST):
                    break
                position += 1
    return False


_RST = tuple(range(0xD0, 0xD8))
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9])")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_INFLATED_LIMIT = 20 * MEGABYTE


def _pdf_active(content: bytes) -> bool:
    """Whether a PDF names a script, a launch action or an embedded file, also inside
    compressed object streams and with the name spelled in #xx escapes."""

    def named(text: bytes) -> bool:
        plain = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)
        return bool(_PDF_ACTIVE.search(plain))

    if named(content):
        return True
    budget = _INFLATED_LIMIT
    for stream in _PDF_STREAM.finditer(content):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(stream.group(1), budget)
        except zlib.error:
            continue  # not Flate: images and fonts, which hold no actions
        budget -= len(inflated)
        if named(inflated):
            return True
        if budget <= 0:
            return True  # a decompression bomb is not a card
    return False


def card_download_name(*, card: CoverageCard) -> str:
    return (
        f"card-{card.coverage_id}-{card.side}-{card.pk}.{EXTENSIONS.get(card.content_type, 'bin')}"
    )

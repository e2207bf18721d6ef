"""Validate X12 with pyx12, the independent validator, and return its error messages."""

from __future__ import annotations

import logging
from pathlib import Path

from pyx12 import params as pyx12_params
from pyx12 import x12n_document


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pyx12_errors(path: Path) -> list[str]:
    """Run what `x12valid` runs (its exit code is always 1, so we read its log instead)."""
    handler = _Collect()
    logger = logging.getLogger("pyx12")
    logger.addHandler(handler)
    try:
        ok = x12n_document.x12n_document(
            param=pyx12_params.params(), src_file=str(path), fd_997=None, fd_html=None
        )
    finally:
        logger.removeHandler(handler)
    if not ok and not handler.messages:
        handler.messages.append("pyx12 reported failure")
    return handler.messages


def pyx12_text_errors(text: str, tmp_path: Path, name: str = "file.x12") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="ascii")
    return pyx12_errors(path)

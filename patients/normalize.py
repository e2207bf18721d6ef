"""Input cleaned the same way by every patient and coverage write: trimmed, upper-cased, digits."""

from __future__ import annotations

import re
from typing import Any

_DIGITS_ONLY = re.compile(r"[^0-9]")


def normalized(fields: dict[str, Any]) -> dict[str, Any]:
    """Trim text, upper-case the state, and keep only the digits of ZIP codes and phones."""
    clean = {key: (v.strip() if isinstance(v, str) else v) for key, v in fields.items()}
    for key in ("state", "subscriber_state"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].upper()
    for key in ("zip_code", "phone", "subscriber_zip_code"):
        if isinstance(clean.get(key), str):
            clean[key] = _DIGITS_ONLY.sub("", clean[key])
    return clean


def refuse_unknown(fields: dict[str, Any], allowed: frozenset[str], service: str) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"{service}() got unexpected fields: {', '.join(unknown)}")

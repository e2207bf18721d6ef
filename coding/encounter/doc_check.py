"""Documentation check: warn when a chosen code says more than the note supports."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from coding.codesets.selectors import release_in_force
from coding.models import CodeSystem
from coding.suggest.concepts import EPISODE_LATER, SEQUELA
from coding.suggest.descriptions import description_index


@dataclass(frozen=True)
class DocWarning:
    code: str
    message: str


SIDE_WORDS = {
    "right": r"\bright\b",
    "left": r"\bleft\b",
    "bilateral": r"\bbilateral(?:ly)?\b|\bboth\b",
}
TYPE_WORDS = {
    "1": r"type (?:1|i|one)\b|\bt1dm\b|\bdm ?(?:type )?(?:1|i)\b|\biddm\b|juvenile",
    "2": r"type (?:2|ii|two)\b|\bt2 ?dm\b|\bdm ?(?:type )?(?:2|ii)\b|\bniddm\b|adult[- ]onset",
}
QUALIFIERS = {
    "mild": r"\bmild\b",
    "moderate": r"\bmoderate\b",
    "severe": r"\bsevere\b",
    "intermittent": r"intermittent",
    "persistent": r"persistent",
    "paroxysmal": r"paroxysmal",
    "permanent": r"permanent",
    "recurrent": r"recurrent",
    "systolic": r"systolic|hfref|reduced (?:ejection|ef)",
    "diastolic": r"diastolic|hfpef|preserved (?:ejection|ef)",
    "hyperglycemia": r"hyperglycemi|uncontrolled|poorly controlled|out of control|"
    r"not (?:well )?controlled|high (?:blood )?sugars",
    "exacerbation": r"exacerbat|flare|attack",
    "with aura": r"with aura",
    "without aura": r"without aura|no aura",
}
# Abbreviations whose C stands for chronic say it too.
CHRONIC = r"chronic|long[- ]?standing|\bckd\b|\bcopd\b|\besrd\b"
ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v"}


def documentation_warnings(
    *, note: str, codes: Sequence[str], on: date | None = None
) -> list[DocWarning]:
    """Warnings for codes that say more than the note does (side, type, episode, acuity, stage)."""
    release = release_in_force(system=CodeSystem.ICD10CM, on=on)
    descriptions = description_index(release.pk).descriptions if release is not None else {}
    warnings: list[DocWarning] = []
    for code in codes:
        description = descriptions.get(_dotted(code, descriptions))
        if description is None:
            warnings.append(DocWarning(code, f"{code} is not a billable ICD-10-CM code."))
            continue
        for message in _claims_unsupported(code, description, note):
            warnings.append(DocWarning(code, message))
    return warnings


def _dotted(code: str, descriptions: dict[str, str]) -> str:
    plain = code.strip().upper().replace(".", "")
    dotted = plain if len(plain) <= 3 else f"{plain[:3]}.{plain[3:]}"
    return dotted if dotted in descriptions else code.strip().upper()


def _says(note: str, pattern: str) -> bool:
    return re.search(pattern, note, re.IGNORECASE) is not None


def _claims_unsupported(code: str, description: str, note: str) -> Iterator[str]:
    yield from _laterality(code, description, note)
    yield from _diabetes_type(code, description, note)
    yield from _episode(code, description, note)
    yield from _acuity_and_stage(code, description, note)
    for word, pattern in QUALIFIERS.items():
        if re.search(rf"\b{word}\b", description, re.IGNORECASE) and not _says(note, pattern):
            yield f"{code} says {word}; the note doesn't."


def _laterality(code: str, description: str, note: str) -> Iterator[str]:
    stated = re.search(r"\b(right|left|bilateral)\b(?:\s+(\w+))?", description, re.IGNORECASE)
    if stated is None:
        return
    side = stated.group(1).lower()
    where = (stated.group(2) or "side").lower()
    where = "side" if where in ("side", "upper", "lower") else where
    phrase = stated.group(0).lower()
    in_note = {s for s, pattern in SIDE_WORDS.items() if _says(note, pattern)}
    if side in in_note or (side == "bilateral" and {"right", "left"} <= in_note):
        return
    if in_note:
        yield f"{code} says {phrase}; the note says {' and '.join(sorted(in_note))}."
    else:
        yield f"{code} says {phrase}; the note doesn't say which {where}."


def _diabetes_type(code: str, description: str, note: str) -> Iterator[str]:
    stated = re.search(r"\btype (1|2) diabetes", description, re.IGNORECASE)
    if stated is None:
        return
    kind = stated.group(1)
    if _says(note, TYPE_WORDS[kind]):
        return
    other = "2" if kind == "1" else "1"
    if _says(note, TYPE_WORDS[other]):
        yield f"{code} says type {kind} diabetes; the note says type {other}."
    else:
        yield f"{code} says type {kind} diabetes; the note doesn't say which type."


def _episode(code: str, description: str, note: str) -> Iterator[str]:
    lowered = description.lower()
    later = EPISODE_LATER.search(note)
    if lowered.endswith("initial encounter") and later:
        yield f"{code} says initial encounter; the note reads like a follow-up ({later.group()!r})."
    elif lowered.endswith("subsequent encounter") and not later:
        yield f"{code} says subsequent encounter; the note doesn't say this is a follow-up."
    elif lowered.endswith("sequela") and not SEQUELA.search(note):
        yield f"{code} says sequela; the note doesn't describe a late effect."


def _acuity_and_stage(code: str, description: str, note: str) -> Iterator[str]:
    lowered = description.lower()
    if "chronic" in lowered and not _says(note, CHRONIC):
        yield f"{code} says chronic; the note doesn't."
    says_acute = re.search(r"\bacute\b", lowered) and "chronic" not in lowered
    if says_acute and _says(note, r"\bchronic\b") and not _says(note, r"\bacute\b"):
        yield f"{code} says acute; the note says chronic."
    stage = re.search(r"\bstage (\w+)", lowered)
    if stage is None:
        return
    value = stage.group(1)
    roman = ROMAN.get(value[0], value)
    if not _says(note, rf"(?:stage|ckd|g)\s*(?:{value}|{roman}{value[1:]})\b"):
        yield f"{code} says stage {value}; the note doesn't state that stage."

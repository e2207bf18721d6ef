"""The clinical terms table (clinical_terms.toml), read once: phrases mapped to concepts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TABLE = Path(__file__).resolve().parent / "clinical_terms.toml"


@dataclass(frozen=True)
class Sides:
    """A code family chosen by laterality; "bilateral" may be two codes separated by a space."""

    unspecified: str
    right: str
    left: str
    bilateral: str


Target = str | Sides


@dataclass(frozen=True)
class Concept:
    """A condition the note can name: its phrases (regexes) and how to pick the specific code.

    `cues` are (regex, target) pairs tried in order on the sentence that names the concept and
    the first that matches (not negated) wins; otherwise `target` applies. A `Sides` target is
    resolved by the side the note gives. `history` and `family` are the codes for a personal or
    family history of the condition; `episode` appends the 7th character (A, D, S).
    """

    key: str
    terms: tuple[str, ...]
    target: Target
    cues: tuple[tuple[str, Target], ...] = ()
    history: str = ""
    family: str = ""
    site: str = ""
    episode: bool = False
    weight: float = 1.0
    # Screening and encounter codes stand whatever the result ("screen negative").
    ignores_negation: bool = False
    # A symptom (or a vague form of a diagnosis) yields to a definitive diagnosis in the assessment.
    symptom: bool = field(default=False)


def _target(entry: dict[str, Any]) -> Target:
    """A row's `code`, or its `sides` table as a Sides."""
    return Sides(**entry["sides"]) if "sides" in entry else str(entry["code"])


def _concept(entry: dict[str, Any]) -> Concept:
    return Concept(
        key=entry["key"],
        terms=tuple(entry["terms"]),
        target=_target(entry),
        cues=tuple((cue["when"], _target(cue)) for cue in entry.get("cues", ())),
        history=entry.get("history", ""),
        family=entry.get("family", ""),
        site=entry.get("site", ""),
        episode=entry.get("episode", False),
        weight=float(entry.get("weight", 1.0)),
        ignores_negation=entry.get("ignores_negation", False),
        symptom=entry.get("symptom", False),
    )


def _table() -> dict[str, Any]:
    with TABLE.open("rb") as file:
        return tomllib.load(file)


_TABLE = _table()
CONCEPTS: tuple[Concept, ...] = tuple(_concept(entry) for entry in _TABLE["concept"])
# Long-term drug therapy: coded only alongside the condition it treats (see DRUG_CONDITIONS).
DRUG_CONCEPTS: tuple[Concept, ...] = tuple(_concept(entry) for entry in _TABLE["drug_concept"])
# Which diagnoses (code prefixes) make each drug code worth suggesting.
DRUG_CONDITIONS: dict[str, tuple[str, ...]] = {
    code: tuple(prefixes) for code, prefixes in _TABLE["drug_conditions"].items()
}
# Adult encounter codes and their paediatric counterparts, used when the patient is under 18.
CHILD_EQUIVALENT: dict[str, str] = dict(_TABLE["child_equivalent"])

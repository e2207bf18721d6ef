"""The scrubber's claim edits: pure functions over an 837P claim as it goes (or came) on the wire.

Everything here reads only the `rcm.x12.claim837` dataclasses and a `ScrubContext` holding what
only a database knows (coverage dates, the payer's limits and rules, duplicates found). The same
functions scrub a claim row (`claims.scrubber.claim_scrub`) and a claim read from another
system's file (`claims.scrub_file`). Each finding is a `ScrubEdit` with a sentence for a biller.
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from claims.scrub_payer import (
    attachment_edits,
    payer_rule_edits,
    prior_auth_edits,
    therapy_modifier_edits,
)
from claims.scrub_types import (
    ERROR,
    WARNING,
    ScrubContext,
    ScrubEdit,
    finding,
    line_label,
)
from rcm.practice.validators import is_valid_npi
from rcm.x12 import claim837 as x12

TIMELY_WARNING_DAYS = 15
MAX_AGE_YEARS = 120
ICD10_START = date(2015, 10, 1)  # ICD-10-CM replaced ICD-9-CM for services from this day
MBI_ONLY_FROM = date(2020, 1, 1)  # Medicare took only MBIs (no more HICNs) from this day
POS_FILE = Path(__file__).resolve().parent.parent / "coding" / "data" / "place_of_service.csv"

UNKNOWN_SEX_MATTERS = frozenset({"MB", "MA", "MC", "CH"})
FILING_INDICATORS = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "AM",
        "BL",
        "CH",
        "CI",
        "DS",
        "FI",
        "HM",
        "LM",
        "MA",
        "MB",
        "MC",
        "OF",
        "TV",
        "VA",
        "WC",
        "ZZ",
    ]
)
FREQUENCIES = frozenset({"1", "6", "7", "8"})
_PROCEDURE = re.compile(r"^([0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4})$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
# NUCC codes are 10 characters, 3 digits then letters and digits; current ones end in X, but
# the implementation guide's own examples (203BF0100Y) do not, so the X is not required.
_TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{7}$")
_MEMBER_ID = re.compile(r"^[A-Za-z0-9-]{2,80}$")
_PAYER_ID = re.compile(r"^[A-Za-z0-9-]{2,80}$")
# Medicare Beneficiary Identifier: 11 characters, no S L O I B Z among its letters.
_MBI = re.compile(
    r"^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]"
    r"[AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$"
)
_PLACEHOLDER_IDS = frozenset({"UNKNOWN", "NONE", "NA", "N/A", "TEST", "PENDING", "SELF"})


@cache
def place_of_service_codes() -> frozenset[str]:
    """The CMS place-of-service codes (coding/data/place_of_service.csv names its source)."""
    with POS_FILE.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"].strip() for row in csv.DictReader(handle))


# --- providers ---------------------------------------------------------------------------------


def npi_edits(npi: str, *, who: str, edit: str, target: str = "") -> list[ScrubEdit]:
    """An NPI is 10 digits whose last is a Luhn check digit over 80840 and the first nine."""
    if not npi:
        return [finding(f"{edit}.missing", ERROR, f"The {who} NPI is missing: enter it.", target)]
    if not (len(npi) == 10 and npi.isascii() and npi.isdigit()):
        return [finding(f"{edit}.format", ERROR, (
            f"The {who} NPI {npi!r} is not 10 digits: correct it from the NPI registry."
        ), target)]  # fmt: skip
    if not is_valid_npi(npi):
        return [finding(f"{edit}.luhn", ERROR, (
            f"The {who} NPI {npi} fails its check digit (a typing error?): correct it."
        ), target)]  # fmt: skip
    return []


def taxonomy_edits(taxonomy: str, *, who: str, edit: str) -> list[ScrubEdit]:
    """A taxonomy code (NUCC) is 10 characters: 3 digits, then 7 digits or capital letters."""
    if taxonomy and not _TAXONOMY.match(taxonomy):
        return [finding(edit, ERROR, (
            f"The {who} taxonomy code {taxonomy!r} is not a NUCC taxonomy code (10 characters "
            "like 207Q00000X): correct it."
        ))]  # fmt: skip
    return []


def provider_edits(
    claim: x12.Claim, billing: x12.BillingProvider, context: ScrubContext
) -> list[ScrubEdit]:
    edits = npi_edits(billing.npi, who="billing provider's", edit="npi.billing")
    edits += taxonomy_edits(billing.taxonomy, who="billing provider's", edit="taxonomy.billing")
    tin = billing.tin
    if not tin:
        edits.append(finding("tin.billing.missing", ERROR, (
            "The billing provider's tax ID (EIN) is missing: enter it in the practice setup."
        )))  # fmt: skip
    elif not (len(tin) == 9 and tin.isascii() and tin.isdigit()) or len(set(tin)) == 1:
        edits.append(finding("tin.billing.format", ERROR, (
            f"The billing provider's tax ID {tin!r} is not a 9-digit EIN: correct it."
        )))  # fmt: skip
    rendering = claim.rendering_provider
    if rendering is not None:
        edits += npi_edits(rendering.npi, who="rendering provider's", edit="npi.rendering")
        edits += taxonomy_edits(
            rendering.taxonomy, who="rendering provider's", edit="taxonomy.rendering"
        )
    for number, npi in context.line_rendering_npis:
        edits += npi_edits(
            npi, who=f"line {number} rendering provider's", edit="npi.rendering",
            target=line_label(number),
        )  # fmt: skip
    facility = claim.service_facility
    if facility is not None and facility.npi:
        edits += npi_edits(facility.npi, who="service facility's", edit="npi.facility")
    return edits


# --- the people ----------------------------------------------------------------------------------


def member_id_edits(claim: x12.Claim) -> list[ScrubEdit]:
    member_id = claim.subscriber.member_id.strip()
    if not member_id:
        return [finding("subscriber.id.missing", ERROR, (
            "The subscriber's member ID is missing: copy it from the insurance card."
        ))]  # fmt: skip
    if (
        not _MEMBER_ID.match(member_id)
        or len(set(member_id)) == 1
        or member_id.upper() in _PLACEHOLDER_IDS
    ):
        return [finding("subscriber.id.format", ERROR, (
            f"The member ID {member_id!r} does not look like a real member ID: copy it from the "
            "insurance card."
        ))]  # fmt: skip
    first = first_service_date(claim)
    mbi_era = first is not None and first >= MBI_ONLY_FROM
    if claim.filing_indicator == "MB" and mbi_era and not _MBI.match(member_id.upper()):
        return [finding("subscriber.id.mbi", WARNING, (
            f"{member_id} is not shaped like a Medicare Beneficiary Identifier (11 characters, "
            "like 1EG4TE5MK73): Medicare rejects other IDs."
        ))]  # fmt: skip
    return []


def _name_edits(last: str, first: str, *, who: str, edit: str) -> list[ScrubEdit]:
    missing = [part for part, value in (("last", last), ("first", first)) if not value.strip()]
    if not missing:
        return []
    return [finding(edit, ERROR, (
        f"The {who}'s {' and '.join(missing)} name {'is' if len(missing) == 1 else 'are'} "
        "missing: enter the name as on the insurance card."
    ))]  # fmt: skip


def _birth_date_edits(
    born: date | None, *, who: str, edit: str, service: date | None, today: date
) -> list[ScrubEdit]:
    if born is None:
        return [finding(f"{edit}.missing", ERROR, f"The {who}'s date of birth is missing.")]
    if born > today:
        return [finding(f"{edit}.future", ERROR, (
            f"The {who}'s date of birth {born:%m/%d/%Y} is in the future: correct it."
        ))]  # fmt: skip
    if service is not None and born > service:
        return [finding(f"{edit}.after_service", ERROR, (
            f"The {who} was born on {born:%m/%d/%Y}, after the date of service "
            f"{service:%m/%d/%Y}: correct one of them."
        ))]  # fmt: skip
    if born.year < today.year - MAX_AGE_YEARS:
        return [finding(f"{edit}.absurd", ERROR, (
            f"The {who}'s date of birth {born:%m/%d/%Y} makes them over {MAX_AGE_YEARS}: "
            "correct it."
        ))]  # fmt: skip
    return []


def _sex_edits(sex: str, *, who: str, edit: str, filing: str) -> list[ScrubEdit]:
    if sex not in ("M", "F", "U"):
        return [finding(f"{edit}.invalid", ERROR, f"The {who}'s sex {sex!r} is not M, F or U.")]
    if sex == "U" and filing in UNKNOWN_SEX_MATTERS:
        return [finding(f"{edit}.unknown", WARNING, (
            f"The {who}'s sex is unknown (U): this payer expects M or F."
        ))]  # fmt: skip
    return []


def people_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    """Member ID, names, dates of birth and sex of the subscriber and the patient."""
    service = first_service_date(claim)
    s = claim.subscriber
    edits = member_id_edits(claim)
    edits += _name_edits(s.last_name, s.first_name, who="subscriber", edit="subscriber.name")
    if claim.patient is None:  # the subscriber is the patient: DMG is required
        edits += _birth_date_edits(
            s.birth_date, who="patient", edit="subscriber.dob", service=service,
            today=context.today,
        )  # fmt: skip
        edits += _sex_edits(
            s.gender, who="patient", edit="subscriber.sex", filing=claim.filing_indicator
        )
    else:
        p = claim.patient
        edits += _name_edits(p.last_name, p.first_name, who="patient", edit="patient.name")
        edits += _birth_date_edits(
            p.birth_date, who="patient", edit="patient.dob", service=service, today=context.today
        )
        edits += _sex_edits(
            p.gender, who="patient", edit="patient.sex", filing=claim.filing_indicator
        )
        if s.birth_date is not None and s.birth_date > context.today:
            edits.append(finding("subscriber.dob.future", ERROR, (
                f"The subscriber's date of birth {s.birth_date:%m/%d/%Y} is in the future."
            )))  # fmt: skip
    return edits


# --- the claim ---------------------------------------------------------------------------------


def service_dates(claim: x12.Claim) -> list[date]:
    return [line.service_date for line in claim.lines if line.service_date != date.min]


def first_service_date(claim: x12.Claim) -> date | None:
    dates = service_dates(claim)
    return min(dates) if dates else None


def payer_edits(claim: x12.Claim) -> list[ScrubEdit]:
    payer_id = claim.payer.payer_id.strip()
    edits = []
    if not payer_id:
        edits.append(finding("payer.id.missing", ERROR, (
            "The payer ID is missing: choose the payer from the clearinghouse's payer list."
        )))  # fmt: skip
    elif not _PAYER_ID.match(payer_id):
        edits.append(finding("payer.id.format", ERROR, (
            f"The payer ID {payer_id!r} is not a clearinghouse payer ID (letters and digits)."
        )))  # fmt: skip
    if not claim.payer.name.strip():
        edits.append(finding("payer.name.missing", ERROR, "The payer's name is missing."))
    if claim.filing_indicator and claim.filing_indicator not in FILING_INDICATORS:
        edits.append(finding("payer.filing_indicator", ERROR, (
            f"The claim filing indicator {claim.filing_indicator!r} (SBR09) is not a valid code."
        )))  # fmt: skip
    return edits


def header_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    """Place of service, frequency, diagnoses' count and code system, what a file left out."""
    edits = [finding("file.structure", ERROR, defect) for defect in context.defects]
    pos = claim.place_of_service
    if pos not in place_of_service_codes():
        edits.append(finding("pos.invalid", ERROR, (
            f"Place of service {pos!r} is not a CMS place-of-service code: choose one such as "
            "11 (office)." if pos else "The place of service is missing: choose one such as 11."
        )))  # fmt: skip
    if claim.frequency not in FREQUENCIES:
        edits.append(finding("frequency.invalid", ERROR, (
            f"Claim frequency {claim.frequency!r} is not 1 (original), 7 (replacement) or 8 (void)."
        )))  # fmt: skip
    elif claim.frequency in ("7", "8") and not claim.payer_claim_number:
        edits.append(finding("frequency.original_reference", ERROR, (
            "A replacement or void needs the payer's claim number of the original (REF*F8)."
        )))  # fmt: skip
    if not claim.diagnoses:
        edits.append(finding("diagnosis.missing", ERROR, "The claim has no diagnosis code."))
    elif len(claim.diagnoses) > x12.MAX_DIAGNOSES:
        edits.append(finding("diagnosis.too_many", ERROR, (
            f"The claim lists {len(claim.diagnoses)} diagnoses; an 837P carries at most 12."
        )))  # fmt: skip
    first = first_service_date(claim)
    if first is not None and context.diagnosis_code_system == "ICD9" and first >= ICD10_START:
        edits.append(finding("diagnosis.icd9", ERROR, (
            f"The diagnoses are ICD-9 codes, but services from {ICD10_START:%m/%d/%Y} need "
            "ICD-10-CM codes."
        )))  # fmt: skip
    elif first is not None and context.diagnosis_code_system == "ICD10" and first < ICD10_START:
        edits.append(finding("diagnosis.icd10_too_early", ERROR, (
            f"ICD-10-CM codes were not in use on {first:%m/%d/%Y}: services before "
            f"{ICD10_START:%m/%d/%Y} are coded in ICD-9-CM."
        )))  # fmt: skip
    return edits


def date_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    """No service date in the future; every one within the coverage's dates (when known)."""
    edits = []
    start, end = context.coverage_start, context.coverage_end
    for number, line in enumerate(claim.lines, start=1):
        when = line.service_date
        if when == date.min:
            continue
        if when > context.today:
            edits.append(finding("date.future", ERROR, (
                f"Line {number} is dated {when:%m/%d/%Y}, in the future: bill it once the service "
                "is given."
            ), line_label(number)))  # fmt: skip
        if (start is not None and when < start) or (end is not None and when > end):
            span = f"{start:%m/%d/%Y}" if start else "?"
            span += f" to {end:%m/%d/%Y}" if end else " onward"
            edits.append(finding("coverage.dates", ERROR, (
                f"Line {number} ({when:%m/%d/%Y}) falls outside the coverage's dates ({span}): "
                "bill the coverage in force that day."
            ), line_label(number)))  # fmt: skip
    return edits


def pointer_edits(claim: x12.Claim) -> list[ScrubEdit]:
    """SV107: each line points at 1 to 4 of the claim's diagnoses, by their number (1-12)."""
    edits = []
    count = len(claim.diagnoses)
    for number, line in enumerate(claim.lines, start=1):
        target, code = line_label(number), line.procedure_code
        pointers = line.diagnosis_pointers
        if not pointers:
            edits.append(finding("pointer.missing", ERROR, (
                f"Line {number} ({code}) points at no diagnosis: point it at the diagnosis it "
                "treats."
            ), target))  # fmt: skip
            continue
        if len(pointers) > x12.MAX_POINTERS:
            edits.append(finding("pointer.too_many", ERROR, (
                f"Line {number} ({code}) points at {len(pointers)} diagnoses; a line carries at "
                f"most {x12.MAX_POINTERS}."
            ), target))  # fmt: skip
        wrong = [p for p in pointers if not 1 <= p <= min(count, x12.MAX_DIAGNOSES)]
        if wrong:
            edits.append(finding("pointer.invalid", ERROR, (
                f"Line {number} ({code}) points at diagnosis {wrong[0] or '?'}, but the claim "
                f"lists {count}: point it at a listed diagnosis."
            ), target))  # fmt: skip
    return edits


def line_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    """Procedure and modifier shapes, units, charges, and the claim total against its lines."""
    edits = []
    for number, line in enumerate(claim.lines, start=1):
        target = line_label(number)
        code = line.procedure_code
        if not _PROCEDURE.match(code):
            edits.append(finding("procedure.format", ERROR, (
                f"Line {number}: {code!r} is not a CPT or HCPCS code (5 characters, like 99213 or "
                "J1100)."
            ), target))  # fmt: skip
        for modifier in line.modifiers:
            if not _MODIFIER.match(modifier):
                edits.append(finding("modifier.format", ERROR, (
                    f"Line {number}: modifier {modifier!r} is not a 2-character modifier."
                ), target))  # fmt: skip
        if line.charge <= 0:
            edits.append(finding("charge.positive", ERROR, (
                f"Line {number} ({code}) has a charge of {line.charge}: every line needs a charge "
                "above zero."
            ), target))  # fmt: skip
        if line.units <= 0:
            edits.append(finding("units.positive", ERROR, (
                f"Line {number} ({code}) bills {line.units} units: bill at least one."
            ), target))  # fmt: skip
    stated = context.stated_total
    if stated is not None and stated != claim.total_charge:
        edits.append(finding("total.mismatch", ERROR, (
            f"The claim total {stated:.2f} does not equal the sum of its lines "
            f"{claim.total_charge:.2f}: correct the total or a line's charge."
        )))  # fmt: skip
    return edits


def timely_filing_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    """Past the payer's filing limit counted from the first date of service, or within 15 days."""
    days, first = context.timely_filing_days, first_service_date(claim)
    if days is None or first is None:
        return []
    deadline = first + timedelta(days=days)
    left = (deadline - context.today).days
    if left < 0:
        return [finding("timely_filing.past", ERROR, (
            f"The payer's filing limit ({days} days from {first:%m/%d/%Y}) ended on "
            f"{deadline:%m/%d/%Y}: send it with proof of timely filing, or write it off."
        ))]  # fmt: skip
    if left <= TIMELY_WARNING_DAYS:
        return [finding("timely_filing.near", WARNING, (
            f"The payer's filing limit ends on {deadline:%m/%d/%Y}, in {left} days: send it now."
        ))]  # fmt: skip
    return []


def duplicate_edits(claim: x12.Claim, context: ScrubContext) -> list[ScrubEdit]:
    if not context.duplicates or claim.frequency in ("7", "8"):
        return []
    others = ", ".join(context.duplicates[:3])
    return [finding("duplicate", ERROR, (
        f"Claim {others} already bills the same patient, provider, date of service and codes: "
        "void one, or add the modifier (76, 77, 59 …) that tells the services apart."
    ))]  # fmt: skip


def claim_edits(
    claim: x12.Claim, billing: x12.BillingProvider, context: ScrubContext
) -> list[ScrubEdit]:
    """Every claim edit that needs no code set (the coding edits are `claims.scrub_coding`)."""
    return [
        *header_edits(claim, context),
        *provider_edits(claim, billing, context),
        *people_edits(claim, context),
        *payer_edits(claim),
        *date_edits(claim, context),
        *pointer_edits(claim),
        *line_edits(claim, context),
        *timely_filing_edits(claim, context),
        *duplicate_edits(claim, context),
        *prior_auth_edits(claim, context),
        *therapy_modifier_edits(claim),
        *attachment_edits(claim),
        *payer_rule_edits(claim, context),
    ]


def duplicate_key(claim: x12.Claim, billing: x12.BillingProvider) -> tuple[object, ...]:
    """Same patient, provider, dates of service and codes: what makes two claims duplicates."""
    person = claim.patient or claim.subscriber
    rendering = claim.rendering_provider.npi if claim.rendering_provider else billing.npi
    return (
        claim.subscriber.member_id.strip().upper(),
        person.last_name.strip().upper(),
        person.first_name.strip().upper(),
        person.birth_date,
        billing.npi,
        rendering,
        claim.payer.payer_id,
        tuple(sorted((line.service_date, line.procedure_code, line.modifiers)
                     for line in claim.lines)),
    )  # fmt: skip

"""Who an imported 837P claim is about: its payer, patient, coverage and rendering provider.

Each is matched in the practice first and created only when unknown: a patient by the payer and
member id of a coverage, then by name and date of birth; a provider by NPI; a payer (shared by
every practice) by its payer id. What cannot be stored as the file has it raises `ImportRefusal`
with the reason in words, and the caller leaves that claim out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from patients.coverage.services import coverage_create
from patients.models import Coverage, Patient, Relationship, Sex
from patients.registration.services import patient_create
from rcm.practice.models import ClaimFilingIndicator, Payer, Practice, Provider, User
from rcm.x12 import claim837 as x12
from rcm.x12.read837 import ClaimRead

PRIORITIES = {"P": 1, "S": 2, "T": 3}
FIELD_WORDS = {"npi": "NPI", "mrn": "MRN", "zip_code": "ZIP code", "address1": "address"}


class ImportRefusal(Exception):
    """Why one claim of a file cannot enter the practice as the file has it."""


def in_words(error: ValidationError) -> str:
    """A ValidationError as one sentence: 'last name: Ensure this value has at most 60 ...'."""
    if not hasattr(error, "error_dict"):
        return " ".join(text.rstrip(".") for text in error.messages)
    parts = []
    for name, texts in error.message_dict.items():
        said = " ".join(text.rstrip(".") for text in texts)
        label = FIELD_WORDS.get(name, name.replace("_", " "))
        parts.append(said if name == "__all__" else f"{label}: {said}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Person:
    """The patient a claim is for: the subscriber (2010BA), or the dependent (2010CA)."""

    last_name: str
    first_name: str
    middle_name: str
    birth_date: datetime.date | None
    gender: str
    address: x12.Address | None
    dependent: bool
    relationship: str  # the patient's relationship to the subscriber (18 self)


def person_of(claim: x12.Claim) -> Person:
    source: x12.Patient | x12.Subscriber = claim.patient or claim.subscriber
    return Person(
        last_name=source.last_name.strip(),
        first_name=source.first_name.strip(),
        middle_name=source.middle_name.strip(),
        birth_date=source.birth_date,
        gender=source.gender,
        address=source.address,
        dependent=claim.patient is not None,
        relationship=claim.patient.relationship if claim.patient else Relationship.SELF,
    )


# --- the payer ----------------------------------------------------------------------------------


def payer_find_or_create(claim: x12.Claim) -> tuple[Payer, bool]:
    """The payer by its id (NM109 of 2010BB); an unknown one is added, for every practice."""
    return payer_by_id_find_or_create(
        sent=claim.payer, filing_indicator=claim.filing_indicator, loop="2010BB"
    )


def payer_by_id_find_or_create(
    *, sent: x12.Payer, filing_indicator: str, loop: str
) -> tuple[Payer, bool]:
    """The payer of `loop` (2010BB, or 2330B for the payer before) by its id; an unknown one is
    added, filed with the file's SBR09 (commercial when that is no code we know)."""
    payer_id = sent.payer_id.strip()
    if not payer_id:
        raise ImportRefusal(f"the payer (loop {loop}) has no payer id (NM109)")
    found = Payer.objects.filter(payer_id=payer_id).first()
    if found is not None:
        return found, False
    indicator = filing_indicator
    if indicator not in ClaimFilingIndicator.values:
        indicator = ClaimFilingIndicator.COMMERCIAL
    payer = Payer(
        name=sent.name.strip() or payer_id, payer_id=payer_id, claim_filing_indicator=indicator
    )  # fmt: skip
    try:
        payer.full_clean()
    except ValidationError as error:
        raise ImportRefusal(f"the payer {payer_id!r} cannot be added: {in_words(error)}") from None
    try:
        with transaction.atomic():  # another import adding the same payer at once
            payer.save()
    except IntegrityError:
        return Payer.objects.get(payer_id=payer_id), False
    return payer, True


# --- the patient and their coverage -------------------------------------------------------------


def _same_first_name(patient: Patient, person: Person) -> bool:
    return patient.first_name.casefold() == person.first_name.casefold()


def coverage_by_member_id(
    *, practice: Practice, payer: Payer, member_id: str, person: Person
) -> Coverage | None:
    """The coverage with this payer and member id whose patient is this claim's patient.

    A family shares the subscriber's member id: for a dependent, the one with the same date of
    birth and first name; for the subscriber, their own (relationship self).
    """
    rows = Coverage.objects.filter(
        practice=practice, payer=payer, member_id=member_id, patient__merged_into__isnull=True
    ).select_related("patient", "payer")
    for coverage in rows.order_by("patient_id", "priority", "id"):
        if not person.dependent and coverage.relationship == Relationship.SELF:
            return coverage
        patient = coverage.patient
        if (
            person.dependent
            and coverage.relationship != Relationship.SELF
            and patient.date_of_birth == person.birth_date
            and _same_first_name(patient, person)
        ):
            return coverage
    return None


def patient_by_name(*, practice: Practice, person: Person) -> Patient | None:
    if person.birth_date is None or not person.last_name:
        return None
    return (
        Patient.objects.filter(
            practice=practice,
            last_name__iexact=person.last_name,
            first_name__iexact=person.first_name,
            date_of_birth=person.birth_date,
            merged_into__isnull=True,
        )
        .order_by("id")
        .first()
    )


def patient_add(*, practice: Practice, person: Person, user: User | None) -> Patient:
    if person.birth_date is None:
        raise ImportRefusal("the patient has no date of birth (DMG)")
    if person.address is None or not person.address.line1:
        raise ImportRefusal("the patient has no address (N3/N4)")
    address = person.address
    try:
        return patient_create(
            practice=practice, user=user, first_name=person.first_name,
            middle_name=person.middle_name, last_name=person.last_name,
            date_of_birth=person.birth_date,
            sex=person.gender if person.gender in Sex.values else Sex.UNKNOWN,
            address1=address.line1, address2=address.line2, city=address.city,
            state=address.state, zip_code=address.postal_code,
        )  # fmt: skip
    except ValidationError as error:
        raise ImportRefusal(f"the patient cannot be added: {in_words(error)}") from None


def _relationship(person: Person) -> str:
    if not person.dependent:
        return Relationship.SELF
    code = person.relationship
    return code if code in Relationship.values and code != Relationship.SELF else Relationship.OTHER


def _subscriber_fields(claim: x12.Claim, person: Person) -> dict[str, Any]:
    """The subscriber of a dependent's coverage. An 837P sends the subscriber's date of birth,
    sex and address (2010BA DMG, N3/N4) only when the subscriber is the patient; a file that
    leaves out the address is given the patient's (one household), the sex 'unknown'; the date
    of birth cannot be guessed."""
    if not person.dependent:
        return {}
    subscriber = claim.subscriber
    if subscriber.birth_date is None:
        raise ImportRefusal(
            f"the subscriber's date of birth (loop 2010BA DMG) is not in the file, and a "
            f"dependent's coverage needs it: register the patient with this coverage (member id "
            f"{subscriber.member_id!r}), then import again, and the claim is matched by member id"
        )
    address = subscriber.address or person.address
    address = address or x12.Address(line1="", city="", state="", postal_code="")
    return {
        "subscriber_first_name": subscriber.first_name,
        "subscriber_last_name": subscriber.last_name,
        "subscriber_date_of_birth": subscriber.birth_date,
        "subscriber_sex": subscriber.gender if subscriber.gender in Sex.values else Sex.UNKNOWN,
        "subscriber_address1": address.line1, "subscriber_city": address.city,
        "subscriber_state": address.state, "subscriber_zip_code": address.postal_code,
    }  # fmt: skip


def coverage_add(
    *,
    patient: Patient,
    payer: Payer,
    claim: x12.Claim,
    person: Person,
    effective_date: datetime.date,
    user: User | None,
) -> Coverage:
    """The coverage the file bills, from the first date of service billed to it in the file."""
    existing = Coverage.objects.filter(
        patient=patient, payer=payer, member_id=claim.subscriber.member_id.strip()
    ).first()
    if existing is not None:
        return existing
    try:
        return coverage_create(
            patient=patient, payer=payer, priority=PRIORITIES.get(claim.responsibility, 1),
            member_id=claim.subscriber.member_id, effective_date=effective_date, user=user,
            group_number=claim.subscriber.group_number, relationship=_relationship(person),
            **_subscriber_fields(claim, person),
        )  # fmt: skip
    except ValidationError as error:
        raise ImportRefusal(f"the coverage cannot be added: {in_words(error)}") from None


def _same_person(subscriber: x12.Subscriber, other: x12.Subscriber) -> bool:
    def name(who: x12.Subscriber) -> tuple[str, str]:
        return (who.last_name.strip().casefold(), who.first_name.strip().casefold())

    return name(subscriber) == name(other)


def _prior_subscriber_fields(
    *, claim: x12.Claim, other: x12.OtherCoverage, person: Person
) -> dict[str, Any]:
    """The subscriber of the prior payer's coverage (2330A), when the patient is not it.

    2330A has no DMG: the subscriber's date of birth is known only when they are the claim's
    own subscriber (2010BA, same name), who sent it; otherwise it cannot be guessed."""
    relationship = other.relationship
    if relationship == Relationship.SELF:
        return {"relationship": Relationship.SELF}
    subscriber = other.subscriber
    known = claim.subscriber if _same_person(claim.subscriber, subscriber) else None
    if known is None or known.birth_date is None:
        raise ImportRefusal(
            f"the subscriber of the prior payer's coverage (loop 2330A, member id "
            f"{subscriber.member_id!r}) is not the patient and the file cannot carry their date "
            "of birth: register the patient's coverage with that payer, then import again, and "
            "it is matched by member id"
        )
    address = known.address or subscriber.address or person.address
    address = address or x12.Address(line1="", city="", state="", postal_code="")
    code = relationship if relationship in Relationship.values else Relationship.OTHER
    return {
        "relationship": code,
        "subscriber_first_name": subscriber.first_name.strip(),
        "subscriber_last_name": subscriber.last_name.strip(),
        "subscriber_date_of_birth": known.birth_date,
        "subscriber_sex": known.gender if known.gender in Sex.values else Sex.UNKNOWN,
        "subscriber_address1": address.line1, "subscriber_city": address.city,
        "subscriber_state": address.state, "subscriber_zip_code": address.postal_code,
    }  # fmt: skip


def prior_coverage_find_or_add(
    *,
    patient: Patient,
    payer: Payer,
    claim: x12.Claim,
    other: x12.OtherCoverage,
    person: Person,
    effective_date: datetime.date,
    user: User | None,
) -> tuple[Coverage, bool]:
    """The patient's coverage with the payer of a 2320/2330 loop (matched by payer and member
    id, else added from 2330A, priority from SBR01 of 2320); and whether it was added."""
    member_id = other.subscriber.member_id.strip()
    if not member_id:
        raise ImportRefusal("the prior payer's subscriber (loop 2330A) has no member id (NM109)")
    existing = Coverage.objects.filter(patient=patient, payer=payer, member_id=member_id).first()
    if existing is not None:
        return existing, False
    priority = PRIORITIES.get(other.responsibility)
    if priority is None:
        raise ImportRefusal(
            f"the prior payer's responsibility (SBR01 of loop 2320) {other.responsibility!r} is "
            "not P, S or T"
        )
    try:
        coverage = coverage_create(
            patient=patient, payer=payer, priority=priority, member_id=member_id,
            effective_date=effective_date, user=user,
            group_number=other.subscriber.group_number,
            **_prior_subscriber_fields(claim=claim, other=other, person=person),
        )  # fmt: skip
    except ValidationError as error:
        raise ImportRefusal(
            f"the prior payer's coverage cannot be added: {in_words(error)}"
        ) from None
    return coverage, True


# --- the rendering provider ---------------------------------------------------------------------


def provider_find_or_create(*, practice: Practice, read: ClaimRead) -> tuple[Provider, bool]:
    """The rendering provider (2310B) by NPI in the practice; an unknown one is added.

    Without 2310B the billing provider renders the service: that NPI must be a provider here.
    The taxonomy is 2310B's PRV, else the billing provider's, else the practice's.
    """
    rendering = read.claim.rendering_provider
    npi = (rendering.npi if rendering else read.billing_provider.npi).strip()
    found = Provider.objects.filter(practice=practice, npi=npi).first()
    if found is not None:
        return found, False
    if rendering is None:
        raise ImportRefusal(
            f"it names no rendering provider (loop 2310B) and the billing provider's NPI "
            f"{npi!r} is no provider of {practice.name}: add the provider, then import again"
        )
    taxonomy = rendering.taxonomy or read.billing_provider.taxonomy or practice.taxonomy
    provider = Provider(
        practice=practice, first_name=rendering.first_name.strip(),
        last_name=rendering.last_name.strip(), npi=npi, taxonomy=taxonomy,
    )  # fmt: skip
    try:
        provider.full_clean()
    except ValidationError as error:
        raise ImportRefusal(f"the rendering provider cannot be added: {in_words(error)}") from None
    provider.save()
    return provider, True

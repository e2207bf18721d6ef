"""Patients, their insurance coverages, eligibility checks and encounters (visits)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable

# The visit's statuses belong to its state machine; importing them from here works as well.
from patients.visits.state import WAITING_FOR_CODING
from patients.visits.state import EncounterStatus as EncounterStatus
from rcm.practice.models import Payer, Practice, Provider
from rcm.practice.validators import (
    validate_state,
    validate_x12_address,
    validate_x12_name,
    validate_x12_text,
    validate_zip,
)

# A note longer than this is not a visit's note (a pasted document, or an attack): refused where
# it is typed, and the suggestions read at most this much (coding/suggest).
CLINICAL_NOTE_MAX_LENGTH = 20_000
CLINICAL_NOTE_TOO_LONG = (
    "The clinical note can be at most 20,000 characters (it has %(show_value)d): "
    "keep the visit's note, attach documents elsewhere."
)


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Unknown"


class Patient(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("MRN", max_length=20, help_text="Medical record number, per practice.")
    first_name = models.CharField(max_length=35, validators=[validate_x12_name])
    middle_name = models.CharField(max_length=25, blank=True, validators=[validate_x12_name])
    last_name = models.CharField(max_length=60, validators=[validate_x12_name])
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    address1 = models.CharField("address", max_length=55, validators=[validate_x12_address])
    address2 = models.CharField(
        "address line 2", max_length=55, blank=True, validators=[validate_x12_address]
    )
    city = models.CharField(max_length=30, validators=[validate_x12_address])
    state = models.CharField(max_length=2, validators=[validate_state])
    zip_code = models.CharField("ZIP", max_length=9, validators=[validate_zip])
    phone = models.CharField(max_length=10, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        help_text="Set when an administrator merged this duplicate into another chart.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "date_of_birth"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "mrn"], name="patient_unique_mrn")
        ]
        indexes = [
            # Serves the front desk's name + date-of-birth search within a practice.
            models.Index(fields=["practice", "last_name", "first_name"], name="patient_name_idx"),
            models.Index(fields=["practice", "date_of_birth"], name="patient_dob_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.mrn})"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_name, self.last_name) if p)


class CoveragePriority(models.IntegerChoices):
    PRIMARY = 1, "Primary"
    SECONDARY = 2, "Secondary"
    TERTIARY = 3, "Tertiary"


class Relationship(models.TextChoices):
    """The patient's relationship to the subscriber (X12 individual relationship code)."""

    SELF = "18", "Self"
    SPOUSE = "01", "Spouse"
    CHILD = "19", "Child"
    OTHER = "G8", "Other relationship"


class CoverageQuerySet(models.QuerySet["Coverage"]):
    def in_force_on(self, day: datetime.date | Combinable) -> CoverageQuerySet:
        """Coverages that have started by `day` and not ended before it.

        `day` may be an expression, e.g. OuterRef("date_of_service") in a subquery.
        """
        return self.filter(effective_date__lte=day).filter(
            Q(termination_date__isnull=True) | Q(termination_date__gte=day)
        )


class Coverage(models.Model):
    """A patient's insurance with one payer. The subscriber is the patient unless related."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="coverages")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="coverages")
    priority = models.PositiveSmallIntegerField(choices=CoveragePriority.choices)
    member_id = models.CharField("member ID", max_length=80, validators=[validate_x12_text])
    group_number = models.CharField(max_length=50, blank=True, validators=[validate_x12_text])
    plan_name = models.CharField(max_length=60, blank=True)
    relationship = models.CharField(
        "patient's relationship to subscriber",
        max_length=2,
        choices=Relationship.choices,
        default=Relationship.SELF,
    )
    subscriber_first_name = models.CharField(
        max_length=35, blank=True, validators=[validate_x12_name]
    )
    subscriber_last_name = models.CharField(
        max_length=60, blank=True, validators=[validate_x12_name]
    )
    subscriber_date_of_birth = models.DateField(null=True, blank=True)
    subscriber_sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    subscriber_address1 = models.CharField(
        max_length=55, blank=True, validators=[validate_x12_address]
    )
    subscriber_city = models.CharField(max_length=30, blank=True, validators=[validate_x12_address])
    subscriber_state = models.CharField(max_length=2, blank=True)
    subscriber_zip_code = models.CharField(max_length=9, blank=True)
    effective_date = models.DateField()
    termination_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoverageQuerySet.as_manager()

    class Meta:
        ordering = ["patient", "priority", "-effective_date"]
        indexes = [models.Index(fields=["practice", "member_id"], name="coverage_member_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(termination_date__isnull=True)
                | Q(termination_date__gte=models.F("effective_date")),
                name="coverage_terminates_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.payer} {self.member_id} ({self.get_priority_display()})"

    def is_active_on(self, day: object) -> bool:
        return self.effective_date <= day and (  # type: ignore[operator]
            self.termination_date is None or day <= self.termination_date  # type: ignore[operator]
        )


class CardSide(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"


class CoverageCard(models.Model):
    """A scan or photo of the insurance card, kept privately (rcm.files) and shown by role."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="cards")
    side = models.CharField(max_length=5, choices=CardSide.choices)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    content_type = models.CharField(max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["coverage", "side", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_side_display()} of card for coverage {self.coverage_id}"


class EligibilityCheck(models.Model):
    """One 270 sent and the 271 that answered it (filled in by the eligibility work)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the payer"
        ACTIVE = "active", "Coverage active"
        INACTIVE = "inactive", "Coverage inactive"
        ERROR = "error", "Payer could not answer"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    coverage = models.ForeignKey(
        Coverage, on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    summary = models.JSONField(default=dict, blank=True)
    encounter = models.ForeignKey(
        "Encounter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="eligibility_checks",
        help_text="The visit the check was made for, if any.",
    )
    request_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(blank=True, help_text="Why no answer came, in words.")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Eligibility of {self.coverage_id} for {self.service_date}: {self.status}"


class PlaceOfService(models.TextChoices):
    """The place-of-service codes a physician practice uses most (full list in code sets)."""

    TELEHEALTH_OTHER = "02", "Telehealth other than in patient's home"
    TELEHEALTH_HOME = "10", "Telehealth in patient's home"
    OFFICE = "11", "Office"
    HOME = "12", "Home"
    URGENT_CARE = "20", "Urgent care facility"
    INPATIENT = "21", "Inpatient hospital"
    OUTPATIENT_ON_CAMPUS = "22", "On campus-outpatient hospital"
    EMERGENCY = "23", "Emergency room - hospital"
    ASC = "24", "Ambulatory surgical center"
    SNF = "31", "Skilled nursing facility"
    NURSING_FACILITY = "32", "Nursing facility"
    INDEPENDENT_LAB = "81", "Independent laboratory"


class EncounterQuerySet(models.QuerySet["Encounter"]):
    def awaiting_coding(self) -> EncounterQuerySet:
        return self.filter(status__in=WAITING_FOR_CODING)


class Encounter(models.Model):
    """A visit: who was seen, by whom, when and where, and the clinical note coders read."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="encounters")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="encounters")
    rendering_provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    date_of_service = models.DateField()
    place_of_service = models.CharField(
        max_length=2, choices=PlaceOfService.choices, default=PlaceOfService.OFFICE
    )
    clinical_note = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(CLINICAL_NOTE_MAX_LENGTH, message=CLINICAL_NOTE_TOO_LONG)],
    )
    prior_authorization = models.CharField(
        max_length=50, blank=True, validators=[validate_x12_text]
    )
    # Set by the front desk: the patient pays this visit themselves (no insurance, or they ask
    # that it not be billed to their plan). Billing then sends no claim to any payer; the
    # visit's charges are owed by the patient (claims.SelfPayCharge).
    self_pay = models.BooleanField(
        "self-pay",
        default=False,
        help_text="The patient pays this visit; no claim is sent to their insurance.",
    )
    status = models.CharField(
        max_length=20, choices=EncounterStatus.choices, default=EncounterStatus.SCHEDULED
    )
    assigned_coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EncounterQuerySet.as_manager()

    class Meta:
        ordering = ["-date_of_service", "-id"]
        indexes = [
            # Serves the coder worklist: a practice's encounters in one status, oldest first.
            models.Index(
                fields=["practice", "status", "date_of_service"], name="encounter_worklist_idx"
            ),
            models.Index(fields=["patient", "date_of_service"], name="encounter_patient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.date_of_service}"


class EncounterEvent(models.Model):
    """The visit's timeline: one row per status change, written by `encounter_transition`."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=20, choices=EncounterStatus.choices)
    to_status = models.CharField(max_length=20, choices=EncounterStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, default="user")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["encounter", "at", "id"]

    def __str__(self) -> str:
        return f"{self.encounter_id}: {self.from_status} → {self.to_status}"

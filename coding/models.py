"""Code sets (versioned by effective date) and the coded encounter (diagnoses, procedure lines)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from patients.models import Encounter
from rcm.practice.models import Practice


class CodeSystem(models.TextChoices):
    ICD10CM = "ICD10CM", "ICD-10-CM diagnosis"
    CPT = "CPT", "CPT procedure"
    HCPCS = "HCPCS", "HCPCS Level II"
    MODIFIER = "MOD", "Procedure modifier"
    POS = "POS", "Place of service"
    CARC = "CARC", "Claim adjustment reason code"
    RARC = "RARC", "Remittance advice remark code"
    CLAIM_STATUS_CATEGORY = "CSC", "Claim status category code"
    CLAIM_STATUS = "CSCC", "Claim status code"
    ADJUSTMENT_GROUP = "CAGC", "Claim adjustment group code"


class CodeSetRelease(models.Model):
    """One release of one code system, in force from `effective_date` until the next release."""

    system = models.CharField(max_length=8, choices=CodeSystem.choices)
    version = models.CharField(max_length=40, help_text="e.g. 'FY2026 April update'.")
    effective_date = models.DateField()
    source = models.CharField(max_length=200, help_text="Where the data came from.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    code_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["system", "-effective_date"]
        constraints = [
            models.UniqueConstraint(fields=["system", "version"], name="release_unique_version"),
            models.UniqueConstraint(
                fields=["system", "effective_date"], name="release_unique_effective_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.version} (from {self.effective_date})"


class Code(models.Model):
    """A code in one release. `code` is as people write it (E11.9); `compact` as X12 sends it."""

    release = models.ForeignKey(CodeSetRelease, on_delete=models.CASCADE, related_name="codes")
    system = models.CharField(max_length=8, choices=CodeSystem.choices)
    code = models.CharField(max_length=10)
    compact = models.CharField(max_length=10, help_text="Upper case, no dot.")
    description = models.TextField()
    short_description = models.CharField(max_length=100, blank=True)
    billable = models.BooleanField(
        default=True, help_text="False for ICD-10-CM headers (categories needing more characters)."
    )
    parent = models.CharField(max_length=10, blank=True, help_text="The parent code, if any.")
    notes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Tabular notes: excludes1, excludes2, code_first, use_additional_code, "
        "code_also, includes, inclusion_terms, seventh_characters …",
    )

    class Meta:
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["release", "compact"], name="code_unique_in_release")
        ]
        indexes = [
            # Serves look-ups of one code across releases (validity on a date of service).
            models.Index(fields=["system", "compact"], name="code_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_description or self.description[:60]}"


class EncounterDiagnosis(models.Model):
    """A diagnosis on an encounter; position 1 is the first-listed (primary) diagnosis."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="diagnoses")
    position = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    code = models.CharField(max_length=10, help_text="ICD-10-CM code as written, e.g. E11.9.")

    class Meta:
        ordering = ["encounter", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["encounter", "position"], name="diagnosis_unique_position"
            ),
            models.UniqueConstraint(fields=["encounter", "code"], name="diagnosis_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.code}"


def _no_modifiers() -> list[str]:
    return []


class ProcedureLine(models.Model):
    """A CPT/HCPCS service line with modifiers, units, diagnosis pointers and the charge."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(
        Encounter, on_delete=models.CASCADE, related_name="procedure_lines"
    )
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    code = models.CharField(max_length=5, help_text="CPT or HCPCS code.")
    modifiers = ArrayField(
        models.CharField(max_length=2), size=4, default=_no_modifiers, blank=True
    )
    units = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    diagnosis_pointers = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)]),
        size=4,
        default=list,
        help_text="Positions of the diagnoses this line treats, most important first.",
    )
    # Empty while no fee is known (no fee on the schedule, none typed): a draft keeps the line
    # anyway, and the "fee-missing" edit blocks completion until there is one.
    charge = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["encounter", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["encounter", "position"], name="procedure_unique_position"
            ),
            models.CheckConstraint(
                condition=models.Q(charge__gte=0), name="procedure_charge_gte_0"
            ),
        ]

    def __str__(self) -> str:
        mods = "-".join(self.modifiers)
        return f"{self.code}{'-' + mods if mods else ''} x{self.units}"


class NcciPtpEdit(models.Model):
    """An NCCI procedure-to-procedure pair: column 2 is not paid with column 1 on one day,
    unless the modifier indicator is 1 and an NCCI-associated modifier (59, XE, XS, XP, XU …)
    says the services were distinct."""

    column1 = models.CharField(max_length=5)
    column2 = models.CharField(max_length=5)
    modifier_indicator = models.CharField(
        max_length=1, help_text="0: never allowed together; 1: allowed with a modifier; 9: n/a."
    )
    effective_date = models.DateField()
    deletion_date = models.DateField(null=True, blank=True)
    rationale = models.CharField(max_length=200, blank=True)
    source = models.CharField(
        max_length=100, help_text="Which CMS file (and quarter) it came from."
    )

    class Meta:
        ordering = ["column1", "column2"]
        constraints = [
            models.UniqueConstraint(
                fields=["column1", "column2", "effective_date"], name="ncci_ptp_unique"
            )
        ]
        indexes = [
            # Serves the edit check: the pairs among one encounter's codes.
            models.Index(fields=["column1", "column2"], name="ncci_ptp_pair_idx")
        ]

    def __str__(self) -> str:
        return f"{self.column1}/{self.column2} ({self.modifier_indicator})"


class MedicallyUnlikelyEdit(models.Model):
    """An MUE: the most units of a code a provider would report for one patient on one day."""

    code = models.CharField(max_length=5)
    max_units = models.PositiveIntegerField()
    adjudication_indicator = models.CharField(
        max_length=1, help_text="1: claim line edit; 2: date of service edit (policy); 3: clinical."
    )
    rationale = models.CharField(max_length=200, blank=True)
    effective_date = models.DateField()
    source = models.CharField(max_length=100)

    class Meta:
        ordering = ["code", "-effective_date"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_date"], name="mue_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} max {self.max_units}"


class SearchTermKind(models.IntegerChoices):
    DESCRIPTION = 0, "Description"
    INCLUSION = 1, "Inclusion term"


class CodeSearchTerm(models.Model):
    """One searchable phrase of a code (its description or an inclusion term); see coding.search."""

    release = models.ForeignKey(CodeSetRelease, on_delete=models.CASCADE, related_name="+")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="search_terms")
    kind = models.PositiveSmallIntegerField(choices=SearchTermKind.choices)
    term = models.TextField()
    length = models.FloatField(help_text="Informative words in the term: shorter is more general.")
    billable = models.BooleanField()
    extension = models.BooleanField(help_text="A 7th-character code (S52.91XA).")
    document = SearchVectorField()

    class Meta:
        indexes = [
            # Serves the word search: document @@ to_tsquery('simple', …) within a release.
            GinIndex(fields=["document"], name="code_search_document_idx"),
            models.Index(fields=["release", "kind"], name="code_search_release_idx"),
        ]

    def __str__(self) -> str:
        return self.term


class CodeSearchWord(models.Model):
    """A word of a release's search vocabulary: serves prefix checks and spelling correction."""

    release = models.ForeignKey(CodeSetRelease, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=60)
    frequency = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "word"], name="code_search_word_unique")
        ]
        indexes = [
            # Serves spelling correction: word % 'pnuemonia' (pg_trgm similarity).
            GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="code_search_word_trgm_idx"),
        ]

    def __str__(self) -> str:
        return self.word

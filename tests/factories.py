"""factory_boy factories: synthetic practices, people and claims for the tests (never real PHI)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from claims.models import Claim, ClaimDiagnosis, ClaimLine
from claims.state import ClaimStatus
from coding.models import EncounterDiagnosis, ProcedureLine
from patients.models import Coverage, Encounter, EncounterStatus, Patient
from rcm.practice.models import Membership, Payer, Practice, Provider, Role, User
from rcm.practice.validators import npi_check_digit


def npi_for(sequence: int, prefix: str = "1") -> str:
    first_nine = f"{prefix}{sequence:08d}"[-9:]
    return first_nine + str(npi_check_digit(first_nine))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("test-password-1")


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n} Family Medicine")
    npi = factory.Sequence(lambda n: npi_for(n + 1, "1"))
    tin = factory.Sequence(lambda n: f"{n + 100000000:09d}"[-9:])
    taxonomy = "207Q00000X"
    address1 = "100 Main St"
    city = "Springfield"
    state = "IL"
    zip_code = "62701"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    practice = factory.SubFactory(PracticeFactory)
    role = Role.BILLER


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    practice = factory.SubFactory(PracticeFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    credential = "MD"
    npi = factory.Sequence(lambda n: npi_for(n + 1, "2"))
    taxonomy = "207Q00000X"


class PayerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payer
        django_get_or_create = ("payer_id",)

    name = factory.Sequence(lambda n: f"Test Health Plan {n}")
    payer_id = factory.Sequence(lambda n: f"TP{n:05d}")
    claim_filing_indicator = "CI"


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    practice = factory.SubFactory(PracticeFactory)
    mrn = factory.Sequence(lambda n: f"MRN{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = datetime.date(1970, 5, 17)
    sex = "F"
    address1 = "12 Elm St"
    city = "Springfield"
    state = "IL"
    zip_code = "62704"


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    patient = factory.SubFactory(PatientFactory)
    practice = factory.SelfAttribute("patient.practice")
    payer = factory.SubFactory(PayerFactory)
    priority = 1
    member_id = factory.Sequence(lambda n: f"M{n:09d}")
    effective_date = datetime.date(2025, 1, 1)


class EncounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Encounter

    patient = factory.SubFactory(PatientFactory)
    practice = factory.SelfAttribute("patient.practice")
    rendering_provider = factory.SubFactory(
        ProviderFactory, practice=factory.SelfAttribute("..practice")
    )
    date_of_service = datetime.date(2026, 10, 1)
    clinical_note = "Follow-up for type 2 diabetes without complications."
    status = EncounterStatus.AWAITING_CODING


class EncounterDiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EncounterDiagnosis

    encounter = factory.SubFactory(EncounterFactory)
    practice = factory.SelfAttribute("encounter.practice")
    position = 1
    code = "E11.9"


class ProcedureLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureLine

    encounter = factory.SubFactory(EncounterFactory)
    practice = factory.SelfAttribute("encounter.practice")
    position = 1
    code = "99213"
    diagnosis_pointers = [1]
    charge = Decimal("125.00")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    encounter = factory.SubFactory(EncounterFactory, status=EncounterStatus.BILLED)
    practice = factory.SelfAttribute("encounter.practice")
    patient = factory.SelfAttribute("encounter.patient")
    coverage = factory.SubFactory(CoverageFactory, patient=factory.SelfAttribute("..patient"))
    payer = factory.SelfAttribute("coverage.payer")
    rendering_provider = factory.SelfAttribute("encounter.rendering_provider")
    control_number = factory.Sequence(lambda n: f"TC{n:08d}")
    place_of_service = "11"
    service_date_from = factory.SelfAttribute("encounter.date_of_service")
    service_date_to = factory.SelfAttribute("encounter.date_of_service")
    total_charge = Decimal("125.00")
    status = ClaimStatus.DRAFT


class ClaimDiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimDiagnosis

    claim = factory.SubFactory(ClaimFactory)
    position = 1
    code = "E119"


class ClaimLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimLine

    claim = factory.SubFactory(ClaimFactory)
    position = 1
    control_number = factory.Sequence(lambda n: f"TL{n:08d}")
    procedure_code = "99213"
    diagnosis_pointers = [1]
    charge = Decimal("125.00")
    service_date = factory.SelfAttribute("claim.service_date_from")

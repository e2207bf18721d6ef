"""Importing an 837P into a practice: its claims (and unknown patients, coverages, providers and
payers) enter the practice scrubbed, a second import adds nothing, and an unreadable file writes
nothing and is refused naming its segment and line."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.export import claims_export_837
from claims.import837 import claims_import_837
from claims.models import Claim, ClaimEvent, ClaimStatus
from patients.models import Coverage, Encounter, EncounterStatus, Patient, Relationship
from rcm.files.models import FileKind, StoredFile
from rcm.practice.models import Payer, Provider
from rcm.x12.base import X12Error
from rcm.x12.claim837 import write_837p
from tests.factories import (
    ClaimDiagnosisFactory,
    ClaimFactory,
    ClaimLineFactory,
    CoverageFactory,
    PatientFactory,
    PayerFactory,
    ProviderFactory,
)
from tests.x12.corpus import CORPUS
from tests.x12.test_claim837 import batch, claim, line

ROOT = Path(__file__).resolve().parents[2]
DOS = datetime.date(2026, 10, 1)


def source_claim(practice, **kwargs) -> Claim:
    """A READY claim of `practice` with two diagnoses and two lines (modifiers, pointers)."""
    made: Claim = ClaimFactory(
        status=ClaimStatus.READY, encounter__patient__practice=practice,
        encounter__date_of_service=DOS, coverage__effective_date=datetime.date(2026, 1, 1),
        total_charge=Decimal("185.00"), **kwargs,
    )  # fmt: skip
    ClaimDiagnosisFactory(claim=made, position=1, code="E119")
    ClaimDiagnosisFactory(claim=made, position=2, code="I10")
    ClaimLineFactory(
        claim=made, position=1, procedure_code="99214", modifiers=["25"],
        diagnosis_pointers=[1, 2], charge=Decimal("150.00"),
    )  # fmt: skip
    ClaimLineFactory(
        claim=made, position=2, procedure_code="36415", diagnosis_pointers=[2],
        charge=Decimal("35.00"), units=Decimal("2"),
    )  # fmt: skip
    return made


@pytest.fixture
def sources(practice_a):
    return [
        source_claim(practice_a),
        source_claim(
            practice_a,
            coverage__relationship=Relationship.CHILD,
            coverage__subscriber_first_name="Pat",
            coverage__subscriber_last_name="Parent",
            coverage__subscriber_date_of_birth=datetime.date(1975, 2, 3),
            coverage__subscriber_sex="M",
            coverage__subscriber_address1="9 Elm Street",
            coverage__subscriber_city="Springfield",
            coverage__subscriber_state="IL",
            coverage__subscriber_zip_code="62704",
        ),
        source_claim(practice_a, encounter__patient__first_name="José", place_of_service="22"),
    ]


@pytest.fixture
def exported(sources) -> bytes:
    [file] = claims_export_837(claim_ids=[c.pk for c in sources])
    return file.text.encode()


def as_sent(made: Claim) -> dict:
    """What a claim bills, in terms that do not depend on the practice."""
    return {
        "place_of_service": made.place_of_service,
        "dates": (made.service_date_from, made.service_date_to),
        "total": made.total_charge,
        "diagnoses": [(d.position, d.code) for d in made.diagnoses.order_by("position")],
        "lines": [
            (ln.position, ln.procedure_code, ln.modifiers, ln.units, ln.diagnosis_pointers,
             ln.charge, ln.service_date)
            for ln in made.lines.order_by("position")
        ],
        "patient": (made.patient.last_name, made.patient.first_name, made.patient.date_of_birth),
        "member_id": made.coverage.member_id,
        "relationship": made.coverage.relationship,
        "payer": made.payer_id,
        "provider_npi": made.rendering_provider.npi,
    }  # fmt: skip


def imported(practice, data: bytes, name: str = "client.837", user=None):
    return claims_import_837(practice=practice, data=data, file_name=name, user=user)


def test_our_own_file_imported_into_another_practice_equals_its_source(
    practice_b, sources, exported, biller_b
):
    result = imported(practice_b, exported, user=biller_b)

    assert len(result.claims) == 3 and not result.not_imported
    made = Claim.objects.filter(practice=practice_b).order_by("source_control_number")
    by_source = {c.source_control_number: c for c in made}
    for source in sources:
        copy = by_source[source.control_number]
        assert as_sent(copy) == as_sent(source)
        assert copy.control_number != source.control_number  # our own CLM01, unique for ever
        assert copy.status == ClaimStatus.READY  # scrubbed clean, as its source was
        assert copy.events.filter(source="scrubber").exists()
        assert copy.encounter.status == EncounterStatus.BILLED
        assert copy.encounter.practice_id == practice_b.pk
        assert "Imported from 837P client.837" in copy.encounter.events.get().note
    summary = result.summary()
    assert summary["patients_created"] == 3 and summary["patients_matched"] == 0
    assert summary["coverages_created"] == 3 and summary["providers_created"] == 3
    assert (summary["held"], summary["ready"]) == (0, 3)
    assert summary["payers_created"] == []  # the payers are shared: known already
    child = by_source[sources[1].control_number].coverage
    assert (child.subscriber_first_name, child.subscriber_date_of_birth) == (
        "Pat",
        datetime.date(1975, 2, 3),
    )
    assert Patient.objects.get(practice=practice_b, first_name="José")
    stored = StoredFile.objects.get(pk=result.stored_file_id)
    assert (stored.kind, stored.direction) == (FileKind.CLAIM_837P, "in")
    assert stored.practice_id == practice_b.pk
    assert {c.source_file_id for c in made} == {stored.pk}
    assert any("billing provider NPI" in w for w in result.warnings)  # practice A's NPI


def test_a_second_import_of_the_file_skips_every_claim(practice_b, exported):
    imported(practice_b, exported)
    counts = (Claim.objects.count(), Patient.objects.count(), Coverage.objects.count())

    again = imported(practice_b, exported)

    assert again.claims == [] and len(again.duplicates_skipped) == 3
    assert (Claim.objects.count(), Patient.objects.count(), Coverage.objects.count()) == counts
    assert again.summary()["patients_matched"] == 0


def test_patients_matched_by_member_id_then_by_name_and_birth_date(practice_b):
    payer = PayerFactory(payer_id="ACME1")
    by_member = CoverageFactory(
        patient__practice=practice_b, patient__last_name="Other", payer=payer,
        member_id="MEM123456", effective_date=datetime.date(2026, 1, 1),
    )  # fmt: skip
    by_name = PatientFactory(
        practice=practice_b, last_name="Roe", first_name="Rita",
        date_of_birth=datetime.date(1990, 7, 7),
    )  # fmt: skip
    ProviderFactory(practice=practice_b, npi=claim().rendering_provider.npi)
    rita = dataclass_replace_subscriber(
        last_name="ROE", first_name="RITA", member_id="NEW999",
        birth_date=datetime.date(1990, 7, 7),
    )  # fmt: skip
    data = write_837p(
        batch(claim(control_number="A1"), claim(control_number="A2", subscriber=rita))
    ).encode()

    result = imported(practice_b, data)

    first, second = (Claim.objects.get(source_control_number=n) for n in ("A1", "A2"))
    assert first.patient == by_member.patient and first.coverage == by_member
    assert second.patient == by_name and second.coverage.member_id == "NEW999"
    assert result.summary()["patients_matched"] == 2
    assert result.summary()["patients_created"] == 0
    assert result.coverages_created == 1 and result.providers_created == []


def dataclass_replace_subscriber(**changes):
    import dataclasses

    from tests.x12.test_claim837 import SUBSCRIBER

    return dataclasses.replace(SUBSCRIBER, **changes)


def test_unknown_payer_and_provider_are_added_and_said(practice_b):
    data = write_837p(batch(claim(control_number="N1"))).encode()

    result = imported(practice_b, data)

    payer = Payer.objects.get(payer_id="ACME1")
    assert payer.name == "ACME HEALTH PLAN" and payer.claim_filing_indicator == "CI"
    assert result.payers_created == ["ACME HEALTH PLAN (ACME1)"]
    assert any("added for every practice" in w for w in result.warnings)
    provider = Provider.objects.get(practice=practice_b)
    assert (provider.last_name, provider.taxonomy) == ("SMITH", "207Q00000X")


def _nothing_written():
    return (
        Claim.objects.count(), Patient.objects.count(), Coverage.objects.count(),
        Encounter.objects.count(), StoredFile.objects.count(), Payer.objects.count(),
        Provider.objects.count(), ClaimEvent.objects.count(),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (lambda text: text[: len(text) // 2], r"line \d+"),
        (lambda text: text.replace("ISA*00", "ISX*00", 1), "ISA"),
        (lambda text: text.replace("GE*1*", "GE*9*", 1), "GE"),
    ],
    ids=["truncated", "bad ISA", "bad group count"],
)
def test_an_unreadable_file_writes_nothing(practice_b, exported, cut, message):
    before = _nothing_written()

    with pytest.raises(X12Error, match=message):
        imported(practice_b, cut(exported.decode()).encode())

    assert _nothing_written() == before


def test_the_command_imports_and_prints_json(practice_b, exported, tmp_path):
    path = tmp_path / "client.837"
    path.write_bytes(exported)
    out = StringIO()

    call_command("import_837", str(path), "--practice", str(practice_b.pk), "--json", stdout=out)

    summary = json.loads(out.getvalue())
    assert summary["claims"] == 3 and summary["file"] == "client.837"
    assert Claim.objects.filter(practice=practice_b).count() == 3


def test_the_command_refuses_an_unknown_practice(db, tmp_path):
    path = tmp_path / "x.837"
    path.write_text(write_837p(batch(claim())))
    with pytest.raises(CommandError, match="No practice with id 999999"):
        call_command("import_837", str(path), "--practice", "999999")


def test_an_unreadable_file_exits_1_naming_segment_and_line(practice_b, exported, tmp_path):
    path = tmp_path / "cut.837"
    path.write_bytes(exported[: len(exported) - 60])
    before = _nothing_written()

    done = subprocess.run(  # noqa: S603 (our own command, our own arguments)
        [sys.executable, "manage.py", "import_837", str(path), "--practice", str(practice_b.pk)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert done.returncode == 1
    assert "line" in done.stderr and "nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert _nothing_written() == before


def test_hostile_names_long_and_unicode(practice_b):
    long_name = "L" * 61  # NM103 holds 60
    unicode = dataclass_replace_subscriber(
        last_name="ÅNGSTRÖM-Ñúñez", first_name="Zoë", member_id="U1"
    )
    too_long = dataclass_replace_subscriber(last_name=long_name, member_id="U2")
    data = write_837p(
        batch(
            claim(control_number="U1", subscriber=unicode),
            claim(control_number="U2", subscriber=too_long, lines=(line("99214"),)),
        )
    ).encode()

    result = imported(practice_b, data)

    assert [c.source_control_number for c in result.claims] == ["U1"]
    assert Patient.objects.get(practice=practice_b).last_name == "ÅNGSTRÖM-Ñúñez"
    [refused] = result.not_imported
    assert "'U2'" in refused and "last name" in refused and "60 characters" in refused
    assert not Patient.objects.filter(last_name=long_name).exists()


def test_a_claim_that_cannot_be_stored_is_left_out_with_its_reason(practice_b):
    data = write_837p(
        batch(
            claim(control_number="OK1"),
            claim(control_number="BAD", frequency="7", payer_claim_number="ICN1"),
        )
    ).encode()

    result = imported(practice_b, data)

    assert [c.source_control_number for c in result.claims] == ["OK1"]
    assert "frequency 7" in result.not_imported[0]


CORPUS_837 = sorted((CORPUS / "837P").glob("*")) if (CORPUS / "837P").is_dir() else []


@pytest.mark.skipif(not CORPUS_837, reason="the shared X12 corpus is not beside the checkout")
@pytest.mark.parametrize("path", [p for p in CORPUS_837 if p.is_file()], ids=lambda p: p.name)
def test_files_from_other_systems_import_or_are_refused_whole(practice_b, path):
    """Every claim is imported or left out with its reason; an unreadable file writes nothing;
    a second import adds nothing."""
    before = _nothing_written()
    try:
        result = imported(practice_b, path.read_bytes(), path.name)
    except X12Error as error:
        assert "line" in str(error) or "no transaction" in str(error)
        assert _nothing_written() == before
        return
    claims = Claim.objects.filter(practice=practice_b)
    assert claims.count() == len(result.claims)
    assert len(result.claims) + len(result.not_imported) + len(result.duplicates_skipped) > 0
    for reason in result.not_imported:
        assert reason.endswith(".") and "was not imported: " in reason
    counts = _nothing_written()

    again = imported(practice_b, path.read_bytes(), path.name)

    assert again.claims == [] and len(again.duplicates_skipped) == len(result.claims)
    assert _nothing_written()[:4] == counts[:4]

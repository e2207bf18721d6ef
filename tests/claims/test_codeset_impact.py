"""A new ICD-10-CM release keeps the old one, and lists open work using codes it dropped."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.urls import reverse

from claims.codeset_impact import codeset_impact
from claims.state import ClaimStatus
from coding.models import Code, CodeSetRelease, CodeSystem
from patients.models import EncounterStatus
from tests.factories import (
    ClaimDiagnosisFactory,
    ClaimFactory,
    EncounterDiagnosisFactory,
    EncounterFactory,
)


def release(version, effective, codes):
    made = CodeSetRelease.objects.create(
        system=CodeSystem.ICD10CM, version=version, effective_date=effective, source="test"
    )
    Code.objects.bulk_create(
        Code(
            release=made,
            system=CodeSystem.ICD10CM,
            code=c,
            compact=c.replace(".", ""),
            description=c,
            billable=True,
        )
        for c in codes
    )
    return made


def test_only_work_on_or_after_the_new_release_with_dropped_codes(
    db, practice_a, practice_b, coder
):
    release("old", datetime.date(2025, 10, 1), ["E11.9", "M54.5"])
    new = release("new", datetime.date(2026, 10, 1), ["E11.9", "M54.50"])
    after = EncounterFactory(
        patient__practice=practice_a, date_of_service=datetime.date(2026, 10, 5)
    )
    EncounterDiagnosisFactory(encounter=after, code="M54.5")  # dropped: now needs M54.50
    EncounterDiagnosisFactory(encounter=after, code="E11.9", position=2)
    before = EncounterFactory(
        patient__practice=practice_a, date_of_service=datetime.date(2026, 9, 5)
    )
    EncounterDiagnosisFactory(encounter=before, code="M54.5")  # the old release covers it
    done = EncounterFactory(
        patient__practice=practice_a,
        date_of_service=datetime.date(2026, 10, 6),
        status=EncounterStatus.BILLED,
    )
    EncounterDiagnosisFactory(encounter=done, code="M54.5")
    claim = ClaimFactory(
        encounter__patient__practice=practice_a,
        status=ClaimStatus.READY,
        service_date_from=datetime.date(2026, 10, 7),
    )
    ClaimDiagnosisFactory(claim=claim, code="M545")
    elsewhere = EncounterFactory(
        patient__practice=practice_b, date_of_service=datetime.date(2026, 10, 5)
    )
    EncounterDiagnosisFactory(encounter=elsewhere, code="M54.5")

    rows = codeset_impact(practice_ids=[practice_a.pk], release=new)

    assert {(r.kind, r.object_id, r.code) for r in rows} == {
        ("encounter", after.pk, "M54.5"),
        ("claim", claim.pk, "M545"),
    }


def test_page_and_command(client, coder, practice_a, capsys):
    release("new", datetime.date(2026, 10, 1), ["E11.9"])
    encounter = EncounterFactory(
        patient__practice=practice_a, date_of_service=datetime.date(2026, 10, 5)
    )
    EncounterDiagnosisFactory(encounter=encounter, code="Z99.99")
    client.force_login(coder)
    assert [r.object_id for r in client.get(reverse("codeset-impact")).context["rows"]] == [
        encounter.pk
    ]
    call_command("codeset_impact")
    assert "1 open item(s)" in capsys.readouterr().out

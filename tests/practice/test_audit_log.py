"""The audit-log page: search the trail by patient name, user, action and dates; export it."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rcm.audit.selectors import chart_views, record_keys_for
from rcm.audit.services import audit_record_view
from rcm.practice.models import Role
from tests.factories import (
    ClaimFactory,
    ClaimLineFactory,
    CoverageFactory,
    MembershipFactory,
    PatientFactory,
    ProcedureLineFactory,
    UserFactory,
)

URL = reverse("audit-log")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def ann(practice_a):
    """A patient of practice A with a coverage, a coded visit and a claim with a line."""
    patient = PatientFactory(practice=practice_a, first_name="Ann", last_name="Quill")
    claim = ClaimFactory(encounter__patient=patient, coverage__patient=patient)
    ProcedureLineFactory(encounter=claim.encounter)
    ClaimLineFactory(claim=claim)
    return patient


def _view(patient, user):
    audit_record_view(
        table_name="patients_patient",
        object_pk=patient.pk,
        practice_id=patient.practice_id,
        actor_id=user.pk,
        detail="chart",
    )


def _shown(response):
    return {(row["event"].table_name, row["event"].object_pk) for row in response.context["rows"]}


def test_the_walk_finds_every_row_of_the_patient(ann):
    claim = ann.claims.get()

    keys = record_keys_for(record=ann)

    assert keys["patients_patient"] == [str(ann.pk)]
    assert keys["patients_encounter"] == [str(claim.encounter_id)]
    assert keys["patients_coverage"] == [str(claim.coverage_id)]
    assert keys["claims_claim"] == [str(claim.pk)]
    assert keys["claims_claimline"] == [str(claim.lines.get().pk)]
    assert keys["coding_procedureline"] == [str(claim.encounter.procedure_lines.get().pk)]


def test_a_name_finds_the_patients_events_and_no_one_elses(admin_client, ann, practice_b):
    other = PatientFactory(practice=ann.practice, first_name="Bo", last_name="Other")
    CoverageFactory(patient=other)
    PatientFactory(
        practice=practice_b, first_name="Ann", last_name="Quill"
    )  # the same name, elsewhere

    response = admin_client.get(URL, {"q": "quill ann"})

    assert response.context["patient"] == ann
    shown = _shown(response)
    claim = ann.claims.get()
    assert {("patients_patient", str(ann.pk)), ("claims_claim", str(claim.pk)),
            ("claims_claimline", str(claim.lines.get().pk)),
            ("patients_coverage", str(claim.coverage_id))} <= shown  # fmt: skip
    assert {table for table, _pk in shown} >= {"patients_encounter", "coding_procedureline"}
    assert ("patients_patient", str(other.pk)) not in shown
    assert not {pk for table, pk in shown if table == "patients_coverage"} - {
        str(claim.coverage_id)
    }
    assert "Everything that touched <strong>Quill, Ann</strong>" in response.content.decode()


def test_two_matches_are_offered_to_pick_from(admin_client, practice_a):
    first = PatientFactory(practice=practice_a, first_name="Jo", last_name="Smith")
    second = PatientFactory(practice=practice_a, first_name="Joan", last_name="Smith")

    response = admin_client.get(URL, {"q": "Smith, Jo"})

    assert {c.pk for c in response.context["candidates"]} == {first.pk, second.pk}
    assert "page_obj" not in response.context
    picked = admin_client.get(URL, {"q": "Smith, Jo", "patient": second.pk})
    assert picked.context["patient"] == second
    assert ("patients_patient", str(first.pk)) not in _shown(picked)


def test_another_practices_patient_cannot_be_picked(admin_client, practice_b):
    theirs = PatientFactory(practice=practice_b, first_name="Zed", last_name="Far")

    by_name = admin_client.get(URL, {"q": "Far"})
    by_id = admin_client.get(URL, {"patient": theirs.pk})

    assert "No patient of the practices you administer has that name." in by_name.content.decode()
    assert "That patient is in none of the practices you administer." in by_id.content.decode()
    assert "page_obj" not in by_id.context


def test_who_viewed_the_chart_in_one_query(admin_client, ann, coder, biller):
    _view(ann, coder)
    _view(ann, biller)
    _view(PatientFactory(practice=ann.practice), coder)

    with CaptureQueriesContext(connection) as queries:
        viewers = [event.actor.username for event in chart_views(patient=ann)]

    assert viewers == ["biller_a", "coder_a"] and len(queries) == 1
    page = admin_client.get(URL, {"patient": ann.pk})
    assert [v.actor.username for v in page.context["views"]] == ["biller_a", "coder_a"]


def test_filters_by_user_action_and_dates(admin_client, ann, coder):
    _view(ann, coder)
    today = datetime.date.today()

    by_user = admin_client.get(URL, {"actor": "CODER_A", "action": "view"})
    future = admin_client.get(URL, {"since": str(today + datetime.timedelta(days=2))})
    bad = admin_client.get(URL, {"since": "yesterday", "until": "2026-13-01"})
    backwards = admin_client.get(URL, {"since": "2026-02-01", "until": "2026-01-01"})

    assert _shown(by_user) == {("patients_patient", str(ann.pk))}
    assert future.context["rows"] == []
    assert "Enter the date as YYYY-MM-DD." in bad.content.decode()
    assert (
        "The &#x27;from&#x27; date is after the &#x27;to&#x27; date." in backwards.content.decode()
    )


def test_hostile_parameters_get_a_page_not_a_500(admin_client, ann):
    for params in ({"patient": "²"}, {"patient": "9" * 40}, {"page": "x"},
                   {"action": "drop"}, {"since": "0001-01-01"}):  # fmt: skip
        assert admin_client.get(URL, params).status_code == 200, params
    # A NUL byte is refused for the whole request, with words, before any view runs.
    refused = admin_client.get(URL, {"q": "a\x00b"})
    assert refused.status_code == 400
    assert b"NUL" in refused.content or b"null" in refused.content.lower()


def test_export_is_the_filtered_trail_as_csv(admin_client, ann, coder):
    _view(ann, coder)
    PatientFactory(practice=ann.practice, first_name="Not", last_name="Her")

    response = admin_client.get(URL, {"q": "Quill", "export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["when", "user", "action", "record", "record id", "patient", "practice",
                       "from address", "via", "changed"]  # fmt: skip
    assert (
        len(rows) - 1 == admin_client.get(URL, {"q": "Quill"}).context["page_obj"].paginator.count
    )
    assert {row[5] for row in rows[1:]} == {"Quill, Ann"}
    assert ["coder_a", "Viewed", "Patient", str(ann.pk)] == rows[1][1:5]
    assert rows[1][6] == "Alpha Family Medicine"


def test_export_refuses_to_run_formulas(admin_client, practice_a):
    sneaky = UserFactory(username="=cmd")
    MembershipFactory(user=sneaky, practice=practice_a, role=Role.FRONT_DESK)
    _view(PatientFactory(practice=practice_a), sneaky)

    response = admin_client.get(URL, {"action": "view", "export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][1] == "'=cmd"


def test_the_page_is_fenced_and_paginated(admin_client, practice_a, practice_b):
    for _ in range(3):
        PatientFactory(practice=practice_b)
    mine = [PatientFactory(practice=practice_a) for _ in range(105)]

    first = admin_client.get(URL, {"action": "insert"})
    second = admin_client.get(URL, {"action": "insert", "page": 2})

    # The 105 charts and the administrator's own membership, and nothing of practice B.
    assert first.context["page_obj"].paginator.count == 106
    assert len(first.context["rows"]) == 100 and len(second.context["rows"]) == 6
    assert "action=insert&amp;page=2" in first.content.decode()
    shown = _shown(first) | _shown(second)
    assert {pk for table, pk in shown if table == "patients_patient"} == {str(p.pk) for p in mine}
    assert {table for table, _pk in shown} == {"patients_patient", "practice_membership"}


def test_a_patient_search_has_a_query_ceiling(
    admin_client, ann, coder, django_assert_max_num_queries
):
    for _ in range(5):
        ClaimLineFactory(claim=ClaimFactory(encounter__patient=ann, coverage__patient=ann))
        _view(ann, coder)

    # Fixed: the shell's, one per audited table the walk reaches, the count and the page.
    # It does not grow with the patient's claims or views. (25: the self-pay charges, issue 10;
    # 26: claim attachments, an audited table the walk reaches from the claims; 28: denials
    # and their write-off requests, issue 11.)
    with django_assert_max_num_queries(28):
        response = admin_client.get(URL, {"q": "Quill"})
    assert response.context["page_obj"].paginator.count > 20


def test_only_administrators_search_the_trail(client, biller, ann):
    client.force_login(biller)
    assert client.get(URL, {"q": "Quill"}).status_code == 403
    assert client.get(URL, {"q": "Quill", "export": "csv"}).status_code == 403


def test_an_administrator_elsewhere_sees_nothing_of_a_practice_they_only_bill_for(
    client, practice_a, practice_b, ann
):
    user = UserFactory(username="mixed")
    MembershipFactory(user=user, practice=practice_a, role=Role.BILLER)
    MembershipFactory(user=user, practice=practice_b, role=Role.ADMINISTRATOR)
    client.force_login(user)

    response = client.get(URL, {"q": "Quill"})

    assert response.context["candidates"] == []
    everything = client.get(URL)
    assert all(row["event"].practice_id == practice_b.pk for row in everything.context["rows"])


def test_the_chart_shows_its_administrators_who_viewed_it(client, administrator, front_desk, ann):
    _view(ann, front_desk)
    chart = reverse("patient-detail", args=[ann.pk])

    client.force_login(administrator)
    page = client.get(chart)
    client.force_login(front_desk)
    desk = client.get(chart)

    # The administrator's own opening is recorded before the list is read.
    assert [v.actor.username for v in page.context["chart_views"]] == ["admin_a", "frontdesk_a"]
    assert 'data-testid="chart-views"' in page.content.decode()
    assert "chart_views" not in desk.context
    assert 'data-testid="chart-views"' not in desk.content.decode()

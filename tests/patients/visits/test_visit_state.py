"""The visit state machine: exactly the allowed moves, each locked and written to the timeline."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from patients.models import Encounter, EncounterEvent
from patients.visits.state import (
    TRANSITIONS,
    EncounterStatus,
    InvalidVisitTransition,
    encounter_transition,
)
from tests.factories import EncounterFactory

S = EncounterStatus

# Written out by hand, not derived from TRANSITIONS, so that a change to the table shows here.
ALLOWED = {
    (S.SCHEDULED, S.AWAITING_CODING),
    (S.SCHEDULED, S.CANCELLED),
    (S.AWAITING_CODING, S.CODING_IN_PROGRESS),
    (S.AWAITING_CODING, S.CODED),
    (S.AWAITING_CODING, S.CANCELLED),
    (S.CODING_IN_PROGRESS, S.CODED),
    (S.CODING_IN_PROGRESS, S.CANCELLED),
    (S.CODED, S.CODING_IN_PROGRESS),  # saving the codes again reopens the coding
    (S.CODED, S.BILLED),
    (S.CODED, S.CANCELLED),
}
ALL_PAIRS = list(itertools.product(S.values, S.values))
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in ALLOWED]


def test_the_table_is_the_matrix():
    table = {(src, dst) for src, moves in TRANSITIONS.items() for dst in moves}
    assert table == ALLOWED
    assert set(TRANSITIONS) == set(S.values)


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_an_allowed_move_changes_status_and_writes_one_event(
    db, front_desk, from_status, to_status
):
    encounter = EncounterFactory(status=from_status)

    moved = encounter_transition(
        encounter=encounter, to=to_status, user=front_desk, source="test", note="why"
    )

    encounter.refresh_from_db()
    assert encounter.status == moved.status == to_status
    event = encounter.events.get()
    assert (event.from_status, event.to_status, event.user, event.source, event.note) == (
        from_status,
        to_status,
        front_desk,
        "test",
        "why",
    )


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_a_forbidden_move_changes_nothing(db, front_desk, from_status, to_status):
    encounter = EncounterFactory(status=from_status)
    updated_at = encounter.updated_at

    with pytest.raises(InvalidVisitTransition) as refused:
        encounter_transition(encounter=encounter, to=to_status, user=front_desk)

    assert isinstance(refused.value, ValidationError)  # forms and the API show it as such
    encounter.refresh_from_db()
    assert (encounter.status, encounter.updated_at) == (from_status, updated_at)
    assert not EncounterEvent.objects.exists()


def test_other_fields_of_the_move_are_saved_with_it(db, front_desk):
    encounter = EncounterFactory(status=S.SCHEDULED, clinical_note="")

    encounter_transition(
        encounter=encounter, to=S.AWAITING_CODING, user=front_desk,
        fields={"clinical_note": "Seen today."},
    )  # fmt: skip

    assert encounter.clinical_note == "Seen today."
    encounter.refresh_from_db()
    assert (encounter.status, encounter.clinical_note) == (S.AWAITING_CODING, "Seen today.")


def test_the_refusal_says_where_the_visit_stands(db, front_desk):
    encounter = EncounterFactory(status=S.BILLED)
    refusal = "This encounter is billed; it cannot be cancelled."
    with pytest.raises(InvalidVisitTransition, match=refusal):
        encounter_transition(encounter=encounter, to=S.CANCELLED, user=front_desk)


def test_the_timeline_reads_in_order(db, front_desk, coder):
    encounter = EncounterFactory(status=S.SCHEDULED)
    encounter_transition(encounter=encounter, to=S.AWAITING_CODING, user=front_desk)
    encounter_transition(encounter=encounter, to=S.CODING_IN_PROGRESS, user=coder)
    encounter_transition(encounter=encounter, to=S.CODED, user=coder)

    steps = list(encounter.events.values_list("from_status", "to_status", "user__username"))
    assert steps == [
        (S.SCHEDULED, S.AWAITING_CODING, front_desk.username),
        (S.AWAITING_CODING, S.CODING_IN_PROGRESS, coder.username),
        (S.CODING_IN_PROGRESS, S.CODED, coder.username),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_racing_on_one_visit_move_it_once():
    encounter = EncounterFactory(status=S.SCHEDULED)
    outcomes: list[str] = []

    def send_to_coding() -> None:
        try:
            encounter_transition(
                encounter=Encounter.objects.get(pk=encounter.pk), to=S.AWAITING_CODING, user=None
            )
            outcomes.append("moved")
        except InvalidVisitTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send_to_coding) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["moved", "refused", "refused", "refused"]
    assert encounter.events.filter(to_status=S.AWAITING_CODING).count() == 1

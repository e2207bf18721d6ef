"""The coder's worklist: only waiting encounters of one's practices, filters, assignment, next."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from coding.worklist.selectors import WorklistFilter, worklist_encounters
from coding.worklist.services import encounter_assign, encounter_next_for
from patients.models import EncounterStatus
from rcm.practice.models import Role
from tests.factories import (
    CoverageFactory,
    EncounterFactory,
    MembershipFactory,
    PayerFactory,
    UserFactory,
)


def waiting(practice, **kwargs):
    return EncounterFactory(patient__practice=practice, **kwargs)


def test_only_waiting_encounters_of_my_practices(coder, practice_a, practice_b):
    mine = waiting(practice_a)
    waiting(practice_a, status=EncounterStatus.CODED)
    waiting(practice_a, status=EncounterStatus.SCHEDULED)
    waiting(practice_b)
    found = list(worklist_encounters(user=coder, filters=WorklistFilter()))
    assert found == [mine]


def test_filters_by_provider_date_and_payer(coder, practice_a):
    early = waiting(practice_a, date_of_service=datetime.date(2026, 9, 1))
    late = waiting(practice_a, date_of_service=datetime.date(2026, 10, 15))
    payer = PayerFactory(name="Filter Health")
    CoverageFactory(patient=late.patient, payer=payer, effective_date=datetime.date(2026, 1, 1))

    by_date = WorklistFilter(date_from=datetime.date(2026, 10, 1))
    assert list(worklist_encounters(user=coder, filters=by_date)) == [late]
    by_provider = WorklistFilter(provider_id=early.rendering_provider_id)
    assert list(worklist_encounters(user=coder, filters=by_provider)) == [early]
    by_payer = WorklistFilter(payer_id=payer.pk)
    assert list(worklist_encounters(user=coder, filters=by_payer)) == [late]


def test_next_gives_mine_first_then_the_oldest_unassigned(coder, practice_a):
    oldest = waiting(practice_a, date_of_service=datetime.date(2026, 8, 1))
    mine = waiting(practice_a, date_of_service=datetime.date(2026, 10, 1), assigned_coder=coder)
    assert encounter_next_for(coder=coder) == mine
    mine.status = EncounterStatus.CODED
    mine.save(update_fields=["status"])
    taken = encounter_next_for(coder=coder)
    assert taken == oldest
    taken.refresh_from_db()
    assert taken.assigned_coder == coder


@pytest.mark.django_db(transaction=True)
def test_two_coders_pressing_next_at_once_get_different_encounters(practice_a):
    coders = []
    for name in ("ann", "bob"):
        user = UserFactory(username=f"coder_{name}")
        MembershipFactory(user=user, practice=practice_a, role=Role.CODER)
        coders.append(user)
    first, second = waiting(practice_a), waiting(practice_a)
    got: list[int] = []

    def press(user):
        try:
            encounter = encounter_next_for(coder=user)
            got.append(encounter.pk if encounter else 0)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(user,)) for user in coders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == sorted([first.pk, second.pk])


def test_coders_take_for_themselves_and_administrators_assign(coder, administrator, practice_a):
    encounter = waiting(practice_a)
    other = UserFactory(username="other_coder")
    MembershipFactory(user=other, practice=practice_a, role=Role.CODER)

    with pytest.raises(
        PermissionDenied, match="Only an administrator assigns encounters to someone else"
    ):
        encounter_assign(encounter=encounter, coder=other, by=coder)
    encounter_assign(encounter=encounter, coder=coder, by=coder)
    encounter_assign(encounter=encounter, coder=other, by=administrator)
    encounter.refresh_from_db()
    assert encounter.assigned_coder == other


def test_worklist_page_counts_and_next_button(client, coder, practice_a, practice_b):
    waiting(practice_a)
    waiting(practice_b)
    client.force_login(coder)
    page = client.get(reverse("coding-worklist"))
    assert page.context["counts"]["waiting"] == 1
    assert page.context["page_obj"].paginator.count == 1
    response = client.post(reverse("coding-next"))
    assert response.status_code == 302 and "/coding/encounters/" in response.url


def test_other_practices_encounters_are_not_found(client, coder, practice_b):
    other = waiting(practice_b)
    client.force_login(coder)
    assert client.get(reverse("coding-encounter", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("coding-assign", args=[other.pk]), {"coder": "me"}).status_code == 404
    )
    other.refresh_from_db()
    assert other.assigned_coder is None


def test_worklist_page_queries_do_not_grow_with_rows(
    client, coder, practice_a, django_assert_max_num_queries
):
    client.force_login(coder)
    waiting(practice_a)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("coding-worklist"))
    for _ in range(15):
        waiting(practice_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("coding-worklist"))

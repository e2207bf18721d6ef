"""Next claim: each biller gets a different claim, even when twenty press it at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, EventKind
from claims.queues import QUEUES, claim_queue_page
from claims.state import ClaimStatus
from claims.work import claim_next
from rcm.practice.models import Role
from tests.factories import ClaimFactory, MembershipFactory, UserFactory

BILLERS = 20


def _next_for(user):
    page = claim_queue_page(user=user, queue=QUEUES["denied"], now=timezone.now())
    return claim_next(queue=page.claims, user=user)


def test_next_claim_takes_the_oldest_unassigned_and_assigns_it(biller, practice_a):
    first, second = (
        ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.DENIED)
        for _ in range(2)
    )
    ClaimFactory(
        encounter__patient__practice=practice_a, status=ClaimStatus.DENIED, on_hold=True,
        hold_reason="Appeal drafted",
    )  # fmt: skip

    taken = [_next_for(biller), _next_for(biller), _next_for(biller)]

    assert [c.pk if c else None for c in taken] == [first.pk, second.pk, None]
    first.refresh_from_db()
    assert first.assignee == biller
    assert first.events.get(kind=EventKind.ASSIGNMENT).user == biller


def test_next_claim_page_redirects_to_the_claim_in_fixed_queries(
    client, biller, practice_a, django_assert_num_queries
):
    for _ in range(30):
        ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.DENIED)
    client.force_login(biller)
    client.get(reverse("home-biller"))

    with django_assert_num_queries(10) as first:
        response = client.post(reverse("claim-next", args=["denied"]))
    with django_assert_num_queries(len(first.captured_queries)):
        client.post(reverse("claim-next", args=["denied"]))

    taken = Claim.objects.get(assignee=biller, pk=int(response["Location"].split("/")[2]))
    assert response["Location"] == reverse("claim-detail", args=[taken.pk])


@pytest.mark.django_db(transaction=True)
def test_twenty_billers_pressing_at_once_never_get_the_same_claim(practice_a):
    billers = []
    for index in range(BILLERS):
        user = UserFactory(username=f"racing_biller_{index}")
        MembershipFactory(user=user, practice=practice_a, role=Role.BILLER)
        billers.append(user)
    for _ in range(BILLERS + 5):
        ClaimFactory(encounter__patient__practice=practice_a, status=ClaimStatus.DENIED)
    connection.close()  # each thread opens its own connection: a real race on PostgreSQL
    start = threading.Barrier(BILLERS)
    got: dict[int, int | None] = {}
    errors: list[BaseException] = []

    def press(user):
        try:
            start.wait(timeout=30)
            claim = _next_for(user)
            got[user.pk] = claim.pk if claim else None
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(user,)) for user in billers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    taken = [pk for pk in got.values() if pk is not None]
    assert len(taken) == BILLERS, got  # everyone got one: skip_locked skips, never waits empty
    assert len(set(taken)) == BILLERS  # and no two the same
    owners = dict(Claim.objects.filter(pk__in=taken).values_list("pk", "assignee_id"))
    assert {owners[pk] for pk in taken} == {user.pk for user in billers}
    assert all(owners[claim_pk] == user_pk for user_pk, claim_pk in got.items() if claim_pk)

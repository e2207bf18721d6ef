"""The biller's queues: which claims each holds, filters, search, sorts, pages, bulk actions,
saved worklists, and a fixed number of queries whatever the number of claims."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimEvent, EventKind, SavedWorklist
from claims.queues import QUEUES, ClaimCriteria, claim_queue_counts, claim_queue_page
from claims.state import ClaimStatus
from rcm.practice.models import Role
from tests.factories import ClaimFactory, MembershipFactory, PayerFactory, UserFactory

S = ClaimStatus


def claim(practice, status=S.READY, *, days_in_status=0, **kwargs):
    found = ClaimFactory(encounter__patient__practice=practice, status=status, **kwargs)
    if days_in_status:
        since = timezone.now() - datetime.timedelta(days=days_in_status)
        Claim.objects.filter(pk=found.pk).update(status_changed_at=since)
        found.refresh_from_db()
    return found


def keys(biller, queue, criteria=None, sort="oldest"):
    page = claim_queue_page(
        user=biller, queue=QUEUES[queue], criteria=criteria, sort=sort, now=timezone.now()
    )
    return [c.control_number for c in page.claims]


def test_each_queue_holds_its_claims(biller, practice_a):
    payer = PayerFactory(turnaround_days=10)
    ready = claim(practice_a, S.READY)
    held = claim(practice_a, S.READY, on_hold=True, hold_reason="Records")
    draft = claim(practice_a, S.DRAFT)
    rejected = claim(practice_a, S.REJECTED)
    fresh = claim(practice_a, S.ACCEPTED, days_in_status=5, coverage__payer=payer)
    late = claim(practice_a, S.ACCEPTED, days_in_status=11, coverage__payer=payer)
    stale = claim(practice_a, S.PENDING, days_in_status=25, coverage__payer=payer)
    denied = claim(practice_a, S.DENIED)
    partial = claim(practice_a, S.PARTIALLY_PAID)

    assert keys(biller, "ready") == [ready.control_number]
    assert keys(biller, "holds") == [draft.control_number]
    assert keys(biller, "rejected") == [rejected.control_number]
    assert keys(biller, "waiting") == [stale.control_number, late.control_number]
    assert fresh.control_number not in keys(biller, "waiting")
    assert keys(biller, "investigate") == [stale.control_number]  # 2 x 10 days, no activity
    assert keys(biller, "denied") == [denied.control_number]
    assert keys(biller, "partial") == [partial.control_number]
    assert keys(biller, "on-hold") == [held.control_number]


def test_biller_work_is_activity_for_needs_investigation(biller, practice_a):
    stale = claim(practice_a, S.PENDING, days_in_status=40)
    assert keys(biller, "investigate") == [stale.control_number]

    Claim.objects.filter(pk=stale.pk).update(worked_at=timezone.now())

    assert keys(biller, "investigate") == []


def test_my_follow_ups_are_mine_and_due(biller, practice_a):
    other = UserFactory(username="biller_other")
    MembershipFactory(user=other, practice=practice_a, role=Role.BILLER)
    today = timezone.localdate()
    due = claim(practice_a, S.DENIED, assignee=biller, follow_up_on=today)
    claim(practice_a, S.DENIED, assignee=biller, follow_up_on=today + datetime.timedelta(days=1))
    claim(practice_a, S.DENIED, assignee=other, follow_up_on=today)

    assert keys(biller, "follow-ups") == [due.control_number]


def test_claims_near_the_timely_filing_limit_are_flagged_15_days_ahead(biller, practice_a):
    payer = PayerFactory(timely_filing_days=90)
    today = timezone.localdate()

    def on(days_ago, status=S.DRAFT):
        return claim(
            practice_a, status, coverage__payer=payer,
            encounter__date_of_service=today - datetime.timedelta(days=days_ago),
        )  # fmt: skip

    near = on(76)  # 14 days left
    on(70)  # 20 days left
    on(80, S.ACCEPTED)  # the payer has it: not at risk

    assert keys(biller, "timely") == [near.control_number]
    # The same flag as a filter of any queue (and of a saved worklist).
    assert keys(biller, "holds", ClaimCriteria(near_filing_limit=True)) == [near.control_number]


def test_filters_search_and_sorts(biller, practice_a):
    today = timezone.localdate()
    small = claim(practice_a, total_charge=Decimal("50.00"),
                  encounter__patient__last_name="Zimmer",
                  encounter__date_of_service=today - datetime.timedelta(days=10))  # fmt: skip
    large = claim(practice_a, total_charge=Decimal("900.00"),
                  encounter__patient__last_name="Abbott", encounter__patient__first_name="Ann",
                  encounter__date_of_service=today - datetime.timedelta(days=45))  # fmt: skip

    assert keys(biller, "ready", ClaimCriteria(amount_min=Decimal("100"))) == [large.control_number]
    assert keys(biller, "ready", ClaimCriteria(age="31-60")) == [large.control_number]
    assert keys(biller, "ready", ClaimCriteria(search="zim")) == [small.control_number]
    assert keys(biller, "ready", ClaimCriteria(search="Abbott, An")) == [large.control_number]
    assert keys(biller, "ready", ClaimCriteria(search=small.control_number.lower())) == [
        small.control_number
    ]
    member = large.coverage.member_id
    assert keys(biller, "ready", ClaimCriteria(search=member)) == [large.control_number]
    assert keys(biller, "ready", ClaimCriteria(search="ann abbott")) == [large.control_number]
    Claim.objects.filter(pk=small.pk).update(payer_claim_number="ICN-2026-77")
    assert keys(biller, "ready", ClaimCriteria(search="icn-2026-77")) == [small.control_number]
    assert keys(biller, "ready", ClaimCriteria(search="nobody")) == []
    assert keys(biller, "ready", sort="amount") == [large.control_number, small.control_number]
    assert keys(biller, "ready", sort="patient") == [large.control_number, small.control_number]
    assert keys(biller, "ready", sort="age") == [large.control_number, small.control_number]
    assert keys(biller, "ready", ClaimCriteria(assignee="none")) == keys(biller, "ready")
    assert keys(biller, "ready", ClaimCriteria(assignee="me")) == []


def test_the_reason_filter_reads_the_timeline(biller, practice_a):
    rejected = claim(practice_a, S.REJECTED)
    claim(practice_a, S.REJECTED)
    ClaimEvent.objects.create(
        claim=rejected, from_status=S.SUBMITTED, to_status=S.REJECTED, source="277CA",
        note="A7:562 Entity's National Provider Identifier (NPI)",
    )  # fmt: skip

    assert keys(biller, "rejected", ClaimCriteria(reason="provider identifier")) == [
        rejected.control_number
    ]


def test_counts_and_charges_of_every_queue(biller, practice_a, practice_b):
    claim(practice_a, S.READY, total_charge=Decimal("100.00"))
    claim(practice_a, S.READY, total_charge=Decimal("25.50"))
    claim(practice_a, S.DENIED, total_charge=Decimal("70.00"))
    claim(practice_b, S.READY, total_charge=Decimal("999.00"))  # not mine

    counts = claim_queue_counts(user=biller, now=timezone.now())

    assert (counts["ready"].count, counts["ready"].charges) == (2, Decimal("125.50"))
    assert (counts["denied"].count, counts["denied"].charges) == (1, Decimal("70.00"))
    assert counts["waiting"].count == 0


def test_a_search_stays_in_the_users_practices(biller, practice_a, practice_b):
    mine = claim(practice_a, encounter__patient__last_name="Quill")
    theirs = claim(practice_b, encounter__patient__last_name="Quill")

    assert keys(biller, "all", ClaimCriteria(search="quill")) == [mine.control_number]
    assert keys(biller, "all", ClaimCriteria(search=theirs.control_number)) == []
    assert keys(biller, "all", ClaimCriteria(search=theirs.coverage.member_id)) == []


def test_the_tallied_totals_equal_a_count_of_the_claims(biller, practice_a, practice_b):
    for status in (S.READY, S.DRAFT, S.DENIED, S.REJECTED, S.PARTIALLY_PAID, S.PAID):
        claim(practice_a, status, total_charge=Decimal("10.25"))
        claim(practice_b, status)  # not mine
    held = claim(practice_a, S.READY, total_charge=Decimal("99.00"))
    Claim.objects.filter(pk=held.pk).update(on_hold=True, hold_reason="Chart")
    now = timezone.now()
    for key, queue in QUEUES.items():
        some_payer = Claim.objects.filter(practice=practice_a).first().payer_id
        for criteria in (
            None,
            ClaimCriteria(statuses=[S.READY, S.DENIED]),
            ClaimCriteria(payer=some_payer),
        ):
            page = claim_queue_page(user=biller, queue=queue, criteria=criteria, now=now)
            counted = page._counted()
            assert (page.totals.count, page.totals.charges) == (
                counted.count,
                counted.charges,
            ), key
    counts = claim_queue_counts(user=biller, now=now)
    assert (counts["ready"].count, counts["on-hold"].count, counts["all"].count) == (1, 1, 7)
    assert counts["all"].charges == Decimal("160.50")


def _page(client, queue="ready", **params):
    return client.get(reverse("claim-queue", args=[queue]), params)


def test_a_queue_page_costs_the_same_queries_for_5_or_60_claims(
    client, biller, practice_a, django_assert_num_queries
):
    for _ in range(5):
        claim(practice_a, S.READY)
    client.force_login(biller)
    _page(client)  # warm the session
    with django_assert_num_queries(10) as small:  # the page's ids, then their rows
        _page(client, sort="amount")
    for _ in range(55):
        claim(practice_a, S.READY, assignee=biller)
    with django_assert_num_queries(len(small.captured_queries)):
        response = _page(client, sort="amount")

    assert response.context["totals"].count == 60
    assert len(response.context["page_obj"].object_list) == 50
    assert response.context["page_obj"].paginator.num_pages == 2


def test_the_biller_home_costs_the_same_queries_for_any_number_of_claims(
    client, biller, practice_a, django_assert_num_queries
):
    client.force_login(biller)
    client.get(reverse("home-biller"))
    today = timezone.localdate()
    statuses = (S.READY, S.DENIED, S.REJECTED, S.ACCEPTED, S.DRAFT)

    def more(count: int) -> None:
        for status in statuses:
            for _ in range(count):
                claim(practice_a, status, days_in_status=60, assignee=biller, follow_up_on=today)

    more(1)  # every list on the page has a row: each reads its ids, then their rows
    with django_assert_num_queries(23) as few:
        client.get(reverse("home-biller"))
    more(11)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("home-biller"))

    assert len(response.context["follow_ups"]) == 10
    assert b'data-testid="my-follow-ups"' in response.content
    assert response.context["queues"]["waiting"].count == 12


def test_a_practice_column_for_a_user_of_several_practices(client, practice_a, practice_b):
    agency = UserFactory(username="agency")
    MembershipFactory(user=agency, practice=practice_a, role=Role.BILLER)
    client.force_login(agency)
    claim(practice_a)
    assert b"<th>Practice</th>" not in _page(client).content

    MembershipFactory(user=agency, practice=practice_b, role=Role.BILLER)
    claim(practice_b)
    response = _page(client)

    assert b"<th>Practice</th>" in response.content
    assert practice_b.name.encode() in response.content
    assert response.context["totals"].count == 2


def test_htmx_asks_for_the_table_alone(client, biller, practice_a):
    claim(practice_a)
    client.force_login(biller)

    response = client.get(
        reverse("claim-queue", args=["ready"]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-table"
    )

    assert response.content.strip().startswith(b'<div id="queue-table">')


@pytest.mark.parametrize(
    "params",
    [{"amount_min": "1e400"}, {"service_from": "99/99/9999"}, {"payer": "١٢٣"},
     {"assignee": "x;"}, {"age": "9999"}, {"q": "A" * 500}, {"practice": "9" * 30},
     {"service_to": "0001-01-01"}],
)  # fmt: skip
def test_hostile_filters_are_a_400_with_the_reason(client, biller, params):
    client.force_login(biller)

    response = _page(client, **params)

    assert response.status_code == 400
    assert b'data-testid="filter-errors"' in response.content


def _bulk(client, action, ids, **extra):
    return client.post(
        reverse("claim-queue-bulk", args=["ready"]), {"action": action, "claim": ids, **extra}
    )


def test_bulk_actions_from_the_queue(client, biller, practice_a):
    claims = [claim(practice_a) for _ in range(3)]
    ids = [str(c.pk) for c in claims]
    client.force_login(biller)
    day = timezone.localdate() + datetime.timedelta(days=3)

    assert _bulk(client, "assign", ids, assignee=str(biller.pk)).status_code == 302
    assert _bulk(client, "follow_up", ids, date=day.isoformat()).status_code == 302
    assert _bulk(client, "hold", ids[:1], reason="Check auth").status_code == 302
    assert _bulk(client, "submit", ids).status_code == 302

    rows = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert rows == {claims[0].pk: S.READY, claims[1].pk: S.QUEUED, claims[2].pk: S.QUEUED}
    assert set(Claim.objects.filter(pk__in=ids).values_list("assignee", "follow_up_on")) == {
        (biller.pk, day)
    }


def test_a_refused_bulk_action_is_a_400_and_changes_nothing(client, biller, practice_a, practice_b):
    mine, theirs = claim(practice_a), claim(practice_b)
    client.force_login(biller)
    before = ClaimEvent.objects.count()

    for response in (
        _bulk(client, "hold", [str(mine.pk), str(theirs.pk)], reason="x"),
        _bulk(client, "hold", [str(mine.pk)], reason=""),
        _bulk(client, "note", [str(mine.pk)], note="x\x00"),
        _bulk(client, "follow_up", [str(mine.pk)], date="2026-02-30"),
        _bulk(client, "assign", ["²"]),
        _bulk(client, "explode", [str(mine.pk)]),
    ):
        assert response.status_code == 400
        assert response.content.startswith((b"Nothing was changed.", b"The request contains a NUL"))
    assert ClaimEvent.objects.count() == before


def test_saved_worklists_are_shared_with_the_practice(client, biller, practice_a):
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, practice=practice_a, role=Role.BILLER)
    big = claim(practice_a, S.DENIED, total_charge=Decimal("800.00"))
    claim(practice_a, S.DENIED, total_charge=Decimal("80.00"))
    client.force_login(biller)

    response = client.post(
        reverse("claim-worklists"),
        {"name": "Big denials", "worklist_practice": practice_a.pk, "status": ["denied"],
         "amount_min": "500"},
    )  # fmt: skip
    assert response.status_code == 302
    worklist = SavedWorklist.objects.get()
    assert worklist.criteria == {"status": ["denied"], "amount_min": "500"}

    client.force_login(colleague)
    opened = client.get(reverse("claim-worklist", args=[worklist.pk]), follow=True)
    assert [c.pk for c in opened.context["page_obj"].object_list] == [big.pk]
    assert b"Worklist: Big denials" in opened.content

    edit = client.post(
        reverse("claim-worklist-edit", args=[worklist.pk]),
        {"name": "Denials over 50", "worklist_practice": practice_a.pk, "status": ["denied"],
         "amount_min": "50"},
    )  # fmt: skip
    assert edit.status_code == 302
    worklist.refresh_from_db()
    assert worklist.name == "Denials over 50"

    assert client.post(reverse("claim-worklist-delete", args=[worklist.pk])).status_code == 302
    assert not SavedWorklist.objects.exists()


def test_a_worklist_of_another_practice_is_not_found(client, biller_b, practice_a):
    worklist = SavedWorklist.objects.create(practice=practice_a, name="Mine", criteria={})
    client.force_login(biller_b)

    assert client.get(reverse("claim-worklist", args=[worklist.pk])).status_code == 404
    assert client.post(reverse("claim-worklist-delete", args=[worklist.pk])).status_code == 404
    assert SavedWorklist.objects.exists()


def test_a_worklist_refuses_bad_criteria_and_a_practice_not_mine(
    client, biller, practice_a, practice_b
):
    client.force_login(biller)

    bad = client.post(
        reverse("claim-worklists"),
        {"name": "x", "worklist_practice": practice_a.pk, "amount_min": "NaN"},
    )
    elsewhere = client.post(
        reverse("claim-worklists"), {"name": "x", "worklist_practice": practice_b.pk}
    )
    nul = client.post(reverse("claim-worklists"), {"name": "a\x00", "worklist_practice": "1"})

    assert (bad.status_code, elsewhere.status_code) == (400, 400)
    assert b"You do not bill for that practice." in elsewhere.content
    assert nul.status_code == 400
    assert not SavedWorklist.objects.exists()


def test_each_event_kind_is_counted_once_per_bulk_note(biller, practice_a):
    claims = [claim(practice_a) for _ in range(2)]
    from claims.work import claims_note_add

    claims_note_add(claim_ids=[c.pk for c in claims], text="Called payer", user=biller)

    assert ClaimEvent.objects.filter(kind=EventKind.NOTE).count() == 2


def test_an_agency_page_read_range_by_range_equals_the_whole_queue_sorted(practice_a, practice_b):
    agency = UserFactory(username="agency-pages")
    for practice in (practice_a, practice_b):
        MembershipFactory(user=agency, practice=practice, role=Role.BILLER)
    today = timezone.localdate()
    # Two payers of one name: the payer order breaks their tie by the claim's id.
    payers = [PayerFactory(name=name) for name in ("Zenith Health", "Acme Mutual", "Acme Mutual")]
    for n in range(30):
        practice = practice_a if n % 3 else practice_b
        status = (S.READY, S.DENIED, S.SUBMITTED, S.PAID, S.ACCEPTED)[n % 5]
        claim(
            practice, status, days_in_status=(n * 7) % 50 + 20,
            total_charge=Decimal(100 + (n * 37) % 90),
            encounter__date_of_service=today - datetime.timedelta(days=(n * 11) % 300),
            coverage__payer=payers[n % 3 if n % 4 else 0],
        )  # fmt: skip
    now = timezone.now()
    for queue in ("all", "waiting", "denied"):
        for sort in ("oldest", "age", "amount", "payer"):
            page = claim_queue_page(user=agency, queue=QUEUES[queue], sort=sort, now=now)
            # Range by range, but for every claim oldest first (claim_changed_idx serves it).
            assert (page._arms() is None) == (queue == "all" and sort == "oldest")
            whole = [c.pk for c in page.claims]
            assert whole, (queue, sort)
            for start, stop in ((0, 7), (7, 14), (20, 50)):
                assert [c.pk for c in page.slice(start, stop)] == whole[start:stop], (queue, sort)


def test_next_claim_for_an_agency_takes_the_oldest_free_claim_of_both_practices(
    practice_a, practice_b
):
    from claims.work import claim_next

    agency = UserFactory(username="agency-next")
    for practice in (practice_a, practice_b):
        MembershipFactory(user=agency, practice=practice, role=Role.BILLER)
    claim(practice_a, S.DENIED, days_in_status=10)
    oldest = claim(practice_b, S.DENIED, days_in_status=40)
    claim(practice_a, S.DENIED, days_in_status=60, assignee=agency)  # taken already
    page = claim_queue_page(user=agency, queue=QUEUES["denied"], now=timezone.now())

    taken = claim_next(queue=page.next_candidates(25), fallback=page.claims, user=agency)

    assert taken is not None and taken.pk == oldest.pk


def test_the_queue_rows_money_and_age_read_as_a_biller_expects():
    from claims.templatetags.claim_tags import money, since

    now = timezone.now()
    assert money(Decimal("1234.5")) == "1,234.50" and money(Decimal("0")) == "0.00"
    assert money(None) == ""
    days = datetime.timedelta(days=1)
    assert since(now) == "today"
    assert since(now - 10 * days) == "1\xa0week, 3\xa0days"
    assert since(now - 400 * days) == "1\xa0year, 1\xa0month"
    assert since(now - 370 * days) == "1\xa0year"  # not "1 year, 5 days"
    assert since(None) == ""


def test_the_partial_indexes_name_the_queues_status_sets():
    from claims.queues import NOT_YET_ACCEPTED, WITH_PAYER

    indexes = {index.name: index for index in Claim._meta.indexes}
    for name, statuses in (
        ("claim_with_payer_idx", WITH_PAYER),
        ("claim_unaccepted_idx", NOT_YET_ACCEPTED),
    ):
        condition = indexes[name].condition
        assert condition is not None and set(dict(condition.children)["status__in"]) == set(
            statuses
        ), name

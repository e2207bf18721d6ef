"""The denial work queue: denials made from posted 835s, outcomes read back, the queue page and
its actions (assign, resolve, write off with approval above the practice's limit)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import ClaimEvent
from claims.state import ClaimStatus
from denials.denial_records import denials_backfill
from denials.inbox import era_post
from denials.models import Denial, DenialOutcome, DenialStatus, DenialWriteOff, WriteOffStatus
from rcm.practice.models import Role
from tests.denials.fixtures import interchange, northwind_bytes, northwind_claims
from tests.factories import ClaimFactory, ClaimLineFactory, MembershipFactory, PayerFactory

D = Decimal
DENIED_ON = datetime.date(2026, 11, 27)


@pytest.fixture
def northwind(db):
    return PayerFactory(payer_id="NWH01", name="NORTHWIND HEALTH", appeal_days=90)


@pytest.fixture
def claims(practice_a, northwind):
    return northwind_claims(practice=practice_a, payer=northwind)


@pytest.fixture
def posted(claims):
    era_post(content=northwind_bytes(), name="northwind.835")
    return claims


def payment_835(*, trace: str, clp: str, lines: list[str] = (), total: str) -> bytes:
    """One payment from Northwind of one claim (`clp` is the CLP segment)."""
    return interchange(
        [
            f"BPR*I*{total}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765"
            "*20261215",
            f"TRN*1*{trace}*1512345678",
            "N1*PR*NORTHWIND HEALTH*XV*NWH01",
            "N1*PE*ALPHA FAMILY MEDICINE*XX*1999999999",
            "LX*1",
            clp,
            *lines,
        ],
        control="000000302",
    )


# --- denials made from a posted 835 --------------------------------------------------------------


def test_a_denied_claim_and_a_denied_line_become_denials_with_their_category(posted):
    denials = {
        (d.claim.control_number, d.claim_line.control_number if d.claim_line else None): d
        for d in Denial.objects.select_related("claim", "claim_line")
    }
    assert set(denials) == {("CLM7783", None), ("CLM7782", "CLM7782-2")}

    claim_level = denials[("CLM7783", None)]
    assert (claim_level.group, claim_level.carc, claim_level.rarcs) == ("CO", "50", ["N362"])
    assert (claim_level.category, claim_level.amount) == ("medical_necessity", D("150.00"))
    assert claim_level.line_payment is None
    assert claim_level.denied_on == DENIED_ON
    assert claim_level.due_on == DENIED_ON + datetime.timedelta(days=90)  # the payer's window
    assert (claim_level.status, claim_level.outcome) == (DenialStatus.OPEN, DenialOutcome.NONE)

    line_level = denials[("CLM7782", "CLM7782-2")]
    assert (line_level.group, line_level.carc, line_level.category) == ("CO", "97", "coding")
    assert line_level.amount == D("50.00")
    assert line_level.line_payment.procedure_code == "85025"
    assert line_level.claim_payment.status_code == "1"


def test_paid_lines_contractual_write_downs_and_patient_share_are_not_denials(posted):
    # CLM7781 (CO-45 on a paid line), CLM7782 line 1 (paid, PR-2), CLM7784 (a reversal).
    assert not Denial.objects.filter(
        claim__control_number__in=["CLM7781", "CLM7784", "CLM7785"]
    ).exists()


def test_posting_the_same_835_twice_makes_no_second_denial(posted):
    result = era_post(content=northwind_bytes(), name="northwind-again.835")

    assert result.duplicate or result.remittances_skipped == ["T48213"]
    assert Denial.objects.count() == 2


def test_a_later_835_denying_the_claim_again_adds_no_denial(posted):
    again = payment_835(
        trace="T50001",
        clp="CLP*CLM7783*4*150*0*0*12*2026331000125*11*1",
        lines=["CAS*CO*50*150"],
        total="0",
    )
    era_post(content=again, name="again.835")

    assert Denial.objects.filter(claim=posted["CLM7783"]).count() == 1


def test_a_later_835_paying_the_denied_claim_overturns_its_denial(posted):
    paid = payment_835(
        trace="T50002", clp="CLP*CLM7783*1*150*150*0*12*2026331000125*11*1", total="150"
    )
    era_post(content=paid, name="paid.835")

    denial = Denial.objects.get(claim=posted["CLM7783"])
    assert (denial.status, denial.outcome) == (DenialStatus.RESOLVED, DenialOutcome.OVERTURNED)
    assert denial.resolved_by_payment.remittance.trace_number == "T50002"
    # The line denial of another claim is untouched.
    assert Denial.objects.get(claim=posted["CLM7782"]).status == DenialStatus.OPEN


def test_a_later_835_paying_the_denied_line_overturns_only_that_line(posted):
    paid = payment_835(
        trace="T50003",
        clp="CLP*CLM7782*1*50*50*0*12*2026331000124*11*1",
        lines=["SVC*HC:85025*50*50**1", "REF*6R*CLM7782-2"],
        total="50",
    )
    era_post(content=paid, name="line-paid.835")

    denial = Denial.objects.get(claim=posted["CLM7782"])
    assert denial.outcome == DenialOutcome.OVERTURNED
    assert Denial.objects.get(claim=posted["CLM7783"]).status == DenialStatus.OPEN


def test_a_paid_replacement_of_a_denied_claim_is_corrected_and_paid(posted):
    original = posted["CLM7783"]
    replacement = ClaimFactory(
        encounter=original.encounter,
        coverage=original.coverage,
        control_number="CLM7783R",
        frequency_code="7",
        original_claim=original,
        status=ClaimStatus.ACCEPTED,
        total_charge=D("150"),
    )
    ClaimLineFactory(claim=replacement, position=1, control_number="CLM7783R-1",
                     procedure_code="99215", charge=D("150"))  # fmt: skip
    paid = payment_835(
        trace="T50004",
        clp="CLP*CLM7783R*1*150*120*0*12*2026331000125*11*7",
        lines=["CAS*CO*45*30"],
        total="120",
    )
    era_post(content=paid, name="replacement.835")

    denial = Denial.objects.get(claim=original)
    assert denial.outcome == DenialOutcome.CORRECTED_AND_PAID
    assert not Denial.objects.filter(claim=replacement).exists()


def test_backfill_makes_the_denials_of_earlier_835s_once(posted, capsys):
    Denial.objects.all().delete()

    call_command("denials", "backfill")
    call_command("denials", "backfill")

    assert Denial.objects.count() == 2
    assert "0 denials made" in capsys.readouterr().out
    assert denials_backfill() == 0


def test_backfill_refuses_a_practice_id_that_is_not_digits(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="digits 0-9"):
        call_command("denials", "backfill", "--practice", "\u0661\u0662")


# --- the queue page ------------------------------------------------------------------------------


def rows(response) -> list[str]:
    return [row["denial"].claim.control_number for row in response.context["rows"]]


def test_the_queue_lists_denials_by_priority_with_totals(client, biller, posted):
    client.force_login(biller)

    response = client.get(reverse("denial-queue"))

    assert response.status_code == 200
    # 150 and 50 due on the same day: the larger first.
    assert rows(response) == ["CLM7783", "CLM7782"]
    assert response.context["totals"] == {"count": 2, "amount": D("200.00")}
    body = response.content.decode()
    assert "Medical necessity" in body and "CO-50:" in body and "N362:" in body
    assert "$200.00" in body
    assert reverse("claim-detail", args=[posted["CLM7783"].pk]) in body
    assert "Appeal" not in body


def test_priority_weighs_dollars_against_days_to_the_deadline(client, biller, posted):
    Denial.objects.filter(claim=posted["CLM7783"]).update(due_on=datetime.date(2099, 1, 1))
    client.force_login(biller)

    by_priority = rows(client.get(reverse("denial-queue")))
    by_amount = rows(client.get(reverse("denial-queue"), {"sort": "amount"}))
    by_due = rows(client.get(reverse("denial-queue"), {"sort": "due"}))

    assert by_priority == ["CLM7782", "CLM7783"]  # $50 due sooner beats $150 due in 2099
    assert by_amount == ["CLM7783", "CLM7782"]
    assert by_due == ["CLM7782", "CLM7783"]


def test_an_overdue_denial_shows_in_red(client, biller, posted):
    Denial.objects.filter(claim=posted["CLM7783"]).update(due_on=datetime.date(2000, 1, 1))
    client.force_login(biller)

    body = client.get(reverse("denial-queue")).content.decode()

    assert "text-danger fw-bold" in body and "(overdue)" in body


def test_filters(client, biller, posted, northwind):
    client.force_login(biller)
    url = reverse("denial-queue")
    Denial.objects.filter(claim=posted["CLM7782"]).update(assignee=biller)

    assert rows(client.get(url, {"category": "coding"})) == ["CLM7782"]
    assert rows(client.get(url, {"carc": "50"})) == ["CLM7783"]
    assert rows(client.get(url, {"payer": northwind.pk})) == ["CLM7783", "CLM7782"]
    assert rows(client.get(url, {"payer": northwind.pk + 1000})) == []
    assert rows(client.get(url, {"assignee": biller.pk})) == ["CLM7782"]
    assert rows(client.get(url, {"assignee": "none"})) == ["CLM7783"]
    assert rows(client.get(url, {"due_within": "5"})) == []  # due 90 days after 2026-11-27
    assert rows(client.get(url, {"due_within": "3650"})) == ["CLM7783", "CLM7782"]
    assert rows(client.get(url, {"status": "resolved"})) == []


@pytest.mark.parametrize(
    "query",
    [
        {"due_within": "1e400"},
        {"due_within": "\u0665"},
        {"due_within": "9" * 40},
        {"assignee": "99999999999999999999999"},
        {"status": "bogus"},
        {"sort": "-id; DROP"},
        {"category": "eligibility\u200b"},
        {"carc": "CO*50~"},
    ],
)
def test_hostile_filters_are_ignored_with_a_message(client, biller, posted, query):
    client.force_login(biller)

    response = client.get(reverse("denial-queue"), query)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    assert rows(response) == ["CLM7783", "CLM7782"]


def test_an_agency_sees_each_practice_with_a_practice_column(client, practice_b, posted):
    from tests.factories import UserFactory

    agency = UserFactory(username="agency")
    MembershipFactory(user=agency, practice=posted["CLM7783"].practice, role=Role.BILLER)
    MembershipFactory(user=agency, practice=practice_b, role=Role.BILLER)
    client.force_login(agency)

    response = client.get(reverse("denial-queue"))

    assert response.context["many_practices"] is True
    assert "<th>Practice</th>" in response.content.decode()


def test_another_practice_sees_none_of_the_denials(client, biller_b, posted):
    client.force_login(biller_b)
    denial = Denial.objects.get(claim=posted["CLM7783"])

    assert rows(client.get(reverse("denial-queue"))) == []
    response = client.post(reverse("denial-resolve", args=[denial.pk]), {"outcome": "upheld"})
    assert response.status_code == 404
    assert client.post(reverse("denial-assign", args=[2**62])).status_code == 404
    assert Denial.objects.get(pk=denial.pk).status == DenialStatus.OPEN


def test_a_coder_is_refused(client, coder, posted):
    client.force_login(coder)

    assert client.get(reverse("denial-queue")).status_code == 403


# --- actions -------------------------------------------------------------------------------------


def test_bulk_assign(client, biller, posted):
    client.force_login(biller)
    ids = list(Denial.objects.values_list("pk", flat=True))

    response = client.post(reverse("denials-assign"), {"denial": ids, "assignee": biller.pk})

    assert response.status_code == 302
    assert set(Denial.objects.values_list("assignee", "status")) == {
        (biller.pk, DenialStatus.IN_PROGRESS)
    }


@pytest.mark.parametrize(
    "body",
    [
        {"denial": ["1e400"]},
        {"denial": ["\u0663"]},
        {"denial": [str(2**70)]},
        {"assignee": "\uff13"},
        {"assignee": str(2**70)},
    ],
)
def test_bulk_assign_refuses_hostile_input_and_changes_nothing(client, biller, posted, body):
    client.force_login(biller)
    body = {"denial": list(Denial.objects.values_list("pk", flat=True)), **body}

    response = client.post(reverse("denials-assign"), body, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Denial.objects.filter(assignee__isnull=False).exists()


def test_assigning_to_a_user_of_another_practice_is_refused(client, biller, biller_b, posted):
    client.force_login(biller)
    denial = Denial.objects.first()

    response = client.post(
        reverse("denial-assign", args=[denial.pk]), {"assignee": biller_b.pk}, follow=True
    )

    assert "does not bill for the practice" in response.content.decode()
    assert Denial.objects.get(pk=denial.pk).assignee is None


def test_resolve_with_an_outcome_and_a_note_writes_the_claims_timeline(client, biller, posted):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7783"])

    client.post(
        reverse("denial-resolve", args=[denial.pk]),
        {"outcome": "upheld", "note": "The payer confirmed by phone."},
    )

    denial.refresh_from_db()
    assert (denial.status, denial.outcome, denial.resolved_by) == (
        DenialStatus.RESOLVED,
        DenialOutcome.UPHELD,
        biller,
    )
    note = ClaimEvent.objects.filter(claim=posted["CLM7783"], kind="note").latest("id").note
    assert "upheld" in note and "confirmed by phone" in note


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"outcome": "written_off"}, "Choose an outcome"),
        ({"outcome": "bogus"}, "Choose an outcome"),
        ({"outcome": "upheld", "note": "x" * 501}, "longer than 500"),
    ],
)
def test_resolve_refuses_bad_input(client, biller, posted, body, message):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7783"])

    response = client.post(reverse("denial-resolve", args=[denial.pk]), body, follow=True)

    assert message in response.content.decode()
    assert Denial.objects.get(pk=denial.pk).status == DenialStatus.OPEN


def test_a_write_off_under_the_limit_is_done_at_once(client, biller, posted):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7782"])  # $50, the limit is $100

    client.post(
        reverse("denial-write-off", args=[denial.pk]), {"amount": "50.00", "note": "Bundled."}
    )

    denial.refresh_from_db()
    assert (denial.status, denial.outcome) == (DenialStatus.RESOLVED, DenialOutcome.WRITTEN_OFF)
    assert DenialWriteOff.objects.get().status == WriteOffStatus.APPROVED


def test_a_write_off_over_the_limit_waits_for_an_administrator(
    client, biller, administrator, posted
):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7783"])  # $150, the limit is $100

    client.post(
        reverse("denial-write-off", args=[denial.pk]), {"amount": "150", "note": "Too late."}
    )

    denial.refresh_from_db()
    assert (denial.status, denial.outcome) == (DenialStatus.IN_PROGRESS, DenialOutcome.NONE)
    write_off = DenialWriteOff.objects.get()
    assert write_off.status == WriteOffStatus.PENDING
    # The biller cannot approve it, nor see the list.
    assert client.get(reverse("denial-write-offs")).status_code == 403
    decide = reverse("denial-write-off-decide", args=[write_off.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403

    client.force_login(administrator)
    listed = client.get(reverse("denial-write-offs"))
    assert [w.pk for w in listed.context["write_offs"]] == [write_off.pk]
    client.post(decide, {"decision": "approve"})

    denial.refresh_from_db()
    assert (denial.status, denial.outcome) == (DenialStatus.RESOLVED, DenialOutcome.WRITTEN_OFF)
    write_off.refresh_from_db()
    assert (write_off.status, write_off.decided_by) == (WriteOffStatus.APPROVED, administrator)
    assert client.post(decide, {"decision": "approve"}, follow=True).status_code == 200


def test_a_declined_write_off_leaves_the_denial_to_work(client, biller, administrator, posted):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7783"])
    client.post(reverse("denial-write-off", args=[denial.pk]), {"amount": "150", "note": "Old."})
    client.force_login(administrator)

    client.post(
        reverse("denial-write-off-decide", args=[DenialWriteOff.objects.get().pk]),
        {"decision": "decline"},
    )

    assert Denial.objects.get(pk=denial.pk).status == DenialStatus.IN_PROGRESS
    assert DenialWriteOff.objects.get().status == WriteOffStatus.DECLINED


def test_a_raised_practice_limit_lets_the_biller_write_off_directly(client, biller, posted):
    practice = posted["CLM7783"].practice
    practice.write_off_limit = D("500.00")
    practice.save(update_fields=["write_off_limit"])
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7783"])

    client.post(reverse("denial-write-off", args=[denial.pk]), {"amount": "150", "note": "Old."})

    assert Denial.objects.get(pk=denial.pk).outcome == DenialOutcome.WRITTEN_OFF


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e400", "is not an amount"),
        ("NaN", "is not an amount"),
        ("Infinity", "is not an amount"),
        ("\u0661\u0665\u0660", "is not an amount"),
        ("\uff11\uff15\uff10", "is not an amount"),
        ("15\u00a0", "is not an amount"),
        ("-5", "is not an amount"),
        ("0", "more than 0.00"),
        ("1.005", "two decimal places"),
        ("9" * 400, "too large"),
        ("151.00", "more than the denied"),
        ("", "Give the amount"),
    ],
)
def test_write_off_refuses_hostile_amounts_and_changes_nothing(
    client, biller, posted, amount, message
):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7783"])

    response = client.post(
        reverse("denial-write-off", args=[denial.pk]), {"amount": amount, "note": "x"}, follow=True
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DenialWriteOff.objects.exists()
    assert Denial.objects.get(pk=denial.pk).status == DenialStatus.OPEN


def test_write_off_needs_a_note(client, biller, posted):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7782"])

    response = client.post(
        reverse("denial-write-off", args=[denial.pk]), {"amount": "50"}, follow=True
    )

    assert "Give a note" in response.content.decode()
    assert not DenialWriteOff.objects.exists()


def test_correct_and_resubmit_links_to_the_claims_correct_flow(client, biller, posted):
    from claims.models import Claim

    Claim.objects.filter(pk=posted["CLM7783"].pk).update(status=ClaimStatus.DENIED)
    client.force_login(biller)

    body = client.get(reverse("denial-queue")).content.decode()

    assert reverse("claim-correct", args=[posted["CLM7783"].pk]) in body


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("denials-assign", {"denial": "1\x00"}),
        ("denial-resolve", {"outcome": "upheld", "note": "a\x00b"}),
        ("denial-write-off", {"amount": "15\x000", "note": "x"}),
    ],
)
def test_a_nul_is_refused_at_the_door_and_changes_nothing(client, biller, posted, name, body):
    client.force_login(biller)
    denial = Denial.objects.get(claim=posted["CLM7783"])
    args = [] if name == "denials-assign" else [denial.pk]

    response = client.post(reverse(name, args=args), body)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    denial.refresh_from_db()
    assert (denial.status, denial.assignee) == (DenialStatus.OPEN, None)
    assert not DenialWriteOff.objects.exists()


def test_the_queue_page_costs_the_same_queries_for_many_denials(
    client, biller, posted, django_assert_max_num_queries
):
    client.force_login(biller)
    url = reverse("denial-queue")
    client.get(url)  # warm the session and the code-list caches

    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for claim in posted.values():
        if not Denial.objects.filter(claim=claim).exists():
            payment = Denial.objects.first().claim_payment
            Denial.objects.create(
                practice=claim.practice, claim=claim, claim_payment=payment, group="CO",
                carc="16", rarcs=["N290"], category="missing_information", amount=D("10"),
                denied_on=DENIED_ON, due_on=DENIED_ON,
            )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 5


def test_a_denial_paid_later_in_the_same_file_is_made_resolved(claims):
    both = interchange(
        [
            "BPR*I*150*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261215",
            "TRN*1*T50005*1512345678",
            "N1*PR*NORTHWIND HEALTH*XV*NWH01",
            "N1*PE*ALPHA FAMILY MEDICINE*XX*1999999999",
            "LX*1",
            "CLP*CLM7783*4*150*0*0*12*2026331000125*11*1",
            "CAS*CO*50*150",
            "CLP*CLM7783*1*150*150*0*12*2026331000125*11*1",
        ],
        control="000000303",
    )
    era_post(content=both, name="both.835")

    denial = Denial.objects.get(claim=claims["CLM7783"])
    assert (denial.status, denial.outcome) == (DenialStatus.RESOLVED, DenialOutcome.OVERTURNED)

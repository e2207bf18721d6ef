"""Billers see their practices' quarantined files, with the reason, and can dismiss them."""

from __future__ import annotations

from django.urls import reverse

from rcm.files.models import FileStatus
from rcm.files.services import inbound_file_store, stored_file_quarantine
from tests.factories import UserFactory


def quarantined(name, practice=None, error="SE01 count is wrong (segment SE #9 line 9)"):
    stored, _ = inbound_file_store(kind="835", name=name, content=name.encode())
    if practice is not None:
        stored.practice = practice
        stored.save(update_fields=["practice"])
    return stored_file_quarantine(stored=stored, error=error)


def test_biller_sees_own_practice_files_with_reason(client, biller, practice_a, practice_b):
    mine = quarantined("mine.835", practice_a)
    quarantined("theirs.835", practice_b)
    quarantined("nobodys.835")
    client.force_login(biller)

    response = client.get(reverse("quarantine"))

    assert [f.name for f in response.context["files"]] == [mine.name]
    assert b"SE01 count is wrong" in response.content


def test_staff_also_see_files_no_practice_was_found_for(client, practice_a):
    from rcm.practice.models import Role
    from tests.factories import MembershipFactory

    staff = UserFactory(username="it_person", is_staff=True)
    MembershipFactory(user=staff, practice=practice_a, role=Role.ADMINISTRATOR)
    quarantined("nobodys.835")
    client.force_login(staff)
    assert [f.name for f in client.get(reverse("quarantine")).context["files"]] == ["nobodys.835"]


def test_dismissing_a_file_keeps_it_but_clears_the_list(client, biller, practice_a, practice_b):
    mine = quarantined("mine.835", practice_a)
    theirs = quarantined("theirs.835", practice_b)
    client.force_login(biller)

    assert client.post(reverse("quarantine-dismiss", args=[theirs.pk])).status_code == 404
    client.post(reverse("quarantine-dismiss", args=[mine.pk]))

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == FileStatus.DISMISSED and mine.error
    assert theirs.status == FileStatus.QUARANTINED
    assert client.get(reverse("quarantine")).context["files"].count() == 0

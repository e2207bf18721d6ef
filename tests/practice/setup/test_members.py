"""An administrator manages the users and roles of their own practices only."""

from __future__ import annotations

from django.urls import reverse

from rcm.audit.models import AuditEvent
from rcm.practice.models import Membership, Role, User
from tests.factories import MembershipFactory, UserFactory


def _members_url(practice):
    return reverse("practice-setup-members", args=[practice.pk])


def _new_user(**overrides):
    data = {
        "username": "newcoder",
        "first_name": "Nia",
        "last_name": "Coder",
        "email": "nia@example.com",
        "password": "Tide-Lantern-42",
        "role": Role.CODER,
    }
    return {**data, **overrides}


def test_the_home_leads_to_practice_setup(admin_client, practice_a):
    home = admin_client.get(reverse("home"), follow=True)
    assert reverse("practice-setup") in home.content.decode()

    response = admin_client.get(reverse("practice-setup"))
    assert response.status_code == 302
    assert response["Location"] == _members_url(practice_a)


def test_members_are_listed_with_their_roles_here(admin_client, practice_a, practice_b, coder):
    MembershipFactory(user=coder, practice=practice_b, role=Role.BILLER)

    response = admin_client.get(_members_url(practice_a))

    listed = {m.user.username: m.role_labels for m in response.context["members"]}
    assert listed == {"coder_a": ["Coder"], "admin_a": ["Administrator"]}
    assert "coder_a" in response.content.decode()


def test_creating_a_user_gives_them_a_role_and_a_working_password(admin_client, practice_a):
    response = admin_client.post(_members_url(practice_a), _new_user(), follow=True)

    assert "Nia Coder (newcoder) can now sign in" in response.content.decode()
    user = User.objects.get(username="newcoder")
    assert user.check_password("Tide-Lantern-42") and not user.is_staff
    assert list(user.memberships.values_list("practice", "role")) == [(practice_a.pk, Role.CODER)]


def test_a_weak_temporary_password_is_refused_and_nobody_is_created(admin_client, practice_a):
    response = admin_client.post(_members_url(practice_a), _new_user(password="12345678"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in page or "entirely numeric" in page
    assert not User.objects.filter(username="newcoder").exists()


def test_a_taken_username_is_refused(admin_client, practice_a, biller_b):
    response = admin_client.post(_members_url(practice_a), _new_user(username="biller_b"))

    assert "That username is taken: choose another." in response.content.decode()
    assert not Membership.objects.filter(user=biller_b, practice=practice_a).exists()


def test_adding_and_removing_a_role(admin_client, practice_a, coder):
    url = reverse("practice-setup-member-role", args=[practice_a.pk, coder.pk])

    added = admin_client.post(url, {"role": Role.BILLER, "change": "add"}, follow=True)
    assert "is now biller at Alpha Family Medicine" in added.content.decode()
    assert set(coder.memberships.values_list("role", flat=True)) == {Role.CODER, Role.BILLER}

    admin_client.post(url, {"role": Role.CODER, "change": "remove"})
    assert set(coder.memberships.values_list("role", flat=True)) == {Role.BILLER}


def test_the_last_administrator_cannot_be_removed(admin_client, practice_a, administrator):
    role_url = reverse("practice-setup-member-role", args=[practice_a.pk, administrator.pk])
    off_url = reverse("practice-setup-member-deactivate", args=[practice_a.pk, administrator.pk])

    removed = admin_client.post(
        role_url, {"role": Role.ADMINISTRATOR, "change": "remove"}, follow=True
    )
    deactivated = admin_client.post(off_url, follow=True)

    expected = "is the last administrator of Alpha Family Medicine: make someone else"
    assert expected in removed.content.decode()
    assert expected in deactivated.content.decode()
    assert Membership.objects.filter(user=administrator, role=Role.ADMINISTRATOR).count() == 1


def test_an_administrator_can_step_down_when_another_remains(
    admin_client, practice_a, administrator
):
    MembershipFactory(
        user=UserFactory(username="admin_a2"), practice=practice_a, role=Role.ADMINISTRATOR
    )
    url = reverse("practice-setup-member-role", args=[practice_a.pk, administrator.pk])

    response = admin_client.post(url, {"role": Role.ADMINISTRATOR, "change": "remove"})

    assert not Membership.objects.filter(user=administrator, practice=practice_a).exists()
    assert response["Location"] == reverse("home")


def test_deactivating_ends_only_this_practices_memberships(
    admin_client, practice_a, practice_b, coder
):
    MembershipFactory(user=coder, practice=practice_a, role=Role.BILLER)
    MembershipFactory(user=coder, practice=practice_b, role=Role.CODER)
    url = reverse("practice-setup-member-deactivate", args=[practice_a.pk, coder.pk])

    response = admin_client.post(url, follow=True)

    assert "no longer has access to Alpha Family Medicine" in response.content.decode()
    assert list(coder.memberships.values_list("practice", "role")) == [(practice_b.pk, Role.CODER)]


def test_another_practices_member_is_not_found(admin_client, practice_a, biller_b):
    url = reverse("practice-setup-member-deactivate", args=[practice_a.pk, biller_b.pk])
    role_url = reverse("practice-setup-member-role", args=[practice_a.pk, biller_b.pk])

    assert admin_client.post(url).status_code == 404
    assert admin_client.post(role_url, {"role": Role.CODER, "change": "add"}).status_code == 404
    assert list(biller_b.memberships.values_list("role", flat=True)) == [Role.BILLER]


def test_another_practices_setup_is_not_found_and_a_non_administrator_is_refused(
    client, admin_client, practice_b, practice_a, biller, biller_b
):
    assert admin_client.get(_members_url(practice_b)).status_code == 404
    assert admin_client.post(_members_url(practice_b), _new_user()).status_code == 404
    assert not User.objects.filter(username="newcoder").exists()

    client.force_login(biller)
    assert client.get(_members_url(practice_a)).status_code == 403
    assert client.get(reverse("practice-setup")).status_code == 403


def test_an_administrator_elsewhere_is_refused_in_a_practice_where_they_bill(
    client, practice_a, practice_b
):
    user = UserFactory(username="mixed")
    MembershipFactory(user=user, practice=practice_a, role=Role.BILLER)
    MembershipFactory(user=user, practice=practice_b, role=Role.ADMINISTRATOR)
    client.force_login(user)

    assert client.get(_members_url(practice_a)).status_code == 403
    assert client.get(_members_url(practice_b)).status_code == 200


def test_role_changes_are_in_the_audit_trail(admin_client, practice_a, administrator, coder):
    url = reverse("practice-setup-member-role", args=[practice_a.pk, coder.pk])
    admin_client.post(url, {"role": Role.BILLER, "change": "add"})
    admin_client.post(url, {"role": Role.BILLER, "change": "remove"})

    events = AuditEvent.objects.filter(table_name="practice_membership", actor=administrator)
    assert list(events.order_by("id").values_list("action", "practice_id")) == [
        ("insert", practice_a.pk),
        ("delete", practice_a.pk),
    ]
    log = admin_client.get(reverse("audit-log"), {"actor": "admin_a"})
    assert "Membership #" in log.content.decode()

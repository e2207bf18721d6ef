"""Reads of practice setup, for the administrator of one practice."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.http import Http404

from rcm.practice.models import (
    ClearinghouseConnection,
    FeeSchedule,
    Membership,
    Payer,
    PayerRule,
    Practice,
    Provider,
    Role,
    User,
)
from rcm.practice.permissions import ADMINISTRATION, scoped_get
from rcm.practice.selectors import Viewer, practice_ids_for
from rcm.practice.setup.services import SECRET_KEYS


def administered_practices(*, user: Viewer) -> QuerySet[Practice]:
    return Practice.objects.filter(pk__in=practice_ids_for(user=user, roles=ADMINISTRATION))


def administered_practice_get(*, user: Viewer, pk: object) -> Practice:
    """The practice `pk` if `user` administers it: 404 if not theirs, 403 if not administrator."""
    return scoped_get(
        Practice.objects.filter(is_active=True),
        user=user,
        pk=pk,
        roles=ADMINISTRATION,
        practice_field="pk",
    )


@dataclass
class Member:
    user: User
    roles: list[str] = field(default_factory=list)

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [labels[role] for role in self.roles]


def members_of(*, practice: Practice) -> list[Member]:
    """The practice's members with their roles in it, in role order, by name."""
    members: dict[int, Member] = {}
    order = {role.value: index for index, role in enumerate(Role)}
    rows = (
        Membership.objects.filter(practice=practice)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    for membership in rows:
        member = members.setdefault(membership.user_id, Member(user=membership.user))
        member.roles.append(membership.role)
    for member in members.values():
        member.roles.sort(key=order.__getitem__)
    return list(members.values())


def member_get(*, practice: Practice, user_id: int) -> User:
    """A member of `practice`; anyone else is "not found", as for an id that does not exist."""
    try:
        return User.objects.filter(memberships__practice=practice).distinct().get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such member of this practice.") from error


def providers_of(*, practice: Practice) -> QuerySet[Provider]:
    return Provider.objects.filter(practice=practice)


def provider_get(*, practice: Practice, pk: int) -> Provider:
    try:
        return Provider.objects.get(practice=practice, pk=pk)
    except (Provider.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such provider in this practice.") from error


def payers_for_setup() -> QuerySet[Payer]:
    return Payer.objects.order_by("name")


def fee_schedules_of(*, practice: Practice) -> QuerySet[FeeSchedule]:
    return (
        FeeSchedule.objects.filter(practice=practice)
        .select_related("payer")
        .annotate(entry_count=Count("entries"))
        .order_by("payer__name", "-effective_from")
    )


def fee_schedule_get(*, practice: Practice, pk: int) -> FeeSchedule:
    try:
        return FeeSchedule.objects.select_related("payer").get(practice=practice, pk=pk)
    except (FeeSchedule.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such fee schedule in this practice.") from error


def fee_schedule_csv(*, schedule: FeeSchedule) -> str:
    """The schedule as `code,charge` rows under a header: what the import reads back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "charge"])
    for code, charge in schedule.entries.order_by("code").values_list("code", "charge"):
        writer.writerow([code, f"{charge:.2f}"])
    return out.getvalue()


def connection_of(*, practice: Practice) -> ClearinghouseConnection | None:
    return ClearinghouseConnection.objects.filter(practice=practice, payer=None).first()


MASK = "••••••••"


def secret_shown(value: object) -> str:
    """A connection secret as the page shows it: an env:NAME reference, or a mask for a value."""
    if not value:
        return ""
    text = str(value)
    return text if text.startswith("env:") else MASK


def connection_host_key_shown(connection: ClearinghouseConnection | None) -> str:
    """The server's public key, shortened (it is public, but long)."""
    key = str((connection.config if connection else {}).get("known_host_key") or "")
    return key if len(key) <= 40 else f"{key[:24]}…{key[-12:]}"


def connection_secrets_shown(connection: ClearinghouseConnection | None) -> dict[str, str]:
    """{label: shown} for the secrets the connection has: never a stored value in clear."""
    config = connection.config if connection else {}
    return {
        key.replace("_", " ").capitalize(): secret_shown(config.get(key))
        for key in SECRET_KEYS
        if config.get(key)
    }


def payer_rules_of(*, practice: Practice) -> QuerySet[PayerRule]:
    return PayerRule.objects.filter(practice=practice).select_related("payer")


def payer_rule_get(*, practice: Practice, pk: int) -> PayerRule:
    try:
        return PayerRule.objects.select_related("payer").get(practice=practice, pk=pk)
    except (PayerRule.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such payer rule in this practice.") from error

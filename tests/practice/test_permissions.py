"""rcm.practice.permissions.scoped_get: 404 outside the user's practices, 403 for the wrong role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from patients.models import Patient
from rcm.practice.models import Role
from rcm.practice.permissions import BILLING, FRONT_DESK, scoped_get
from tests.factories import MembershipFactory, PatientFactory, UserFactory


def test_a_row_of_the_users_practice_in_the_right_role_is_returned(front_desk, practice_a):
    patient = PatientFactory(practice=practice_a)

    found = scoped_get(Patient.objects.all(), user=front_desk, pk=patient.pk, roles=FRONT_DESK)

    assert found == patient


def test_a_row_of_another_practice_is_not_found(biller_b, practice_a):
    patient = PatientFactory(practice=practice_a)

    with pytest.raises(Http404):
        scoped_get(Patient.objects.all(), user=biller_b, pk=patient.pk)


def test_a_visible_row_outside_the_users_role_there_is_forbidden(coder, practice_a):
    patient = PatientFactory(practice=practice_a)

    with pytest.raises(PermissionDenied, match="role in this practice"):
        scoped_get(Patient.objects.all(), user=coder, pk=patient.pk, roles=FRONT_DESK)


def test_a_role_held_in_another_practice_does_not_count(practice_a, practice_b):
    user = UserFactory()
    MembershipFactory(user=user, practice=practice_a, role=Role.CODER)
    MembershipFactory(user=user, practice=practice_b, role=Role.BILLER)
    patient = PatientFactory(practice=practice_a)

    with pytest.raises(PermissionDenied):
        scoped_get(Patient.objects.all(), user=user, pk=patient.pk, roles=BILLING)


def test_the_practice_can_be_reached_through_a_relation(biller, practice_a):
    patient = PatientFactory(practice=practice_a)

    found = scoped_get(
        Patient.objects.all(), user=biller, pk=patient.pk, roles=BILLING,
        practice_field="practice__id",
    )  # fmt: skip

    assert found == patient

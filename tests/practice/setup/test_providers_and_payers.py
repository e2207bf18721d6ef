"""Providers of one's own practice, with NPI and taxonomy checks; payers read, not edited."""

from __future__ import annotations

from django.urls import reverse

from rcm.practice.models import Payer, Provider
from tests.factories import PayerFactory, ProviderFactory, npi_for

GOOD_NPI = npi_for(4242, "1")


def _provider(**overrides):
    data = {"first_name": "Ines", "last_name": "Marsh", "credential": "MD", "npi": GOOD_NPI,
            "taxonomy": "207q00000x", "is_active": "on"}  # fmt: skip
    return {**data, **overrides}


def test_adding_a_provider(admin_client, practice_a):
    url = reverse("practice-setup-providers", args=[practice_a.pk])

    response = admin_client.post(url, _provider(), follow=True)

    assert "Ines Marsh, MD added to Alpha Family Medicine." in response.content.decode()
    provider = Provider.objects.get(practice=practice_a)
    assert (provider.npi, provider.taxonomy, provider.is_active) == (GOOD_NPI, "207Q00000X", True)


def test_a_mistyped_npi_is_refused_by_its_check_digit(admin_client, practice_a):
    wrong = GOOD_NPI[:-1] + str((int(GOOD_NPI[-1]) + 1) % 10)
    url = reverse("practice-setup-providers", args=[practice_a.pk])

    response = admin_client.post(url, _provider(npi=wrong))

    assert "This NPI&#x27;s check digit is wrong" in response.content.decode()
    assert not Provider.objects.exists()


def test_the_same_npi_twice_in_a_practice_is_refused(admin_client, practice_a):
    ProviderFactory(practice=practice_a, npi=GOOD_NPI)
    url = reverse("practice-setup-providers", args=[practice_a.pk])

    response = admin_client.post(url, _provider())

    assert "Another provider of this practice has this NPI." in response.content.decode()
    assert Provider.objects.count() == 1


def test_editing_and_deactivating_a_provider(admin_client, practice_a):
    provider = ProviderFactory(practice=practice_a, first_name="Old", last_name="Name")
    url = reverse("practice-setup-provider-edit", args=[practice_a.pk, provider.pk])

    admin_client.post(url, _provider(first_name="New", npi=provider.npi, is_active=""))

    provider.refresh_from_db()
    assert (provider.first_name, provider.is_active) == ("New", False)


def test_another_practices_provider_is_not_found(admin_client, practice_a, practice_b):
    theirs = ProviderFactory(practice=practice_b, first_name="Theirs")

    for url in (
        reverse("practice-setup-provider-edit", args=[practice_a.pk, theirs.pk]),
        reverse("practice-setup-provider-edit", args=[practice_b.pk, theirs.pk]),
    ):
        assert admin_client.post(url, _provider(first_name="Mine")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.first_name == "Theirs"


def test_payers_are_listed_and_editing_them_is_the_operators(admin_client, practice_a):
    PayerFactory(name="Northwind Health", timely_filing_days=90, prior_auth_codes=["70553"])
    url = reverse("practice-setup-payers", args=[practice_a.pk])

    page = admin_client.get(url).content.decode()

    assert "Northwind Health" in page and "70553" in page and ">90<" in page
    assert "only the operator changes them" in page
    assert admin_client.post(url, {"name": "Changed"}).status_code == 405  # a list, not a form
    assert Payer.objects.get().name == "Northwind Health"

"""A quarantined file is shown to the billers of the practice it can be told to be for: by our
claims' numbers in it, the 835 payee's NPI, the receiver id, or the connection it came from."""

from __future__ import annotations

import re

from django.urls import reverse

from denials import inbox
from denials.inbox import era_post, inbound_file_process, inbox_poll
from rcm.files.models import FileStatus, StoredFile
from rcm.practice.models import ClearinghouseConnection
from tests.denials.fixtures import northwind_bytes, northwind_claims, one_claim_payment
from tests.denials.test_inbox import FakeInbox
from tests.factories import ClaimFactory, PayerFactory, UserFactory

GARBLE = (b"CLP*CLM7782*1*250*120", b"CLP*CLM7782*1*250*1X0")


def shown_to(client, user) -> list[str]:
    client.force_login(user)
    return [f.name for f in client.get(reverse("quarantine")).context["files"]]


def test_a_garbled_835_for_our_claims_is_shown_to_their_practice_only(
    client, practice_a, biller, biller_b
):
    northwind_claims(practice=practice_a, payer=PayerFactory(payer_id="NWH01"))
    garbled = northwind_bytes().replace(*GARBLE)

    stored = inbound_file_process(name="garbled.835", content=garbled)

    assert (stored.status, stored.practice_id) == (FileStatus.QUARANTINED, practice_a.pk)
    assert "CLP04 is not a number" in stored.error
    assert shown_to(client, biller) == ["garbled.835"]
    assert shown_to(client, biller_b) == []


def test_a_refused_import_is_attributed_to_the_payee_practice(client, practice_b, biller, biller_b):
    unbalanced = one_claim_payment(trace="T1", npi=practice_b.npi).replace(
        b"BPR*I*80*", b"BPR*I*81*"
    )

    refused = None
    try:
        era_post(content=unbalanced, name="unbalanced.835")
    except inbox.PostingRefused as error:
        refused = error

    assert refused is not None and "does not balance" in str(refused)
    assert StoredFile.objects.get().practice_id == practice_b.pk
    assert shown_to(client, biller_b) == ["unbalanced.835"]
    assert shown_to(client, biller) == []


def test_a_truncated_277ca_for_our_claim_is_attributed(client, practice_a, biller):
    ClaimFactory(encounter__patient__practice=practice_a, control_number="PCN1001")
    text = open_fixture("synthetic_277ca.txt")
    truncated = text[: text.index("\nSE*")]

    stored = inbound_file_process(name="cut.277", content=truncated.encode())

    assert "truncated" in stored.error
    assert stored.practice_id == practice_a.pk
    assert shown_to(client, biller) == ["cut.277"]


def test_a_file_addressed_to_a_connections_submitter_id_is_attributed(
    practice_a, practice_b, biller, biller_b, client
):
    ClearinghouseConnection.objects.create(practice=practice_b, submitter_id="BRAVO01")
    text = open_fixture("synthetic_999.txt").replace("OURPRACTICE    ", "BRAVO01        ")
    garbled = text.replace("AK9*P*2*2*1", "AK9*P*X*2*1")

    stored = inbound_file_process(name="ack.999", content=garbled.encode())

    assert "AK902 is not a number" in stored.error
    assert stored.practice_id == practice_b.pk
    assert shown_to(client, biller_b) == ["ack.999"]
    assert shown_to(client, biller) == []


def test_a_file_from_a_practices_connection_is_attributed_to_it(
    monkeypatch, practice_a, biller, biller_b, client
):
    connection = ClearinghouseConnection.objects.create(practice=practice_a, transport="fake")
    fake = FakeInbox({"junk.x12": b"this is not X12 at all"})
    monkeypatch.setattr(inbox, "_transports", lambda: [("fake", connection)])
    monkeypatch.setattr(inbox, "transport_for", lambda connection: fake)

    result = inbox_poll()

    assert result.quarantined == 1 and fake.files == {}
    stored = StoredFile.objects.get()
    assert (stored.practice_id, stored.kind) == (practice_a.pk, "unknown")
    assert shown_to(client, biller) == ["junk.x12"]
    assert shown_to(client, biller_b) == []


def test_evidence_for_two_practices_attributes_nothing(client, practice_a, practice_b, biller):
    ClaimFactory(encounter__patient__practice=practice_a, control_number="CLMA1")
    ClaimFactory(encounter__patient__practice=practice_b, control_number="CLMB1")
    content = one_claim_payment(trace="T1", npi=practice_a.npi, control_number="CLMA1")
    content = content.replace(b"LX*1~", b"LX*1~\nCLP*CLMB1*1*0*0*0*12*X*11*1~")
    content = re.sub(
        rb"SE\*(\d+)\*", lambda m: b"SE*" + str(int(m[1]) + 1).encode() + b"*", content
    )
    content = content.replace(b"BPR*I*80*", b"BPR*I*81*")

    stored = inbound_file_process(name="mixed.835", content=content)

    assert stored.status == FileStatus.QUARANTINED
    assert stored.practice_id is None
    assert shown_to(client, biller) == []
    staff = UserFactory(is_staff=True)
    from rcm.practice.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=staff, practice=practice_a, role=Role.BILLER)
    assert shown_to(client, staff) == ["mixed.835"]


def test_a_file_name_with_a_nul_byte_is_kept(db):
    stored = inbound_file_process(name="bad\x00name.835", content=b"not x12")

    assert stored.status == FileStatus.QUARANTINED
    assert stored.name == "bad\\x00name.835"


def open_fixture(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[1] / "x12" / "fixtures" / name).read_text()

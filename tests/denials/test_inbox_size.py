"""Inbound files over RCM_INBOUND_MAX_BYTES are quarantined by their size, never read whole."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from denials import inbox
from denials.inbox import era_post, inbound_file_process, inbox_poll
from denials.models import Remittance
from denials.posting import PostingRefused
from rcm.clearinghouse.gateway import INBOUND_HEAD_BYTES, InboundFile
from rcm.files.models import FileKind, FileStatus, StoredFile
from tests.denials.fixtures import PAYEE_NPI, one_claim_payment
from tests.denials.test_inbox import FakeInbox
from tests.factories import PracticeFactory

LIMIT = 100_000


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.RCM_INBOUND_MAX_BYTES = LIMIT


def padded(size: int) -> bytes:
    """A real, balanced 835 made `size` bytes long by trailing blanks (which the reader skips)."""
    content = one_claim_payment(trace="T1", npi=PAYEE_NPI)
    return content + b" " * (size - len(content))


def test_a_file_at_the_limit_is_applied(db):
    PracticeFactory(npi=PAYEE_NPI)

    stored = inbound_file_process(name="at-limit.835", content=padded(LIMIT))

    assert (stored.status, stored.error) == (FileStatus.PROCESSED, "")
    assert Remittance.objects.count() == 1


def test_a_file_over_the_limit_is_quarantined_by_its_size_and_only_its_head_kept(db):
    PracticeFactory(npi=PAYEE_NPI)
    content = padded(LIMIT + 1)

    stored = inbound_file_process(name="big.835", content=content)

    assert stored.status == FileStatus.QUARANTINED
    assert stored.kind == FileKind.UNKNOWN
    assert stored.error == (
        "the file is 0.1 MB (100,001 bytes), over the 0.1 MB limit for inbound files "
        "(RCM_INBOUND_MAX_BYTES); it was not read, only its first 65,536 bytes kept"
    )
    assert stored.content.read() == content[:INBOUND_HEAD_BYTES]
    assert not Remittance.objects.exists()


def test_a_head_fetched_with_its_size_is_quarantined_by_the_size(db):
    head = one_claim_payment(trace="T1", npi=PAYEE_NPI)

    stored = inbound_file_process(name="huge.835", content=head, size=25 * 1024 * 1024)

    assert stored.status == FileStatus.QUARANTINED
    assert stored.error.startswith("the file is 25.0 MB (26,214,400 bytes), over the 0.1 MB")
    assert stored.content.read() == head
    assert not Remittance.objects.exists()


def test_era_post_refuses_a_file_over_the_limit(db):
    PracticeFactory(npi=PAYEE_NPI)

    with pytest.raises(PostingRefused, match=r"over the 0\.1 MB limit for inbound files"):
        era_post(content=padded(LIMIT + 1), name="big.835")

    assert not Remittance.objects.exists()
    assert StoredFile.objects.get().status == FileStatus.QUARANTINED


def test_the_poll_quarantines_and_acknowledges_a_file_over_the_limit(db, monkeypatch):
    PracticeFactory(npi=PAYEE_NPI)
    fake = FakeInbox({})
    now = datetime.datetime.now(tz=datetime.UTC)
    big = InboundFile("big.835", b"ISA*00*", now, size=LIMIT * 50)
    monkeypatch.setattr(fake, "fetch", lambda: [] if "big.835" not in fake.files else [big])
    fake.files["big.835"] = b""
    monkeypatch.setattr(inbox, "_transports", lambda: [("fake", None)])
    monkeypatch.setattr(inbox, "transport_for", lambda connection: fake)

    result = inbox_poll()

    assert (result.fetched, result.quarantined, result.errors) == (1, 1, [])
    assert fake.files == {}  # acknowledged: not fetched again every minute
    assert "5,000,000 bytes" in StoredFile.objects.get().error


def test_import_era_refuses_a_file_over_the_limit(db, tmp_path: Path):
    path = tmp_path / "big.835"
    path.write_bytes(padded(LIMIT + 1))

    for args in ([str(path)], [str(path), "--dry-run"]):
        with pytest.raises(CommandError, match=re.escape("over the 0.1 MB limit")):
            call_command("import_era", *args, stdout=StringIO())

    assert not Remittance.objects.exists()
    assert StoredFile.objects.get().status == FileStatus.QUARANTINED

"""The inbox: every received file ends applied or quarantined, never retried forever, and two
processes receiving the same file or the same payment at once post it once, without a crash."""

from __future__ import annotations

import contextlib
import datetime
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings

from denials import inbox
from denials.inbox import era_post, inbound_file_process, inbox_poll
from denials.models import ClaimPayment, Remittance
from denials.posting import PostingRefused, PostingResult
from rcm.clearinghouse.gateway import InboundFile
from rcm.files import services as file_services
from rcm.files.models import FileKind, FileStatus, StoredFile
from tests.denials.fixtures import PAYEE_NPI, one_claim_payment
from tests.factories import PracticeFactory
from tests.x12.test_fuzz import EXAMPLES, mutated_files

ISA = (
    "ISA*00*          *00*          *ZZ*NORTHWIND      *ZZ*RCMTEST        *261127*1200*^*"
    "00501*000000301*0*T*:~"
)


def test_an_interchange_without_a_group_is_quarantined_with_the_reason(db):
    stored = inbound_file_process(name="empty.x12", content=f"{ISA}IEA*0*000000301~".encode())

    assert stored.status == FileStatus.QUARANTINED
    assert stored.kind == FileKind.UNKNOWN
    assert stored.error.startswith("the interchange holds no functional group")


def test_a_group_without_a_transaction_is_quarantined_with_the_reason(db):
    content = f"{ISA}GS*HP*A*B*20261127*1200*1*X*005010X221A1~GE*0*1~IEA*1*000000301~"

    stored = inbound_file_process(name="empty.x12", content=content.encode())

    assert stored.status == FileStatus.QUARANTINED
    assert stored.error.startswith("functional group 1 holds no transaction")


def test_a_huge_count_is_quarantined_not_raised(db):
    content = re.sub(
        rb"SE\*\d+\*", b"SE*" + b"7" * 4300 + b"*", one_claim_payment(trace="T1", npi=PAYEE_NPI)
    )

    stored = inbound_file_process(name="huge-count.835", content=content)

    assert stored.status == FileStatus.QUARANTINED
    assert "SE01 is not a count" in stored.error and "line" in stored.error
    assert not Remittance.objects.exists()


def test_an_unexpected_error_quarantines_the_file_with_a_generic_reason(db, monkeypatch, caplog):
    PracticeFactory(npi=PAYEE_NPI)

    def broken(**kwargs: Any) -> PostingResult:
        raise KeyError("something nobody foresaw")

    monkeypatch.setattr(inbox, "era_apply", broken)

    with caplog.at_level(logging.ERROR, logger="denials.inbox"):
        stored = inbound_file_process(
            name="odd.835", content=one_claim_payment(trace="T1", npi=PAYEE_NPI)
        )

    assert stored.status == FileStatus.QUARANTINED
    assert stored.error == "could not be processed: KeyError"
    assert "Traceback" in caplog.text and "something nobody foresaw" in caplog.text
    assert not Remittance.objects.exists()


def test_an_unexpected_error_in_era_post_is_a_refusal(db, monkeypatch):
    PracticeFactory(npi=PAYEE_NPI)
    monkeypatch.setattr(inbox, "era_apply", lambda **kwargs: 1 / 0)

    with pytest.raises(PostingRefused, match="could not be processed: ZeroDivisionError"):
        era_post(content=one_claim_payment(trace="T1", npi=PAYEE_NPI), name="odd.835")

    assert not Remittance.objects.exists()


class FakeInbox:
    """A transport whose inbox holds the given files until they are acknowledged."""

    name = "fake"

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)

    def fetch(self) -> list[InboundFile]:
        now = datetime.datetime.now(tz=datetime.UTC)
        return [InboundFile(name, content, now) for name, content in self.files.items()]

    def acknowledge(self, names: list[str]) -> None:
        for name in names:
            self.files.pop(name, None)


def test_the_poll_acknowledges_a_file_that_broke_in_an_unforeseen_way(db, monkeypatch):
    PracticeFactory(npi=PAYEE_NPI)
    fake = FakeInbox(
        {
            "odd.835": one_claim_payment(trace="T1", npi=PAYEE_NPI),
            "huge.999": f"{ISA}GS*FA*A*B*20261127*1200*1*X*005010X231A1~GE*{'9' * 4300}*1~"
            "IEA*1*000000301~".encode(),
        }
    )
    monkeypatch.setattr(inbox, "_transports", lambda: [("fake", None)])
    monkeypatch.setattr(inbox, "transport_for", lambda connection: fake)
    monkeypatch.setattr(inbox, "era_apply", lambda **kwargs: 1 / 0)

    first = inbox_poll()
    second = inbox_poll()

    assert (first.fetched, first.quarantined, first.errors) == (2, 2, [])
    assert fake.files == {}
    assert second.fetched == 0
    errors = dict(StoredFile.objects.values_list("name", "error"))
    assert errors["odd.835"] == "could not be processed: ZeroDivisionError"
    assert "GE01 is not a count" in errors["huge.999"]


# --- two processes at once ------------------------------------------------------------------------


def race(target: Callable[[], object], wrap: tuple[Any, str], count: int = 2) -> list[object]:
    """Run `target` in `count` threads; every thread waits at the wrapped function until all
    have reached it (or 2 s passed: the code under test may rightly keep the others out)."""
    owner, name = wrap
    original = getattr(owner, name)
    barrier = threading.Barrier(count, timeout=2)

    def gathered(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return original(*args, **kwargs)

    outcomes: list[object] = []

    def run() -> None:
        try:
            outcomes.append(target())
        except Exception as error:  # the test reports whatever escaped
            outcomes.append(error)
        finally:
            connection.close()

    setattr(owner, name, gathered)
    try:
        threads = [threading.Thread(target=run) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        setattr(owner, name, original)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_processes_importing_the_same_file_post_it_once():
    PracticeFactory(npi=PAYEE_NPI)
    content = one_claim_payment(trace="T1", npi=PAYEE_NPI)

    outcomes = race(
        lambda: era_post(content=content, name="same.835"),
        (file_services, "stored_file_save"),
    )

    assert all(isinstance(o, PostingResult) for o in outcomes), outcomes
    results = [o for o in outcomes if isinstance(o, PostingResult)]
    assert sorted(r.duplicate for r in results) == [False, True]
    assert StoredFile.objects.count() == 1
    assert (Remittance.objects.count(), ClaimPayment.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_two_files_with_the_same_payment_at_once_post_it_once():
    from denials import posting

    PracticeFactory(npi=PAYEE_NPI)
    contents = iter(
        [
            one_claim_payment(trace="T1", npi=PAYEE_NPI),
            one_claim_payment(trace="T1", npi=PAYEE_NPI).replace(b"000000301", b"000000302"),
        ]
    )
    lock = threading.Lock()

    def post() -> PostingResult:
        with lock:
            content = next(contents)
        return era_post(content=content, name="payment.835")

    outcomes = race(post, (posting, "_already_posted"))

    assert all(isinstance(o, PostingResult) for o in outcomes), outcomes
    results = [o for o in outcomes if isinstance(o, PostingResult)]
    assert sorted(r.remittances_posted for r in results) == [[], ["T1"]]
    assert sorted(r.remittances_skipped for r in results) == [[], ["T1"]]
    assert (Remittance.objects.count(), ClaimPayment.objects.count()) == (1, 1)
    assert StoredFile.objects.filter(status=FileStatus.PROCESSED).count() == 2


# --- fuzzed: whatever arrives ends applied or quarantined ----------------------------------------


@settings(
    max_examples=max(10, EXAMPLES // 2),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated_files())
def test_every_received_file_ends_applied_or_quarantined(db, data):
    stored = inbound_file_process(name="fuzzed.x12", content=data)

    assert stored.status in (FileStatus.PROCESSED, FileStatus.QUARANTINED)
    if stored.status == FileStatus.QUARANTINED:
        assert stored.error and not stored.error.startswith("could not be processed"), stored.error

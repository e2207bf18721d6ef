"""Faults, for real: a worker SIGKILLed mid-batch, Redis and PostgreSQL stopped and restarted.

Every process is real (gunicorn, Celery workers, the driver) and runs as the app role against a
stack of its own (tests/ops/stack.py): its own PostgreSQL cluster and Redis, so nothing here
touches the suite's database or a developer's servers. What must hold after each fault: no claim
sent twice, none lost, no payment posted twice, and the web app serving what it can.
"""

from __future__ import annotations

import re
import sys

import pytest
import requests
from django.db import connection

from tests.ops.stack import REPO, Stack, running_stack, wait_until

CLAIMS = 40
SEND_PENDING = ("claims.tasks.send_pending_batches_task", "submission")  # beat, every minute
POLL_INBOX = ("denials.tasks.poll_inbox_task", "inbox")  # beat, every minute


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        source = dict(connection.settings_dict)
    with running_stack(source) as running:
        yield running


@pytest.fixture(scope="module")
def practices(stack):
    """Three practices with a biller and CLAIMS ready claims each, one per fault."""
    return stack.driver("seed", "--practices", "3", "--claims", str(CLAIMS))


@pytest.fixture(scope="module")
def base_url(stack):
    return stack.web()


def assert_each_claim_went_once(stack: Stack, practice: int) -> dict:
    facts = stack.report(practice)
    assert facts["statuses"].get("queued", 0) == 0, facts
    assert facts["claims_in_a_batch"] == CLAIMS, facts  # none lost
    assert facts["most_batches_for_one_claim"] == 1, facts  # none in two batches
    assert facts["claims_adjudicated"] == CLAIMS, facts  # the payer got every one
    assert facts["most_adjudications_for_one_claim"] == 1, facts  # ... once
    assert set(facts["batches"]) == {"sent"}, facts
    return facts


def all_sent(stack: Stack, practice: int) -> bool:
    facts = stack.report(practice)
    return not facts["statuses"].get("queued") and set(facts["batches"]) == {"sent"}


def signed_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base_url}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base_url}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/login/"},
        timeout=10,
    )
    assert answer.status_code == 200 and "/login/" not in answer.url, answer.text[:500]
    return session


def submit_all_ready(session: requests.Session, base_url: str) -> requests.Response:
    queue_page = f"{base_url}/claims/queue/ready/"
    return session.post(
        f"{base_url}/claims/submit-ready/",
        data={"csrfmiddlewaretoken": session.cookies.get("csrftoken")},
        headers={"Referer": queue_page},
        timeout=30,
    )


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    stack, practices, base_url
):
    practice = practices[0]
    biller = signed_in(base_url, practice["username"], practice["password"])
    # It holds the written batch's locks 30 s before committing: time enough to kill it
    # mid-batch, however fast a batch of 40 claims is built.
    doomed = stack.worker("doomed", {"RCM_FAULT_PAUSE_IN_BATCH_SECONDS": "30"})

    answer = submit_all_ready(biller, base_url)
    assert answer.status_code == 200 and f"{CLAIMS} claims queued" in answer.text

    # SIGKILL while it holds the claims' row locks: the batch is half written, nothing sent.
    wait_until(
        lambda: stack.sql(
            "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.relation = 'claims_claim'::regclass AND a.usename = 'rcm_app'"
        ),
        30,
        "the worker to lock the claims",
        interval=0.01,
    )
    stack.kill(doomed)
    assert stack.report(practice["practice"])["claims_adjudicated"] == 0

    # A new worker; the dead one's task comes back after its visibility timeout, and beat's
    # sweep builds whatever is still queued. Either may get there first: each claim goes once.
    stack.worker("successor")
    stack.enqueue(*SEND_PENDING)
    wait_until(lambda: all_sent(stack, practice["practice"]), 40, "every claim to be sent", 0.5)
    stack.enqueue(*SEND_PENDING)

    assert_each_claim_went_once(stack, practice["practice"])


def test_with_redis_down_pages_still_render_health_says_503_and_nothing_is_lost(
    stack, practices, base_url
):
    practice = practices[1]
    stack.ensure_worker()
    biller = signed_in(base_url, practice["username"], practice["password"])
    stack.stop_redis()
    try:
        health = requests.get(f"{base_url}/health/", timeout=20)
        assert health.status_code == 503
        assert health.json()["status"] == "unhealthy"
        assert health.json()["database"] == "ok"
        assert health.json()["redis"].startswith("error")

        # Pages that need only the database still work, and so does submitting: the claims
        # are queued in the database, and sent once Redis is back.
        queue = biller.get(f"{base_url}/claims/queue/ready/", timeout=20)
        assert queue.status_code == 200
        chart = biller.get(f"{base_url}/patients/{practice['patient']}/", timeout=20)
        assert chart.status_code == 200 and "Faultline" in chart.text
        answer = submit_all_ready(biller, base_url)
        assert answer.status_code == 200, answer.text[:300]
        assert f"{CLAIMS} claims queued" in answer.text
    finally:
        stack.start_redis()

    assert requests.get(f"{base_url}/health/", timeout=20).status_code == 200
    stack.enqueue(*SEND_PENDING)  # beat, once Redis is back
    wait_until(lambda: all_sent(stack, practice["practice"]), 40, "every claim to be sent", 0.5)
    assert_each_claim_went_once(stack, practice["practice"])


def test_postgres_restarted_health_says_503_then_everything_recovers_and_posts_once(
    stack, practices, base_url
):
    practice = practices[2]
    stack.ensure_worker()
    biller = signed_in(base_url, practice["username"], practice["password"])
    assert submit_all_ready(biller, base_url).status_code == 200
    wait_until(lambda: all_sent(stack, practice["practice"]), 40, "every claim to be sent", 0.5)

    stack.stop_postgres()
    try:
        health = requests.get(f"{base_url}/health/", timeout=20)
        assert health.status_code == 503
        assert health.json()["database"].startswith("error")
        # Tasks that run meanwhile fail (and are retried by beat); nothing half done stays.
        stack.enqueue(*POLL_INBOX)
    finally:
        stack.start_postgres()

    # The same web processes and worker, with their old connections: they reconnect.
    wait_until(
        lambda: requests.get(f"{base_url}/health/", timeout=20).status_code == 200,
        20,
        "the web app to reconnect",
        0.5,
    )
    assert biller.get(f"{base_url}/claims/queue/ready/", timeout=20).status_code == 200

    # The 835s: beat's poll on the worker, and another poll at the same moment in a process of
    # its own. Each payment is posted once.
    stack.enqueue(*POLL_INBOX)
    other = stack.spawn(
        [sys.executable, str(REPO / "tests" / "ops" / "driver.py"), "poll-inbox"], "poll"
    )
    assert other.wait(timeout=60) == 0, stack.log("poll")[-3000:]
    wait_until(
        lambda: stack.report(practice["practice"])["claims_paid"] == CLAIMS,
        40,
        "every claim to be paid",
        0.5,
    )
    stack.enqueue(*POLL_INBOX)
    facts = assert_each_claim_went_once(stack, practice["practice"])
    assert facts["most_payments_for_one_claim"] == 1, facts

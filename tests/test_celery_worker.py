"""A real Celery worker, on the real Redis broker, runs our tasks."""

from __future__ import annotations

import datetime
import time
import uuid

from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.utils import timezone

from rcm.celery import app
from rcm.practice.tasks import HEARTBEAT_KEY, worker_heartbeat


def test_a_worker_runs_the_heartbeat_through_redis():
    queue = f"test-{uuid.uuid4().hex}"  # our own queue: a running `make run` worker can't steal it
    cache.delete(HEARTBEAT_KEY)
    sent_at = timezone.now()
    with start_worker(app, pool="solo", queues=[queue], perform_ping_check=False):
        worker_heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + 20
        while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    stamp = cache.get(HEARTBEAT_KEY)
    assert stamp is not None, "the worker never ran the task"
    assert datetime.datetime.fromisoformat(stamp) >= sent_at

"""A real Celery worker, on the real Redis broker, runs our tasks."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils import timezone

from rcm.practice.tasks import HEARTBEAT_KEY, worker_heartbeat


def test_a_worker_runs_the_heartbeat_through_redis(celery_worker_on_queue):
    cache.delete(HEARTBEAT_KEY)
    sent_at = timezone.now()

    worker_heartbeat.delay()

    celery_worker_on_queue.wait_for(lambda: cache.get(HEARTBEAT_KEY) is not None)
    assert datetime.datetime.fromisoformat(cache.get(HEARTBEAT_KEY)) >= sent_at

"""Housekeeping tasks: a heartbeat so administrators can see that workers and beat are alive."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from rcm.practice.selectors import HEARTBEAT_KEY


@shared_task(name="rcm.practice.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> str:
    """Sent by beat every 30 s and run by a worker: proves the broker, beat and a worker work."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now

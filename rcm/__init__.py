"""RCM: revenue-cycle management for physician practices and billing agencies."""

from rcm.celery import app as celery_app

__all__ = ["celery_app"]

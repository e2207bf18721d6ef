"""Load on the pages people use all day: billers' queues, front-desk patient search, code search.

Run by bench/bench_load.py (`make load`), which starts gunicorn with the demo data and locust
headless. Each simulated person signs in once as a demo user of their role and then works with a
think time of 1-3 s, as a person at a desk would.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from typing import Any

import requests
from locust import HttpUser, between, events, task

PASSWORD = "demo-rcm-2026"  # the demo logins' shared password (manage.py demo_logins)
LAST_NAMES = ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Martinez", "Wilson", "Lee"]
PREFIXES = ["Sm", "John", "Gar", "Mil", "Dav", "Mart", "Wil", "Le"]
MISSPELLED = ["Smtih", "Jonson", "Garica", "Miler", "Davsi", "Martinex", "Wilsen"]
ICD_QUERIES = ["diabetes", "htn", "copd exacerbation", "chest pain", "uti", "E11.9", "asthma"]
CPT_QUERIES = ["office visit", "99213", "nebulizer", "flu vaccine", "ekg"]


_sessions: dict[str, dict[str, str | None]] = {}
_signing_in = threading.Lock()  # gevent's, under locust: the others of a role wait for the first


def _sign_in(host: str, username: str) -> dict[str, str | None]:
    """One real sign-in per role, shared by that role's simulated people (see below)."""
    session = requests.Session()
    page = session.get(f"{host}/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    answer = session.post(
        f"{host}/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": f"{host}/login/"},
        timeout=60,
    )
    if "/login/" in answer.url:
        raise RuntimeError(f"could not sign in as {username}: load the demo data (make data)")
    return session.cookies.get_dict()


class Person(HttpUser):
    """A person at a desk, already signed in: 50 sign-ins in the first seconds would be a burst
    of password hashing (PBKDF2, slow by design) that a real morning spreads over an hour."""

    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self) -> None:
        with _signing_in:
            if self.username not in _sessions:
                _sessions[self.username] = _sign_in(self.host or "", self.username)
        self.client.cookies.update(_sessions[self.username])


# Every page's response time, for bench/load/run.py's summary (locust's CSV has no p50 of all).
_work: dict[str, Any] = {"times": [], "failures": 0, "first": None, "last": None}


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_: Any) -> None:
    now = time.monotonic()
    _work["first"] = _work["first"] or now
    _work["last"] = now
    _work["times"].append(response_time)
    _work["failures"] += exception is not None


@events.test_stop.add_listener
def _summarise(**_: Any) -> None:
    path = os.environ.get("RCM_LOAD_SUMMARY")
    times = sorted(_work["times"])
    if not path or not times:
        return
    elapsed = max((_work["last"] or 0) - (_work["first"] or 0), 1e-9)

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))])

    summary = {
        "requests": len(times),
        "failures": _work["failures"],
        "per_second": round(len(times) / elapsed, 1),
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
    }
    with open(path, "w") as handle:
        json.dump(summary, handle)


class Biller(Person):
    weight = 2
    username = "agency"  # biller in both demo practices: the largest queues

    @task(3)
    def ready_queue(self) -> None:
        self.client.get("/claims/queue/ready/", name="queue: ready")

    @task(2)
    def waiting_queue(self) -> None:
        self.client.get("/claims/queue/waiting/", name="queue: waiting")

    @task(2)
    def denied_queue(self) -> None:
        self.client.get("/claims/queue/denied/", name="queue: denied")

    @task(1)
    def rejected_queue(self) -> None:
        self.client.get("/claims/queue/rejected/", name="queue: rejected")


class FrontDesk(Person):
    weight = 2
    username = "frontdesk"

    @task(3)
    def last_name(self) -> None:
        self.client.get(f"/patients/?q={random.choice(LAST_NAMES)}", name="patients: last name")

    @task(2)
    def prefix(self) -> None:
        self.client.get(f"/patients/?q={random.choice(PREFIXES)}", name="patients: prefix")

    @task(2)
    def misspelled(self) -> None:
        self.client.get(f"/patients/?q={random.choice(MISSPELLED)}", name="patients: misspelled")


class Coder(Person):
    weight = 1
    username = "coder"

    @task(3)
    def icd(self) -> None:
        query = random.choice(ICD_QUERIES)
        self.client.get(f"/coding/codes/search/?system=icd10&q={query}", name="codes: icd10")

    @task(1)
    def cpt(self) -> None:
        query = random.choice(CPT_QUERIES)
        self.client.get(f"/coding/codes/search/?system=cpt&q={query}", name="codes: cpt")

    @task(1)
    def worklist(self) -> None:
        self.client.get("/coding/worklist/", name="coding worklist")

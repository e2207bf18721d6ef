"""Searches are GET: what a request logs must hold its path, never its query string."""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

from django.urls import reverse
from gunicorn.config import Config
from gunicorn.glogging import Logger
from rest_framework.test import APIClient

from rcm import gunicorn_conf
from rcm.web.authentication import api_token_issue
from rcm.web.log_filters import NoQueryStrings

SEARCH = "/patients/?q=Okafor+1961-04-12&member=XK4471"


def test_gunicorns_access_log_holds_the_path_only():
    config = Config()
    config.set("access_log_format", gunicorn_conf.access_log_format)
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": SEARCH, "PATH_INFO": "/patients/",
        "QUERY_STRING": "q=Okafor+1961-04-12&member=XK4471", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5", "HTTP_REFERER": "https://rcm.example.org" + SEARCH,
        "HTTP_USER_AGENT": "test",
    }  # fmt: skip
    atoms = Logger(config).atoms(
        SimpleNamespace(status="200 OK", sent=10, headers=[]),
        SimpleNamespace(headers=[]),
        environ,
        datetime.timedelta(milliseconds=12),
    )

    line = gunicorn_conf.access_log_format % atoms

    assert '"GET /patients/ HTTP/1.1" 200' in line
    for phi in ("Okafor", "1961-04-12", "XK4471", "?"):
        assert phi not in line


def test_djangos_request_log_holds_the_path_only(client, biller, caplog):
    client.force_login(biller)
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get("/patients/999999999/?q=Okafor+1961-04-12")
    client.get(reverse("claim-queue", args=["no-such-queue"]) + "?member=XK4471")

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Not Found: /patients/999999999/" in logged
    for phi in ("Okafor", "1961", "XK4471"):
        assert phi not in logged


def test_every_log_line_passes_the_filter(settings):
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("no_query_strings" in h.get("filters", []) for h in handlers.values())
    assert settings.LOGGING["filters"]["no_query_strings"]["()"].endswith("NoQueryStrings")


def test_the_filter_cuts_any_url_at_its_query_string():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', ("GET " + SEARCH + " HTTP/1.1", 200),
        None,
    )  # fmt: skip
    NoQueryStrings().filter(record)
    assert record.getMessage() == '"GET /patients/ HTTP/1.1" 200'


def test_api_answers_are_never_stored(biller):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=biller).key}")
    assert api.get(reverse("api-patient-list"))["Cache-Control"] == "no-store"
    assert APIClient().get(reverse("api-patient-list"))["Cache-Control"] == "no-store"


def test_the_schema_and_docs_need_a_sign_in(biller):
    anonymous = APIClient()
    assert anonymous.get(reverse("api-schema")).status_code == 401
    assert anonymous.get(reverse("api-docs")).status_code == 401
    api = APIClient()
    api.force_authenticate(biller)
    assert api.get(reverse("api-schema")).status_code == 200

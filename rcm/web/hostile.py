"""Input no person types, refused at the door with a message: NUL characters, deep JSON.

PostgreSQL refuses the NUL character in text, so a NUL in a search or a form would reach the
database and answer 500; nothing a person means contains one. JSON nested deeper than any of
our payloads exhausts Python's recursion in the parser (or later, in a serializer).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

NUL = "\x00"
NUL_MESSAGE = "The request contains a NUL character (\\0), which no field accepts: remove it."
MAX_JSON_DEPTH = 32
DEEP_MESSAGE = f"The JSON is nested too deeply: at most {MAX_JSON_DEPTH} levels are accepted."


def _texts(request: HttpRequest) -> Iterator[str]:
    yield request.path
    for query in (request.GET, request.POST):
        for key, values in query.lists():
            yield key
            yield from values


class RefuseNulMiddleware:
    """A NUL anywhere in the path, the query string or a form answers 400 with a message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(NUL in text for text in _texts(request)):
            if request.path.startswith("/api/"):
                return JsonResponse({"non_field_errors": [NUL_MESSAGE]}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def safe_next_url(request: HttpRequest, fallback: str = "/") -> str:
    """The `next` the form posted if it is a path on this site (not another host, not '//',
    no control characters, not absurdly long), else `fallback`."""
    next_url = request.POST.get("next", "")
    if (
        not next_url.startswith("/")
        or next_url.startswith(("//", "/\\"))
        or len(next_url) > 2000
        or not next_url.isprintable()
        or not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    ):
        return fallback
    return next_url


def json_refusal(data: Any) -> str:
    """Why parsed JSON is refused ('' when it is not): too deep, or a NUL in a string.

    Walked without recursion, so the check itself cannot run out of stack.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                return DEEP_MESSAGE
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and NUL in key:
                    return NUL_MESSAGE
                stack.append((item, depth + 1))
        elif isinstance(value, str) and NUL in value:
            return NUL_MESSAGE
    return ""


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, with a depth limit and no NUL characters: both a 400 in words."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(DEEP_MESSAGE) from None
        except ValueError as error:
            raise ParseError(f"The JSON could not be read: {error}") from None
        refusal = json_refusal(data)
        if refusal:
            raise ParseError(refusal)
        return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")

"""A logging filter that keeps query strings (names, dates of birth, member ids) out of logs."""

from __future__ import annotations

import logging
import re

# A URL's query string: from "?" to the next space or quote.
QUERY_STRING = re.compile(r"\?[^\s\"']*")


def without_query_strings(text: str) -> str:
    return QUERY_STRING.sub("", text)


class NoQueryStrings(logging.Filter):
    """Every record leaves with its message's URLs cut at the "?" (path only)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg = without_query_strings(message)
            record.args = None
        request = getattr(record, "request", None)
        if request is not None:  # django.request attaches the request: keep only what is safe
            record.request = None
        return True

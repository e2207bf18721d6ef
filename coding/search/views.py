"""Code look-ups for the coding form (htmx fragments): the typeahead, and a code's tabular notes."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

from coding.codesets.selectors import code_get, code_seventh_characters, code_tabular_notes
from coding.models import CodeSystem
from coding.search.engine import CodeSearchResult, UnknownCodeSystem, code_search, system_from_name
from rcm.practice.permissions import BILLING, CODING, AuthenticatedRequest, role_required

FRAGMENT_LIMIT = 15


def _fragment(results: list[CodeSearchResult]) -> str:
    if not results:
        return format_html('<ul class="code-search" role="listbox"><li>{}</li></ul>', "No codes")
    rows = format_html_join(
        "",
        '<li role="option" class="{}" data-code="{}" aria-disabled="{}"><code>{}</code> {}</li>',
        (
            (
                "code-billable" if result.billable else "code-header",
                result.code,
                "false" if result.billable else "true",
                result.code,
                result.description,
            )
            for result in results
        ),
    )
    return format_html('<ul class="code-search" role="listbox">{}</ul>', rows)


@login_required
@require_GET
def code_search_fragment(request: HttpRequest) -> HttpResponse:
    """Billable codes are options to pick; headers (billable=False) are shown but disabled."""
    query = request.GET.get("q", "")[:200]
    try:
        system = system_from_name(name=request.GET.get("system", "icd10"))
    except UnknownCodeSystem as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    return HttpResponse(_fragment(code_search(query=query, system=system, limit=FRAGMENT_LIMIT)))


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_GET
@role_required(*CODING, *BILLING)
def code_notes_fragment(request: AuthenticatedRequest) -> HttpResponse:
    """A chosen diagnosis code's tabular notes (its own and its ancestors'), for the form."""
    day = _date(request.GET.get("date"))
    code = code_get(system=CodeSystem.ICD10CM, code=request.GET.get("code", ""), on=day)
    context = {
        "code": code,
        "notes": code_tabular_notes(code=code) if code is not None else [],
        "seventh": code_seventh_characters(code=code) if code is not None else {},
    }
    return render(request, "coding/_code_notes.html", context)

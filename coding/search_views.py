"""The htmx typeahead: an HTML fragment of codes matching what the coder has typed so far."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET

from coding.search import CodeSearchResult, UnknownCodeSystem, code_search, system_from_name

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


urlpatterns = [path("codes/search/", code_search_fragment, name="code-search-fragment")]

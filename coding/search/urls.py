"""Code look-ups: the typeahead and tabular-notes fragments, and the code search API."""

from django.urls import URLPattern, path

from coding.search import api, views

urlpatterns: list[URLPattern] = [
    path("coding/codes/search/", views.code_search_fragment, name="code-search-fragment"),
    path("coding/code-notes/", views.code_notes_fragment, name="coding-code-notes"),
]
api_urlpatterns: list[URLPattern] = [
    path("codes/search/", api.CodeSearchApi.as_view(), name="api-code-search"),
]

"""Coding's URLs: pages (`urlpatterns`, full paths) and API (`api_urlpatterns`, under api/)."""

from django.urls import URLPattern, URLResolver, include, path

from coding.search import urls as search

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("coding.home.urls")),
    path("", include("coding.worklist.urls")),
    path("", include("coding.encounter.urls")),
    path("", include("coding.search.urls")),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(search.api_urlpatterns)),
]

"""URLs filled in by the front-desk work (issue 4)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""API endpoints of the front desk (issue 4)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

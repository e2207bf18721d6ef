"""The coder's home page, /coding/."""

from django.urls import URLPattern, path

from coding.home import views

urlpatterns: list[URLPattern] = [path("coding/", views.home, name="home-coder")]
api_urlpatterns: list[URLPattern] = []

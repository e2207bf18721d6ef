"""The coder's worklist pages."""

from django.urls import URLPattern, path

from coding.worklist import views

urlpatterns: list[URLPattern] = [
    path("coding/worklist/", views.worklist, name="coding-worklist"),
    path("coding/worklist/next/", views.worklist_next, name="coding-next"),
    path("coding/encounters/<int:pk>/assign/", views.worklist_assign, name="coding-assign"),
]
api_urlpatterns: list[URLPattern] = []

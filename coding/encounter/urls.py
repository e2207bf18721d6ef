"""The coding form and its htmx fragments."""

from django.urls import URLPattern, path

from coding.encounter import views

urlpatterns: list[URLPattern] = [
    path("coding/encounters/<int:pk>/", views.coding_encounter, name="coding-encounter"),
    path("coding/encounters/<int:pk>/edits/", views.coding_edits_fragment, name="coding-edits"),
    path(
        "coding/encounters/<int:pk>/suggestions/",
        views.suggestions_fragment,
        name="coding-suggestions",
    ),
]
api_urlpatterns: list[URLPattern] = []

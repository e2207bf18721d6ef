"""Coder pages, under /coding/ (the coder's home page is /coding/ itself, in the web shell)."""

from django.urls import include, path

from coding import views

urlpatterns = [
    path("worklist/", views.worklist, name="coding-worklist"),
    path("worklist/next/", views.worklist_next, name="coding-next"),
    path("encounters/<int:pk>/", views.coding_encounter, name="coding-encounter"),
    path("encounters/<int:pk>/assign/", views.worklist_assign, name="coding-assign"),
    path("encounters/<int:pk>/edits/", views.coding_edits_fragment, name="coding-edits"),
    path(
        "encounters/<int:pk>/suggestions/",
        views.suggestions_fragment,
        name="coding-suggestions",
    ),
    path("code-notes/", views.code_notes_fragment, name="coding-code-notes"),
    path("", include("coding.search_views")),
]

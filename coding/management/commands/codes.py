"""`manage.py codes search|suggest|reindex`: code search and code suggestions, for scripts."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from importlib import import_module
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coding.codesets.cli import iso_date
from coding.models import CodeSetRelease
from coding.search.engine import UnknownCodeSystem, code_search, system_from_name
from coding.search.index import (
    SEARCHABLE_SYSTEMS,
    code_search_index_ensure,
    code_search_index_rebuild,
)


class Command(BaseCommand):
    help = (
        "Search codes (`codes search icd10 QUERY …`), suggest codes for clinical notes "
        "(`codes suggest --note-file FILE …`) or rebuild the search index (`codes reindex`)."
    )
    # A read-only scripting command: it needs the database, not the URL and admin checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        search = commands.add_parser("search", help="Codes matching each query, best first.")
        search.add_argument("system", help="icd10, cpt or hcpcs.")
        search.add_argument("queries", nargs="+", metavar="QUERY")
        search.add_argument("--limit", type=int, default=10)
        search.add_argument("--json", action="store_true", help="One JSON object on stdout.")
        search.add_argument("--date", type=iso_date, help="Use the release in force that day.")
        suggest = commands.add_parser("suggest", help="Codes suggested for clinical notes.")
        suggest.add_argument("--note-file", nargs="+", type=Path, required=True, dest="notes")
        suggest.add_argument("--limit", type=int, default=10)
        suggest.add_argument("--json", action="store_true", help="One JSON object on stdout.")
        reindex = commands.add_parser("reindex", help="Rebuild the search index of every release.")
        reindex.add_argument(
            "--if-missing",
            action="store_true",
            help="Only index releases that have no index yet (fast when nothing changed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "search":
            self._search(options)
        elif action == "suggest":
            self._suggest(options)
        elif options["if_missing"]:
            for each in CodeSetRelease.objects.filter(system__in=SEARCHABLE_SYSTEMS):
                code_search_index_ensure(release=each)
            self.stdout.write("Code search index: every release indexed.")
        else:
            for release, terms in code_search_index_rebuild().items():
                self.stdout.write(f"{release}: {terms:,} search terms")

    def _search(self, options: dict[str, Any]) -> None:
        try:
            system = system_from_name(name=options["system"])
        except UnknownCodeSystem as error:
            raise CommandError(str(error)) from error
        found = {
            query: [
                result.as_dict()
                for result in code_search(
                    query=query, system=system, limit=options["limit"], on=options["date"]
                )
            ]
            for query in options["queries"]
        }
        if options["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False))
            return
        for query, results in found.items():
            self.stdout.write(f"{query}:")
            for result in results:
                kind = "" if result["billable"] else "  (header)"
                self.stdout.write(f"  {result['code']:<9} {result['description']}{kind}")

    def _suggest(self, options: dict[str, Any]) -> None:
        # Imported here: suggestions are their own module and only this action needs them.
        suggest_codes = import_module("coding.suggest").suggest_codes

        found: dict[str, list[dict[str, object]]] = {}
        for path in options["notes"]:
            try:
                note = path.read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror or error}") from error
            found[str(path)] = [
                {
                    "code": item.code,
                    "description": item.description,
                    "score": item.score,
                    "evidence": item.evidence,
                }
                for item in suggest_codes(note, limit=options["limit"])
            ]
        if options["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False, default=str))
            return
        for path_name, items in found.items():
            self.stdout.write(f"{path_name}:")
            for entry in items:
                self.stdout.write(f"  {entry['code']:<9} {entry['score']}  {entry['description']}")

"""`manage.py import_ncci`: load CMS's quarterly NCCI practitioner PTP and MUE files."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Model

from coding.edits.cms_files import NcciFileError, effective_date_in_name, mue_rows, ptp_rows
from coding.models import MedicallyUnlikelyEdit, NcciPtpEdit

DATA = Path(settings.BASE_DIR) / "coding" / "data"
SHIPPED_PTP = DATA / "ncci_ptp_subset.csv"
SHIPPED_MUE = DATA / "mue_subset.csv"
SHIPPED_PTP_SOURCE = "CMS NCCI practitioner PTP 2026 Q1 (shipped subset)"
SHIPPED_MUE_SOURCE = "CMS NCCI practitioner MUE 2026 Q1 (shipped subset)"
SHIPPED_MUE_EFFECTIVE = date(2026, 1, 1)
BATCH = 5000
SOURCE_LENGTH = 100


class Command(BaseCommand):
    help = (
        "Import CMS's quarterly NCCI practitioner files: --ptp (the PTP text files, all parts) "
        "and/or --mue (the MUE table as CSV or text). Each replaces every row of its kind in one "
        "transaction; a bad row stops the import with the line at fault and writes nothing. "
        "--load-shipped loads the small shipped subsets when no CMS file has been loaded."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--ptp", type=Path, nargs="+", help="PTP file(s) (all parts).")
        parser.add_argument("--mue", type=Path, help="The practitioner MUE table.")
        parser.add_argument("--quarter", help="Label for the source, e.g. '2026 Q2'.")
        parser.add_argument(
            "--effective-date",
            type=date.fromisoformat,
            help="When the MUE values take effect (YYYY-MM-DD); default: from the file name.",
        )
        parser.add_argument("--load-shipped", action="store_true", help="Load the subsets.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["ptp"] or options["mue"] or options["load_shipped"]):
            raise CommandError("Give --ptp FILE, --mue FILE or --load-shipped.")
        try:
            if options["load_shipped"]:
                self._load_shipped()
            if options["ptp"]:
                self._import_ptp(options["ptp"], options["quarter"])
            if options["mue"]:
                self._import_mue(options["mue"], options["quarter"], options["effective_date"])
        except (NcciFileError, OSError) as error:
            raise CommandError(str(error)) from error

    def _import_ptp(self, paths: list[Path], quarter: str | None) -> None:
        label = quarter or ", ".join(path.name for path in paths)
        source = f"CMS NCCI practitioner PTP {label}"[:SOURCE_LENGTH]
        rows = [row for path in paths for row in ptp_rows(path, source=source)]
        if len({(row.column1, row.column2, row.effective_date) for row in rows}) != len(rows):
            raise CommandError("The PTP files repeat a pair with the same effective date.")
        self._replace(NcciPtpEdit, rows, f"NCCI PTP {label}: {len(rows):,} edits loaded")

    def _import_mue(self, path: Path, quarter: str | None, effective: date | None) -> None:
        effective = effective or effective_date_in_name(path)
        if effective is None:
            raise CommandError(f"{path.name}: give --effective-date (not in the file name).")
        label = quarter or path.name
        source = f"CMS NCCI practitioner MUE {label}"[:SOURCE_LENGTH]
        rows = mue_rows(path, effective_date=effective, source=source)
        self._replace(MedicallyUnlikelyEdit, rows, f"NCCI MUE {label}: {len(rows):,} limits loaded")

    def _replace(self, model: type[Model], rows: list[Any], done: str) -> None:
        with transaction.atomic():
            model._default_manager.all().delete()
            model._default_manager.bulk_create(rows, batch_size=BATCH)
        self.stdout.write(done)

    def _load_shipped(self) -> None:
        shipped = (
            (NcciPtpEdit, SHIPPED_PTP_SOURCE, "NCCI PTP shipped subset"),
            (MedicallyUnlikelyEdit, SHIPPED_MUE_SOURCE, "NCCI MUE shipped subset"),
        )
        for model, source, label in shipped:
            present = model._default_manager.values_list("source", flat=True).first()
            if present is not None:
                said = "already loaded" if present == source else f"skipped ({present} loaded)"
                self.stdout.write(f"{label}: {said}")
                continue
            if model is NcciPtpEdit:
                rows: list[Any] = ptp_rows(SHIPPED_PTP, source=source)
            else:
                rows = mue_rows(SHIPPED_MUE, effective_date=SHIPPED_MUE_EFFECTIVE, source=source)
            self._replace(model, rows, f"{label}: {len(rows)} rows loaded")

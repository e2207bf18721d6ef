"""`manage.py import_cpt FILE`: load a practice's licensed CPT file as a release."""

from __future__ import annotations

from pathlib import Path

from coding.codesets import cpt
from coding.codesets.cli import ReleaseFileImportCommand
from coding.codesets.records import CodeRecord
from coding.models import CodeSystem


class Command(ReleaseFileImportCommand):
    help = (
        "Import a licensed CPT file: a header row with code and description columns "
        "(short_description optional), comma-, tab- or bar-delimited. Bad input stops the import "
        "with the line at fault and writes nothing; importing the same version again changes "
        "nothing."
    )
    system = CodeSystem.CPT.value
    source_label = "Licensed AMA CPT file"

    def read(self, path: Path) -> list[CodeRecord]:
        return cpt.records(path)

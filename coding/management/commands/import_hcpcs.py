"""`manage.py import_hcpcs FILE`: load the full CMS HCPCS Level II quarterly file as a release."""

from __future__ import annotations

from pathlib import Path

from coding.codesets import hcpcs
from coding.codesets.cli import ReleaseFileImportCommand
from coding.codesets.records import CodeRecord
from coding.models import CodeSystem


class Command(ReleaseFileImportCommand):
    help = (
        "Import the CMS HCPCS file (HCPC{YEAR}_{MONTH}_ANWEB fixed-width TXT, or its XLSX saved "
        "as CSV) as one HCPCS release. Bad input stops the import with the line at fault and "
        "writes nothing; importing the same version again changes nothing."
    )
    system = CodeSystem.HCPCS.value
    source_label = "CMS HCPCS Level II file"

    def read(self, path: Path) -> list[CodeRecord]:
        return hcpcs.records(path)

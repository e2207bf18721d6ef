"""Code-set fixtures: the full ICD-10-CM release is loaded once per session, not per test."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from coding.codesets.selectors import release_get
from coding.codesets.shipped import shipped_sources
from coding.models import CodeSetRelease, CodeSystem

FIXTURES = Path(__file__).parent / "fixtures"


def run(command: str, *args: str) -> str:
    """Run a management command; what it printed."""
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _packaged_icd10cm_release() -> CodeSetRelease | None:
    spec = shipped_sources(systems=[CodeSystem.ICD10CM])[0].spec
    return release_get(system=spec.system, version=spec.version)


@pytest.fixture(scope="session")
def _icd10cm_session(django_db_setup, django_db_blocker):
    """Load the packaged ICD-10-CM once, committed; remove it at the end if we added it."""
    with django_db_blocker.unblock():
        added = _packaged_icd10cm_release() is None
        if added:
            run("load_codesets", "--system", CodeSystem.ICD10CM)
    yield
    with django_db_blocker.unblock():
        release = _packaged_icd10cm_release()
        if added and release is not None:
            release.delete()


@pytest.fixture
def icd10cm(_icd10cm_session, db) -> CodeSetRelease:
    """The packaged ICD-10-CM release (reloaded inside the test if a flushing test removed it)."""
    release = _packaged_icd10cm_release()
    if release is None:
        run("load_codesets", "--system", CodeSystem.ICD10CM)
        release = _packaged_icd10cm_release()
    assert release is not None
    return release

"""Claims fixtures: the packaged ICD-10-CM, for tests that complete a visit's coding."""

from tests.coding.conftest import _icd10cm_session, icd10cm  # noqa: F401 (fixtures)

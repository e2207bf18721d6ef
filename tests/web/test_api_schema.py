"""The OpenAPI schema documents every endpoint without a warning."""

from __future__ import annotations

from django.core.management import call_command


def test_schema_validates_with_no_warnings(db, tmp_path):
    # --fail-on-warn turns any undocumented response or name clash into an error here.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    schema = (tmp_path / "s.yml").read_text()
    for path in ("/api/patients/", "/api/claims/", "/api/visits/", "/api/coverages/{id}/"):
        assert path in schema, path

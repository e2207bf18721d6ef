"""pg_trgm and the indexes behind patient search (patients.selectors.patient_list) and duplicates."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Each index names the query it serves. They are plain SQL (not model Meta indexes) because they
# index expressions with operator classes that only the search queries use.
SEARCH_INDEXES = [
    (
        "patient_last_prefix_idx",
        # patient_list: a name term of one or two letters, UPPER(last_name) LIKE 'SM%'.
        "CREATE INDEX patient_last_prefix_idx ON patients_patient "
        "(UPPER(last_name) text_pattern_ops)",
    ),
    (
        "patient_first_prefix_idx",
        # patient_list: a name term of one or two letters, UPPER(first_name) LIKE 'JO%'.
        "CREATE INDEX patient_first_prefix_idx ON patients_patient "
        "(UPPER(first_name) text_pattern_ops)",
    ),
    (
        "patient_last_trgm_idx",
        # patient_list: a name term of three letters or more, UPPER(last_name) LIKE '%SMI%',
        # and the misspelling fallback, UPPER(last_name) % 'SMYTH'.
        "CREATE INDEX patient_last_trgm_idx ON patients_patient "
        "USING gin (UPPER(last_name) gin_trgm_ops)",
    ),
    (
        "patient_first_trgm_idx",
        # patient_list: the same two queries on the first name.
        "CREATE INDEX patient_first_trgm_idx ON patients_patient "
        "USING gin (UPPER(first_name) gin_trgm_ops)",
    ),
    (
        "patient_mrn_prefix_idx",
        # patient_list: a term with digits, UPPER(mrn) LIKE 'MRN0012%' (current and merged MRNs).
        "CREATE INDEX patient_mrn_prefix_idx ON patients_patient (UPPER(mrn) text_pattern_ops)",
    ),
    (
        "coverage_member_prefix_idx",
        # patient_list: a term with digits, UPPER(member_id) LIKE 'XWZ1234%'.
        "CREATE INDEX coverage_member_prefix_idx ON patients_coverage "
        "(UPPER(member_id) text_pattern_ops)",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("patients", "0004_front_desk")]

    operations = [
        TrigramExtension(),
        *(
            migrations.RunSQL(sql=create, reverse_sql=f"DROP INDEX IF EXISTS {name}")
            for name, create in SEARCH_INDEXES
        ),
    ]

"""An index for the member-id half of patient search, with the practice filter it always has."""

from django.db import migrations

# Serves patients.registration.selectors._ids_by_number, the member-id lookup of a search term
# with digits:
#   SELECT patient_id FROM patients_coverage
#    WHERE practice_id IN (…) AND UPPER(member_id::text) LIKE UPPER('XW00001%') LIMIT 500
# One index range scan per practice, answered from the index alone (patient_id is included).
# The older coverage_member_prefix_idx lacks the practice, so the planner, with statistics, often
# preferred scanning coverage_member_idx (practice, member_id) and filtering every coverage of
# the practice; bench/bench_patient_search.py --explain showed no prefix index for this query.
CREATE = (
    "CREATE INDEX coverage_practice_member_prefix_idx ON patients_coverage "
    "(practice_id, UPPER(member_id) text_pattern_ops) INCLUDE (patient_id)"
)


class Migration(migrations.Migration):
    dependencies = [("patients", "0006_encounter_events")]

    operations = [
        migrations.RunSQL(
            sql=CREATE, reverse_sql="DROP INDEX IF EXISTS coverage_practice_member_prefix_idx"
        ),
    ]

"""Indexes behind the queues' reason filter (claims/reason_filter.py): open edits by id, notes by
words."""

from django.db import migrations, models

# The note search is UPPER(note) LIKE UPPER('%words%') (Django's icontains): a trigram index
# serves it, as patient search's (patients 0005, which created pg_trgm).
NOTE_TRGM = (
    "CREATE INDEX claim_event_note_trgm_idx ON claims_claimevent "
    "USING gin (UPPER(note) gin_trgm_ops)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_claim_queue_indexes"),
        ("patients", "0005_patient_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claimedit",
            index=models.Index(
                condition=models.Q(("overridden_at__isnull", True)),
                fields=["edit"],
                name="claim_edit_open_idx",
            ),
        ),
        migrations.RunSQL(
            sql=NOTE_TRGM, reverse_sql="DROP INDEX IF EXISTS claim_event_note_trgm_idx"
        ),
    ]

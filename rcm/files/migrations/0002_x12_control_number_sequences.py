"""Sequences for X12 control numbers: unique, never reused, never past nine digits."""

from django.db import migrations

SEQUENCES = ["x12_interchange_control_seq", "x12_group_control_seq", "x12_transaction_control_seq"]


class Migration(migrations.Migration):
    dependencies = [("files", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE SEQUENCE {name} MINVALUE 1 MAXVALUE 999999999 NO CYCLE;",
            reverse_sql=f"DROP SEQUENCE {name};",
        )
        for name in SEQUENCES
    ]

"""A visit may be marked self-pay by the front desk."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0009_clinical_note_limit"),
    ]

    operations = [
        migrations.AddField(
            model_name="encounter",
            name="self_pay",
            field=models.BooleanField(
                default=False,
                help_text="The patient pays this visit; no claim is sent to their insurance.",
                verbose_name="self-pay",
            ),
        ),
    ]

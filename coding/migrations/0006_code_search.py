"""Code search: searchable terms (tsvector GIN) and the vocabulary (pg_trgm GIN); coding.search."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coding", "0005_ncci_edits"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="CodeSearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.PositiveSmallIntegerField(
                        choices=[(0, "Description"), (1, "Inclusion term")]
                    ),
                ),
                ("term", models.TextField()),
                (
                    "length",
                    models.FloatField(
                        help_text="Informative words in the term: shorter is more general."
                    ),
                ),
                ("billable", models.BooleanField()),
                ("extension", models.BooleanField(help_text="A 7th-character code (S52.91XA).")),
                ("document", django.contrib.postgres.search.SearchVectorField()),
                (
                    "code",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_terms",
                        to="coding.code",
                    ),
                ),
                (
                    "release",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="coding.codesetrelease",
                    ),
                ),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["document"], name="code_search_document_idx"
                    ),
                    models.Index(fields=["release", "kind"], name="code_search_release_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="CodeSearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60)),
                ("frequency", models.PositiveIntegerField()),
                (
                    "release",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="coding.codesetrelease",
                    ),
                ),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["word"],
                        name="code_search_word_trgm_idx",
                        opclasses=["gin_trgm_ops"],
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("release", "word"), name="code_search_word_unique"
                    )
                ],
            },
        ),
    ]

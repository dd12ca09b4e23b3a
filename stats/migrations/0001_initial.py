"""Take over the Publication model from the questionnaire app; the table stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("questionnaire", "0003_publications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Publication",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("site_key", models.PositiveIntegerField()),
                        ("period", models.CharField(max_length=7)),
                        ("threshold", models.PositiveSmallIntegerField()),
                        ("published_on", models.DateField()),
                        ("data", models.JSONField()),
                    ],
                    options={
                        "db_table": "questionnaire_publication",
                        "constraints": [
                            models.UniqueConstraint(fields=("site_key", "period", "threshold"), name="publication_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

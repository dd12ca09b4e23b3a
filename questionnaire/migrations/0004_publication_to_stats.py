"""Hand the Publication model to the stats app; the table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("questionnaire", "0003_publications"),
        ("stats", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Publication")],
            database_operations=[],
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """Room for a rolling window's label ("2026-Q3-4Q") beside "2026-09", "2026-Q3" and "2026"."""

    dependencies = [
        ("stats", "0005_publication_version"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publication",
            name="period",
            field=models.CharField(max_length=10),
        ),
    ]

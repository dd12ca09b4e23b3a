"""Delete the "item" rollup rows: one per results item shown per site-month, written
with every shared check-in and read by nothing (the results items are not
published; each check-in's items stay as its CheckInItem rows).

Reversing rebuilds them from the CheckInItem rows (a month that retention removed
has no rows left to rebuild from).
"""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncMonth


def delete_item_rollups(apps, schema_editor):
    apps.get_model("questionnaire", "Rollup").objects.filter(dimension="item").delete()


def rebuild_item_rollups(apps, schema_editor):
    Rollup = apps.get_model("questionnaire", "Rollup")
    CheckInItem = apps.get_model("questionnaire", "CheckInItem")
    rows = (CheckInItem.objects.annotate(month=TruncMonth("checkin__submitted_on"))
            .values_list("checkin__site_id", "month", "item_id").annotate(n=Count("id")))
    Rollup.objects.bulk_create(
        Rollup(site_key=site_id or 0, month=month, dimension="item", value=item_id, count=n, total=0)
        for site_id, month, item_id, n in rows)


class Migration(migrations.Migration):

    dependencies = [
        ("questionnaire", "0008_checkin_med_moud"),
    ]

    operations = [
        migrations.RunPython(delete_item_rollups, rebuild_item_rollups, elidable=True),
    ]

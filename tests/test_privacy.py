"""Privacy by design: what is (and is never) stored or logged about a check-in."""

import logging

import pytest
from django.db import connection, models

from questionnaire.models import CheckIn, CheckInItem, Rollup

from .conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db

PERSONAL = ("name", "email", "ip", "address", "agent", "session", "time", "created", "modified", "token")


def table_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.parametrize("model", [CheckIn, CheckInItem, Rollup])
def test_checkin_tables_have_no_personal_or_time_columns(model):
    for field in model._meta.get_fields():
        if not field.concrete:
            continue
        assert not isinstance(field, (models.DateTimeField, models.TimeField)), field.name
        words = set(field.name.lower().split("_"))
        assert not words & set(PERSONAL), field.name
        assert not isinstance(field, models.JSONField), field.name


def test_submitted_on_is_a_date_only():
    assert type(CheckIn._meta.get_field("submitted_on")) is models.DateField


def test_keep_only_for_me_leaves_no_row_in_any_table(client, walk):
    client.get("/")  # warm up: nothing of the check-in exists yet
    before = table_counts()
    walk(privacy="private")
    client.get("/checkin/review/")
    client.post("/checkin/submit/")
    client.get("/checkin/results/")
    assert table_counts() == before


def test_share_adds_only_the_checkin_its_items_and_rollups(client, walk):
    before = table_counts()
    walk(privacy="share")
    client.post("/checkin/submit/")
    client.post("/checkin/clear/")
    after = table_counts()
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {
        CheckIn._meta.db_table, CheckInItem._meta.db_table, Rollup._meta.db_table,
    }


def test_no_answer_reaches_a_log(client, walk, caplog):
    caplog.set_level(logging.DEBUG)
    walk()
    client.post("/checkin/submit/")
    client.get("/checkin/results/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for step in FULL_ANSWERS.values():
        for value in step.values():
            for v in value if isinstance(value, list) else [value]:
                if len(str(v)) > 2:
                    assert f"'{v}'" not in logged and f'"{v}"' not in logged, v

"""Nothing in the database ties a shared check-in to a browser or a time of day.

The PostgreSQL test plays the attacker: a database administrator who can read
every table and system column (xmin, ctid), holds the server's SECRET_KEY (so
can decode session rows), and knows every session cookie each of N people's
browsers ever held and the order in which they started. After N shared
submits it tries every link it can think of and must pair no more sessions
with their rows than chance (about one, for a random pairing).

The other tests run on both databases and check the pieces of the design.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from questionnaire import flow
from questionnaire.models import CheckIn

from .conftest import answer_all, start_checkin

N_SHARED = 24
CHANCE_LIMIT = 4  # a random pairing of 24 gets 5 or more right with probability < 0.4 %


# --- the design's pieces (SQLite and PostgreSQL) --------------------------------------------


@pytest.mark.django_db
def test_a_shared_submit_leaves_no_session_row_and_a_sealed_cookie(client, walk):
    from questionnaire.sessions import IN_BROWSER, is_sealed

    walk()
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post("/checkin/submit/")
    cookie = client.cookies["sessionid"].value
    assert Session.objects.count() == 0
    assert is_sealed(cookie) and "every_day" not in cookie
    with pytest.raises(signing.BadSignature):
        signing.loads(cookie, salt="django.contrib.sessions.SessionStore")
    assert client.get("/checkin/results/").status_code == 200
    assert flow.is_submitted(client.session) and client.session[IN_BROWSER]
    assert Session.objects.count() == 0  # the results page writes nothing either


@pytest.mark.django_db
def test_a_forged_or_stale_sealed_cookie_is_an_empty_session(client, walk, settings):
    walk()
    client.post("/checkin/submit/")
    cookie = client.cookies["sessionid"].value
    client.cookies["sessionid"] = cookie[:-8] + "AAAAAAAA"
    assert "Your answers were cleared" in client.get("/checkin/results/").content.decode()
    settings.SESSION_COOKIE_AGE = -1
    client.cookies["sessionid"] = cookie
    assert "Your answers were cleared" in client.get("/checkin/results/").content.decode()


@pytest.mark.django_db
def test_session_rows_expire_on_a_whole_hour(client, walk):
    walk()
    expiry = Session.objects.get().expire_date
    assert (expiry.minute, expiry.second, expiry.microsecond) == (0, 0, 0)


@pytest.mark.django_db
def test_starting_again_after_results_goes_back_to_the_server(client, walk):
    from questionnaire.sessions import IN_BROWSER, is_sealed

    walk()
    client.post("/checkin/submit/")
    start_checkin(client)
    assert not is_sealed(client.cookies["sessionid"].value)
    assert Session.objects.count() == 1
    assert IN_BROWSER not in client.session
    answer_all(client)
    client.post("/checkin/submit/")
    assert CheckIn.objects.count() == 2


@pytest.mark.django_db
def test_no_table_holds_tokens_or_times_beside_the_check_ins():
    from django.apps import apps
    from django.db import models

    for model in apps.get_app_config("questionnaire").get_models():
        for field in model._meta.concrete_fields:
            assert "token" not in field.name
            assert not isinstance(field, (models.DateTimeField, models.TimeField)), (model, field.name)


@pytest.mark.django_db
def test_keep_only_for_me_leaves_no_session_row_at_submit(walk):
    client = Client()
    start_checkin(client)
    answer_all(client, privacy="private")
    client.post("/checkin/submit/")
    assert Session.objects.count() == 0 and CheckIn.objects.count() == 0
    assert client.get("/checkin/results/").status_code == 200


# --- the attacker (PostgreSQL, against gunicorn on a cluster of our own) -------------------


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, path)
    else:
        yield path[-1] if path else "", value


def _decode(data: str) -> dict:
    try:
        return signing.loads(data, salt="django.contrib.sessions.SessionStore", serializer=signing.JSONSerializer)
    except signing.BadSignature:
        return {}


def attack(cluster, people: list[dict]) -> dict[str, int]:
    """Try every link; return how many people each method pairs with their own row."""
    with cluster.connect() as conn:
        cursor = conn.execute("SELECT *, xmin::text::bigint AS x, ctid::text AS c FROM questionnaire_checkin")
        columns = [d.name for d in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
        sessions = {
            key: (data, expire, xmin)
            for key, data, expire, xmin in conn.execute(
                "SELECT session_key, session_data, expire_date, xmin::text::bigint FROM django_session"
            )
        }
        text_columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('character varying', 'text')"
        ).fetchall()

        guesses: dict[str, dict[int, int]] = {m: {} for m in (
            "session data", "token rows", "xmin next to a session row", "expiry order",
            "id order vs start order", "xmin order vs start order", "ctid order vs start order")}
        found_rows = {}
        for person in people:
            for key in person["keys"]:
                if key in sessions:
                    found_rows[person["n"]] = sessions[key]
        for n, (data, expire, xmin) in found_rows.items():
            leaves = list(_leaves(_decode(data)))
            # 1. the answers kept in the session match one row
            scores = Counter()
            for row in rows:
                scores[row["id"]] = sum(1 for name, value in leaves if name in row and str(row[name]) == str(value))
            best = scores.most_common(2)
            if best and best[0][1] >= 3 and (len(best) == 1 or best[0][1] > best[1][1]):
                guesses["session data"][n] = best[0][0]
            # 2. any long string of the session found in any table: its row's xmin
            for secret in {v for _, v in leaves if isinstance(v, str) and len(v) >= 16}:
                hits = [
                    other_xmin
                    for table, column in text_columns if table != "django_session"
                    for (other_xmin,) in conn.execute(
                        f'SELECT xmin::text::bigint FROM "{table}" WHERE "{column}" = %s', [secret]
                    )
                ]
                same = [row["id"] for row in rows if len(hits) == 1 and row["x"] == hits[0]]
                if same:  # a value found in exactly one row, written with a check-in
                    guesses["token rows"][n] = same[0]
            # 3. the row written nearest to the session row (equal xmin, or just before)
            nearest = min(rows, key=lambda row: abs(xmin - row["x"]), default=None)
            if nearest is not None:
                guesses["xmin next to a session row"][n] = nearest["id"]
        # 4. session expiry order = submit order = id order
        if found_rows:
            by_expiry = sorted(found_rows, key=lambda n: (found_rows[n][1], found_rows[n][2]))
            for n, row in zip(by_expiry, sorted(rows, key=lambda r: r["id"])):
                guesses["expiry order"][n] = row["id"]
        # 5. the order people started in vs the order rows were written
        started = [p["n"] for p in sorted(people, key=lambda p: p["start_rank"])]
        for method, order in (("id order vs start order", lambda r: r["id"]),
                              ("xmin order vs start order", lambda r: r["x"]),
                              ("ctid order vs start order", lambda r: tuple(map(int, r["c"].strip("()").split(","))))):
            for n, row in zip(started, sorted(rows, key=order)):
                guesses[method][n] = row["id"]
    truth = {p["n"]: p["row"] for p in people}
    return {method: sum(1 for n, row in pairs.items() if truth.get(n) == row) for method, pairs in guesses.items()}


@pytest.mark.postgresql
def test_the_attacker_pairs_no_more_sessions_with_rows_than_chance(live_pg):
    from .live_postgresql import Browser, answer_steps, answers_for, peg_triple, truncate_app_tables

    cluster, server = live_pg
    truncate_app_tables(cluster)
    rng = random.Random(20261129)
    people = []
    for n in range(N_SHARED):
        browser = Browser(server)
        steps = answers_for(n, rng)
        answer_steps(browser, steps)  # people start in order n = 0, 1, 2, ...
        people.append({"n": n, "start_rank": n, "browser": browser, "steps": steps, "keys": {browser.session_key}})
    # Others around them: one keeps their answers private, one is still answering.
    bystanders = [Browser(server), Browser(server)]
    for browser, privacy in zip(bystanders, ("private", "share")):
        steps = answers_for(200, rng)
        steps["privacy"] = {"privacy": privacy}
        answer_steps(browser, steps)
    bystanders[0].post("/checkin/submit/")
    # They submit in their own order: some look at the review page first, some press twice.
    for person in rng.sample(people, len(people)):
        browser = person["browser"]
        if rng.random() < 0.5:
            assert browser.get("/checkin/review/").status == 200
        old_cookie = browser.session_key
        response = browser.post("/checkin/submit/")
        assert response.status == 302 and response.location.endswith("/checkin/results/"), response.status
        if rng.random() < 0.25:
            second = Browser(server, cookies={"sessionid": old_cookie, **{k: v for k, v in browser.cookies.items()
                                                                          if k != "sessionid"}}, csrf=browser.csrf)
            assert second.post("/checkin/submit/").status in (200, 302, 403)  # 403: its session is gone
        assert browser.get("/checkin/results/").status == 200
        person["keys"].add(browser.session_key)
    with cluster.connect() as conn:
        rows = conn.execute(
            "SELECT id, peg_pain, peg_enjoyment, peg_activity FROM questionnaire_checkin"
        ).fetchall()
    assert len(rows) == N_SHARED
    by_triple = {tuple(r[1:]): r[0] for r in rows}
    for person in people:
        person["row"] = by_triple[peg_triple(person["steps"])]

    found = attack(cluster, people)
    summary = ", ".join(f"{method} {count}/{N_SHARED}" for method, count in found.items())
    print(f"\nlinkage attack after {N_SHARED} shared submits: {summary} (chance: about 1)")
    assert max(found.values()) <= CHANCE_LIMIT, summary

"""Nothing in the database ties a shared check-in to a browser or a time of day.

The PostgreSQL test plays the attacker: a database administrator who can read
every table, every system column (xmin, ctid) and every raw page of the
session and check-in tables (``pageinspect``: dead row versions, before and
after VACUUM), holds the server's SECRET_KEY, and knows the cookie each of N
people's browsers holds once they have sent their answers and the order in
which they started. After N shared submits it tries every link it can think
of and must pair no more browsers with their rows than chance (about one, for
a random pairing), and find no answer in plain text anywhere in the session
table. (A copy of a browser's cookie taken *while* its check-in was in
progress holds the key to that session's rows: see docs/operations.md.)

The other tests run on both databases and check the pieces of the design.
"""

from __future__ import annotations

import base64
import random
import re
import time

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from questionnaire import flow
from questionnaire.models import CheckIn, CheckInItem
from questionnaire.sessions import IN_BROWSER, SessionStore, UnreadableSession, is_sealed, row_id, seal, unseal

from .conftest import answer_all, start_checkin

N_SHARED = 24
CHANCE_LIMIT = 4  # a random pairing of 24 gets 5 or more right with probability < 0.4 %
ANSWER_CODES = ("every_day", "most_days", "some_days", "3_months_plus", "rx_opioid", "often_always",
                "pain_frequency", "peg_pain", "safety")


# --- the design's pieces (SQLite and PostgreSQL) --------------------------------------------


@pytest.mark.django_db
def test_a_session_row_holds_only_ciphertext_under_the_browsers_key(client, walk):
    walk()
    key = client.cookies["sessionid"].value
    row = Session.objects.get()
    assert row.session_key == row_id(key) and key[32:] not in row.session_data
    assert not any(code in row.session_data for code in ANSWER_CODES)
    with pytest.raises(signing.BadSignature):  # the server's secret key does not open it
        signing.loads(row.session_data, salt="django.contrib.sessions.SessionStore")
    assert row.get_decoded() == {}  # nor does the admin
    assert flow.answers(SessionStore(key))["pain_frequency"] == "every_day"  # the browser's key does
    other_key = key[:32] + ("a" if key[32] != "a" else "b") + key[33:]
    assert SessionStore(other_key).load() == {}  # a forged key opens nothing, and is no error
    raw = base64.urlsafe_b64decode(row.session_data + "=" * (-len(row.session_data) % 4))
    assert (len(raw) - 12 - 16) % 256 == 0  # nonce, padded data, tag: the length tells nothing


@pytest.mark.django_db
def test_a_shared_submit_leaves_no_session_row_and_a_sealed_cookie(client, walk):
    walk()
    assert Session.objects.count() == 1
    client.post("/checkin/submit/")
    cookie = client.cookies["sessionid"].value
    assert Session.objects.count() == 0
    assert is_sealed(cookie) and not any(code in cookie for code in ANSWER_CODES)
    assert client.get("/checkin/results/").status_code == 200
    assert flow.is_submitted(client.session) and client.session[IN_BROWSER]
    assert Session.objects.count() == 0  # the results page writes nothing either


@pytest.mark.django_db
def test_a_forged_or_expired_sealed_cookie_is_an_empty_session(client, walk, settings):
    walk()
    client.post("/checkin/submit/")
    cookie = client.cookies["sessionid"].value
    client.cookies["sessionid"] = cookie[:-8] + "AAAAAAAA"
    assert "Nothing to show" in client.get("/checkin/results/").content.decode()
    settings.RESULTS_IDLE_MINUTES = 0
    client.cookies["sessionid"] = seal(SessionStore(cookie).load())
    assert "Nothing to show" in client.get("/checkin/results/").content.decode()


def test_sealed_results_last_minutes_of_inactivity_and_never_past_the_session_age(settings):
    settings.RESULTS_IDLE_MINUTES, settings.SESSION_COOKIE_AGE = 15, 7200
    start = 1_000_000
    token = seal({"a": 1}, now=start)
    assert unseal(token, now=start + 14 * 60) == ({"a": 1}, start + 7200)
    with pytest.raises(UnreadableSession):
        unseal(token, now=start + 15 * 60)
    # Used every 10 minutes, a copy still ends SESSION_COOKIE_AGE after it was first sealed.
    moment = start
    while True:
        moment += 600
        try:
            data, until = unseal(token, now=moment)
        except UnreadableSession:
            break
        token = seal(data, now=moment, until=until)
    assert start + 7200 - 600 < moment <= start + 7200


@pytest.mark.django_db
def test_each_look_at_the_results_seals_them_again_with_a_new_expiry(client, walk):
    walk()
    client.post("/checkin/submit/")
    first = client.cookies["sessionid"].value
    client.get("/checkin/results/")
    second = client.cookies["sessionid"].value
    assert first != second and is_sealed(second)
    assert SessionStore(second).load() == SessionStore(first).load()


def test_a_token_carries_no_readable_time():
    """Fernet tokens began with the time in clear; ours carry it only inside the ciphertext."""
    moments = [1_700_000_000 + 3_600 * i for i in range(20)]
    tokens = [seal({"same": "data"}, now=moment) for moment in moments]
    assert len({len(t) for t in tokens}) == 1
    for moment, token in zip(moments, tokens):
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        for width in (4, 8):
            assert moment.to_bytes(width, "big") not in raw
            assert (moment // 60).to_bytes(width, "big") not in raw
    assert sorted(tokens) != [t for _, t in sorted(zip(moments, tokens))] or len(tokens) < 2


@pytest.mark.django_db
@pytest.mark.parametrize("header", [
    'sessionid="abcdefg\\000"',  # Python's cookie parser makes this a NUL, which PostgreSQL refuses
    "sessionid=" + "x" * 84, "sessionid=" + "A" * 84, "sessionid=" + "a" * 83, "sessionid=" + "a" * 85,
    "sessionid=" + "a" * 5000, "sessionid=" + "\u00e9" * 90, "sessionid=gAAAAABpVpX" + "A" * 120,
    "sessionid=" + "a" * 100, "sessionid=" + "-" * 200, 'sessionid="a\\012b\\015c' + "d" * 90 + '"',
])
def test_a_malformed_session_cookie_is_no_session(client, header):
    for path in ("/", "/about/", "/checkin/results/", "/checkin/pain/", "/healthz"):
        response = client.get(path, HTTP_COOKIE=header)
        assert response.status_code == 200, (path, response.status_code)
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_looks_leave_no_row_in_any_table(client, site):
    before = {model: model.objects.count() for model in apps.get_models()}
    for _ in range(200):
        fresh = Client()
        for path in ("/", f"/c/{site.slug}/", "/about/"):
            assert fresh.get(path).status_code == 200
    after = {model: model.objects.count() for model in apps.get_models()}
    assert after == before


@pytest.mark.django_db
def test_check_in_ids_do_not_follow_submit_order(walk, client):
    ids = []  # in submit order
    for _ in range(12):
        walk()
        client.post("/checkin/submit/")
        ids += list(CheckIn.objects.exclude(pk__in=ids).values_list("id", flat=True))
    assert len(set(ids)) == 12 and all(0 < i < 2**63 for i in ids)
    assert sorted(ids) != ids and sorted(ids, reverse=True) != ids  # either by chance: 2 in 12!
    item_ids = list(CheckInItem.objects.values_list("id", flat=True))
    assert max(item_ids) > 2**40  # drawn at random, not counted up from 1


@pytest.mark.django_db
def test_starting_again_after_results_goes_back_to_the_server(client, walk):
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


def _tuples(conn, table: str) -> list[tuple[int, int, bytes]]:
    """Return every row version on the table's pages, live or dead: (xmin, xmax, raw bytes)."""
    blocks = conn.execute(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table]).fetchone()[0]
    out = []
    for block in range(blocks):
        out += [(int(xmin or 0), int(xmax or 0), bytes(data or b""))
                for xmin, xmax, data in conn.execute(
                    "SELECT t_xmin::text::bigint, t_xmax::text::bigint, t_data "
                    "FROM heap_page_items(get_raw_page(%s, %s))", [table, block])]
    return out


def _pages(conn, table: str) -> bytes:
    """Return the table's raw pages, free space and leftovers included."""
    blocks = conn.execute(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table]).fetchone()[0]
    return b"".join(bytes(conn.execute("SELECT get_raw_page(%s, %s)", [table, b]).fetchone()[0])
                    for b in range(blocks))


def _cookie_bytes(cookie: str) -> list[bytes]:
    """Pieces of a cookie worth looking for: the text, and its decoded head and tail."""
    pieces = [cookie.encode()]
    try:
        raw = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
        pieces += [raw[:12], raw[-16:]]
    except ValueError:
        pass
    return [p for p in pieces if len(p) >= 8]


def plaintext_answers(conn) -> int:
    """Count the answer codes found in plain text anywhere in the session table's pages."""
    pages = _pages(conn, "django_session")
    return sum(pages.count(code.encode()) for code in ANSWER_CODES)


def attack(cluster, people: list[dict]) -> dict[str, int]:
    """Try every link; return how many people each method pairs with their own row."""
    with cluster.connect() as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor = conn.execute("SELECT *, xmin::text::bigint AS x, ctid::text AS c FROM questionnaire_checkin")
        columns = [d.name for d in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
        sessions = _tuples(conn, "django_session")
        checkin_pages = _pages(conn, "questionnaire_checkin") + _pages(conn, "questionnaire_checkinitem")
        session_pages = _pages(conn, "django_session")

    guesses: dict[str, dict[int, int]] = {m: {} for m in (
        "cookie found in a page", "dead session row written with a check-in", "session row opened",
        "cookie order vs id order", "cookie order vs xmin order",
        "id order vs start order", "xmin order vs start order", "ctid order vs start order")}
    by_xmin = {row["x"]: row for row in rows}
    for person in people:
        pieces = [piece for cookie in person["cookies"] for piece in _cookie_bytes(cookie)]
        # 1. any piece of the browser's cookie in a page of the check-in tables
        if any(piece in checkin_pages for piece in pieces):
            hits = [row["id"] for row in rows if any(piece in str(row).encode() for piece in pieces)]
            if hits:
                guesses["cookie found in a page"][person["n"]] = hits[0]
        # 2. a session row version (live or dead) that shares bytes with the cookie, and
        #    the check-in written in the transaction that deleted it (xmax = the row's xmin)
        for _, xmax, data in sessions:
            if any(piece in data for piece in pieces) and xmax in by_xmin:
                guesses["dead session row written with a check-in"][person["n"]] = by_xmin[xmax]["id"]
        # 3. the cookie (with the server's secret key) opens a session row version
        stores = [SessionStore(cookie) for cookie in person["cookies"]]
        for _, xmax, data in sessions:
            for run in re.findall(rb"[A-Za-z0-9_-]{40,}", data):
                if xmax in by_xmin and any(store.decode(run.decode()) for store in stores):
                    guesses["session row opened"][person["n"]] = by_xmin[xmax]["id"]
    # 4. cookies sorted as Fernet's clear timestamp allowed, against rows in id or xmin order
    by_cookie = sorted(people, key=lambda p: min(p["cookies"]))
    for method, order in (("cookie order vs id order", lambda r: r["id"]),
                          ("cookie order vs xmin order", lambda r: r["x"])):
        for person, row in zip(by_cookie, sorted(rows, key=order)):
            guesses[method][person["n"]] = row["id"]
    # 5. the order people started in vs the order rows were written
    started = [p["n"] for p in sorted(people, key=lambda p: p["start_rank"])]
    for method, order in (("id order vs start order", lambda r: r["id"]),
                          ("xmin order vs start order", lambda r: r["x"]),
                          ("ctid order vs start order", lambda r: tuple(map(int, r["c"].strip("()").split(","))))):
        for n, row in zip(started, sorted(rows, key=order)):
            guesses[method][n] = row["id"]
    assert session_pages  # the attacker did read the session table
    truth = {p["n"]: p["row"] for p in people}
    return {method: sum(1 for n, row in pairs.items() if truth.get(n) == row) for method, pairs in guesses.items()}


@pytest.mark.postgresql
def test_the_attacker_pairs_no_more_browsers_with_rows_than_chance(live_pg):
    from .live_postgresql import Browser, answer_steps, answers_for, peg_triple, truncate_app_tables

    cluster, server = live_pg
    truncate_app_tables(cluster)
    with cluster.connect() as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        conn.execute("ALTER TABLE django_session SET (autovacuum_enabled = false)")  # keep dead rows to read
    rng = random.Random(20261129)
    people = []
    for n in range(N_SHARED):
        browser = Browser(server)
        steps = answers_for(n, rng)
        answer_steps(browser, steps)  # people start in order n = 0, 1, 2, ...
        people.append({"n": n, "start_rank": n, "browser": browser, "steps": steps})
    # Others around them: one keeps their answers private, one is still answering.
    bystanders = [Browser(server), Browser(server)]
    for browser, privacy in zip(bystanders, ("private", "share")):
        steps = answers_for(200, rng)
        steps["privacy"] = {"privacy": privacy}
        answer_steps(browser, steps)
    bystanders[0].post("/checkin/submit/")
    # They submit in their own order, a few seconds apart: some look at the review page
    # first, some press twice.
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
            assert second.post("/checkin/submit/").status in (200, 302, 403)
        assert browser.get("/checkin/results/").status == 200
        person["in_progress"] = old_cookie
        time.sleep(rng.random())
    for person in people:  # what each browser holds once it has sent its answers
        person["cookies"] = set(person["browser"].cookies.values())
    with cluster.connect() as conn:
        rows = conn.execute(
            "SELECT id, peg_pain, peg_enjoyment, peg_activity FROM questionnaire_checkin"
        ).fetchall()
    assert len(rows) == N_SHARED
    by_triple = {tuple(r[1:]): r[0] for r in rows}
    for person in people:
        person["row"] = by_triple[peg_triple(person["steps"])]

    # The attacker is able: with the cookies browsers held *while* answering (each one
    # carries its rows' key) it opens the dead session rows and pairs nearly everyone.
    control = attack(cluster, [{**p, "cookies": {p["in_progress"]}} for p in people])
    print(f"\ncontrol, with the cookies held while answering: {control}")
    assert control["session row opened"] >= N_SHARED // 2, control

    results = []
    for moment in ("before VACUUM", "after VACUUM"):
        with cluster.connect() as conn:
            if moment == "after VACUUM":
                conn.autocommit = True
                conn.execute("VACUUM django_session")
            plain = plaintext_answers(conn)
        found = attack(cluster, people)
        summary = ", ".join(f"{method} {count}/{N_SHARED}" for method, count in found.items())
        print(f"\nlinkage attack after {N_SHARED} shared submits, {moment}: {summary} (chance: about 1); "
              f"answer codes in plain text in the session table: {plain}")
        results.append((max(found.values()), plain, summary))
    for worst, plain, summary in results:
        assert plain == 0, summary
        assert worst <= CHANCE_LIMIT, summary

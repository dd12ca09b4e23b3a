import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls in
# live-server tests are still synchronous (see RECIPES.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

# A full set of answers, one per step, as a person would send them.
FULL_ANSWERS = {
    "privacy": {"privacy": "share"},
    "pain": {
        "pain_frequency": "every_day",
        "pain_duration": "3_months_plus",
        "pain_impact": "most_days",
        "pain_areas": ["back_neck", "head"],
    },
    "past-week": {"peg_pain": "7", "peg_enjoyment": "6", "peg_activity": "8"},
    "connection": {
        "ucla_companionship": "often",
        "ucla_left_out": "some_of_the_time",
        "ucla_isolated": "often",
        "lonely": "often_always",
        "rejected": "sometimes",
        "pain_avoidance": "a_lot",
        "support": "rarely",
    },
    "medicines": {"medicines": ["rx_opioid"], "opioid_duration": "3_months_plus"},
    "coping": {"coping_sleep_hygiene": "using_now", "coping_acupuncture": "not_for_me"},
    "wellbeing": {"sleep": "poorly", "stress": "very", "safety": "no"},
}


@pytest.fixture
def site(db):
    from questionnaire.models import Site

    return Site.objects.create(slug="riverside", name="Riverside Recovery", contact="Call Sam at 555-0101.")


def start_checkin(client, site=None):
    url = f"/c/{site.slug}/" if site else "/"
    response = client.post(url)
    assert response.status_code == 302, response
    return response


def answer_all(client, privacy="share", overrides=None):
    """Walk every step with FULL_ANSWERS (privacy and overrides applied)."""
    for slug, data in FULL_ANSWERS.items():
        data = dict(data)
        if slug == "privacy":
            data["privacy"] = privacy
        data.update((overrides or {}).get(slug, {}))
        response = client.post(f"/checkin/{slug}/", data)
        assert response.status_code == 302, (slug, response.content[:2000])
    return response


@pytest.fixture
def walk(client, db):
    """Return a function that starts a check-in and answers every step."""

    def run(privacy="share", site=None, overrides=None):
        start_checkin(client, site)
        return answer_all(client, privacy, overrides)

    return run


@pytest.fixture(scope="session")
def live_pg():
    """A throw-away PostgreSQL cluster of our own and gunicorn serving the app on it.

    Yields (cluster, server). Tests may stop and restart the cluster; they must
    leave it running. Only tests marked ``postgresql`` use it.
    """
    from .live_postgresql import Cluster, Server

    cluster = Cluster().init()
    server = Server(cluster)
    try:
        server.migrate().start()
        yield cluster, server
    finally:
        server.stop()
        cluster.destroy()


def _on_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config, items):
    """Collect PostgreSQL-only tests (marker ``postgresql``) only on PostgreSQL.

    They are deselected, never skipped, on SQLite; with TEST_DATABASE=postgresql
    and no PostgreSQL configured the run stops instead of passing quietly.
    """
    if os.environ.get("TEST_DATABASE") == "postgresql" and not _on_postgresql():
        raise pytest.UsageError("TEST_DATABASE=postgresql, but DATABASE_URL does not name a PostgreSQL database.")
    if _on_postgresql():
        return
    only_postgresql = [item for item in items if item.get_closest_marker("postgresql")]
    if only_postgresql:
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
        config.hook.pytest_deselected(items=only_postgresql)
    config.stash[_DESELECTED] = len(only_postgresql)


_DESELECTED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter):
    """Say how many browser tests ran, so CI output shows they were not skipped."""
    counts = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        counts[outcome] = sum(
            1 for report in terminalreporter.stats.get(outcome, [])
            if getattr(report, "when", "call") in ("call", "setup") and "browser" in getattr(report, "keywords", {})
        )
    database = os.environ.get("TEST_DATABASE", "sqlite" if not os.environ.get("DATABASE_URL") else "postgresql")
    if not _on_postgresql():
        # Under xdist the workers collect, so the count is known only without -n.
        count = terminalreporter.config.stash.get(_DESELECTED, None)
        terminalreporter.write_line(
            f"PostgreSQL-only tests: {'' if count is None else f'{count} '}not collected on {database} "
            "(marker postgresql; they run with TEST_DATABASE=postgresql)"
        )
    terminalreporter.write_line(
        f"browser tests: {counts['passed']} passed, {counts['failed'] + counts['error']} failed, "
        f"{counts['skipped']} skipped (on {database})"
    )

import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls in
# live-server tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Hypothesis profiles. "ci" is what scripts/test runs: no deadline (a busy machine
# must neither fail nor pass a test more easily), and a failing example printed so
# it can be replayed. "dev" (scripts/test --quick) draws a tenth as many examples.
# A test that needs more than the default asks for ``examples(n)``: n under "ci"
# (the fuzz's 10,000 examples), scaled with the profile under "dev".
CI_EXAMPLES = 100
hypothesis_settings.register_profile("ci", max_examples=CI_EXAMPLES, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", max_examples=CI_EXAMPLES // 10, deadline=None)
hypothesis_settings.load_profile("ci")  # --hypothesis-profile=dev chooses the other


def examples(n: int) -> int:
    """Return how many examples a test that wants ``n`` under the "ci" profile draws
    under the profile loaded now (call it at import, as a decorator argument)."""
    return max(1, round(n * hypothesis_settings().max_examples / CI_EXAMPLES))

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


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """Leave no test's language to the next: a request to a Spanish page activates
    Spanish in its thread (LocaleMiddleware) and nothing switches it back, so a later
    test in the same thread would render, reverse and compare in Spanish."""
    yield
    from django.utils import translation

    translation.deactivate()


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
    from .live_postgresql import Cluster, serve

    cluster = Cluster().init()
    server = None
    try:
        server = serve(cluster)
        yield cluster, server
    finally:
        if server is not None:
            server.remove()
        cluster.destroy()


def pytest_configure(config):
    # One name for this run, shared by its xdist workers (they inherit the environment).
    if not hasattr(config, "workerinput"):
        os.environ.setdefault("TEST_RUN_ID", str(os.getpid()))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Give this run's test databases names of their own (test_postgres_gw0_<run>), so
    runs sharing a PostgreSQL server (several checkouts, CI) never drop each other's."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            continue  # in memory, one per process
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{os.environ['TEST_RUN_ID']}"


def _on_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


# --- Which pass runs a test ----------------------------------------------------------------
#
# scripts/test runs the suite on SQLite, then on PostgreSQL. Each test runs on the
# engine it is about, told apart by what it uses, so a new test finds its pass
# without a marker:
#   postgresql  marker ``postgresql``: PostgreSQL only (deselected, never skipped, elsewhere);
#   browser     marker ``browser`` (every test under tests/browser/): once, on SQLite;
#   once        marker ``once``, or a module in ONCE_MODULES (the POST fuzz): uses the database but is
#               about the HTTP surface: once, on PostgreSQL, the engine production runs
#               (it refuses NUL characters that SQLite stores);
#   database    uses the database (a fixture below, or marker ``django_db``): on both engines;
#   pure        none of the above: once, on SQLite.
# Run by hand (no --suite-pass), pytest runs every class the database allows.

CLASSES = ("pure", "browser", "once", "database", "postgresql")
PASSES = {
    "sqlite": {"pure", "browser", "database"},
    "postgresql": {"once", "database", "postgresql"},
    "quick": {"pure", "database"},  # scripts/test --quick: SQLite, no browser, no fuzz
}
DATABASE_FIXTURES = {
    "_django_db_helper",  # behind db, transactional_db, django_db_reset_sequences and the django_db marker
    "db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
    "django_db_setup",  # module-wide data made with django_db_blocker.unblock() (tests/staff_data.py)
    "live_server", "client", "async_client", "admin_client", "admin_user", "live_pg",
}
ONCE_MODULES = ("tests/test_fuzz.py",)


def classify(item) -> str:
    """Return which of CLASSES a collected test belongs to."""
    if item.get_closest_marker("postgresql"):
        return "postgresql"
    if item.get_closest_marker("browser") or item.nodeid.startswith("tests/browser/"):
        return "browser"
    if item.get_closest_marker("once") or item.nodeid.startswith(ONCE_MODULES):
        return "once"
    if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
        return "database"
    return "pure"


def pytest_addoption(parser):
    parser.addoption(
        "--suite-pass", choices=sorted(PASSES), default=None,
        help="run only the tests this pass of scripts/test is for (see tests/conftest.py)",
    )


def pytest_itemcollected(item):
    # The tests of the throw-away cluster share one xdist worker, so a run starts one
    # cluster (scripts/test uses --dist loadgroup).
    if "live_pg" in item.fixturenames:
        item.add_marker(pytest.mark.xdist_group("live_pg"))


_COUNTS = pytest.StashKey[dict]()


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests
def pytest_collection_modifyitems(config, items):
    """Deselect (never skip) the tests this pass does not run; count what is left by class.

    With TEST_DATABASE=postgresql and no PostgreSQL configured the run stops
    instead of passing quietly.
    """
    if os.environ.get("TEST_DATABASE") == "postgresql" and not _on_postgresql():
        raise pytest.UsageError("TEST_DATABASE=postgresql, but DATABASE_URL does not name a PostgreSQL database.")
    suite_pass = config.getoption("suite_pass")
    if suite_pass and (suite_pass == "postgresql") != _on_postgresql():
        raise pytest.UsageError(f"--suite-pass={suite_pass} on {_database_name()}.")
    wanted = set(PASSES[suite_pass]) if suite_pass else set(CLASSES)
    if not _on_postgresql():
        wanted.discard("postgresql")
    kept, dropped = [], []
    counts = {"kept": dict.fromkeys(CLASSES, 0), "deselected": dict.fromkeys(CLASSES, 0)}
    for item in items:
        kind = classify(item)
        (kept if kind in wanted else dropped).append(item)
        counts["kept" if kind in wanted else "deselected"][kind] += 1
    if dropped:
        items[:] = kept
        config.hook.pytest_deselected(items=dropped)
    config.stash[_COUNTS] = counts
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller prints the counts
        config.workeroutput["test_classes"] = counts


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """Under xdist the workers collect: take the counts from one of them."""
    counts = getattr(node, "workeroutput", {}).get("test_classes")
    if counts:
        node.config.stash[_COUNTS] = counts


WHY = {
    "pure": "use no database: they run on the SQLite pass",
    "browser": "browser tests: they run on the SQLite pass",
    "once": "the POST fuzz: it runs on the PostgreSQL pass",
    "database": "use the database: left out by this pass",
    "postgresql": "marker postgresql: they run with TEST_DATABASE=postgresql",
}


def _database_name() -> str:
    return os.environ.get("TEST_DATABASE", "postgresql" if _on_postgresql() else "sqlite")


def pytest_terminal_summary(terminalreporter):
    """Say what this pass ran and left out by class, and how many browser tests ran
    (so CI output shows they were not skipped)."""
    database = _database_name()
    counts = terminalreporter.config.stash.get(_COUNTS, None)
    if counts:
        kept = ", ".join(f"{counts['kept'][k]} {k}" for k in CLASSES)
        terminalreporter.write_line(f"tests on {database}: {sum(counts['kept'].values())} ({kept})")
        dropped = [f"{n} {k} ({WHY[k]})" for k, n in counts["deselected"].items() if n]
        terminalreporter.write_line(f"deselected on {database} ({sum(counts['deselected'].values())}): "
                                    + ("; ".join(dropped) if dropped else "none"))
    outcomes = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        outcomes[outcome] = sum(
            1 for report in terminalreporter.stats.get(outcome, [])
            if getattr(report, "when", "call") in ("call", "setup") and "browser" in getattr(report, "keywords", {})
        )
    terminalreporter.write_line(
        f"browser tests: {outcomes['passed']} passed, {outcomes['failed'] + outcomes['error']} failed, "
        f"{outcomes['skipped']} skipped (on {database})"
    )

"""gunicorn settings: the production server, also used by scripts/run and scripts/bench.

Run it with ``gunicorn project.wsgi`` from this folder (gunicorn reads this file).
Stateless workers: sessions and everything else live in the database, so any
number of processes (or machines) behind one PostgreSQL behave as one app.
"""

import gc
import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # wherever gunicorn is started from
from project.gunicorn_logging import logconfig_dict  # noqa: E402,F401 - gunicorn reads it by name

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Threaded workers, one per core, 4 threads each; WEB_CONCURRENCY and THREADS override.
# Measured (issue 12) with full check-ins from 8 and 16 clients, interleaved, on
# this 2-core machine: gthread with 2 workers x 4 threads spent 50-52 ms of
# gunicorn CPU per check-in, 3 x 4 52-57 ms, sync with 5 workers 56-70 ms, and
# keep-alive (which sync workers do not do) also halves the clients' own cost
# per request. CPU per check-in is the steady figure on a shared machine; the
# check-ins per second of each set-up went up and down with the other load.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", 4))
keepalive = 5  # seconds an idle kept connection waits for its next request
# Load the app once in the master and do each process's one-off work there
# (``when_ready``), so every worker forks ready: the first staff look in a fresh
# worker cost about 0.75 s of CPU (the catalogue's identities, templates), which
# was the dashboard's whole p95 tail in the benchmark (issue 12). A code change
# needs a restart, not a HUP, with this on.
preload_app = True
timeout = 30
graceful_timeout = 10
control_socket_disable = True  # gunicorn 27's runtime control socket: not needed, so not opened

# Logs never carry a client address or user agent: no access log at all (its time
# of each submit would date the shared rows), and the error log's lines have any
# client address replaced (project/gunicorn_logging.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()


def when_ready(server):
    """Do the work every process does once, in the master, before the workers fork.

    No database: a connection opened here would be shared by every worker.
    """
    from django.db import connections
    from django.template import engines

    from questionnaire.forms import FORMS
    from stats import relations

    relations.identities()  # the staff tables' sums (per process, pure)
    for form in FORMS.values():
        form().questions_html()  # each blank question group, written once
    django_engine = engines["django"]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".html") and not os.path.relpath(folder, root).startswith("admin"):
                django_engine.get_template(os.path.relpath(os.path.join(folder, name), root))
    connections.close_all()
    # What the master made lives as long as the workers: keep it out of their
    # garbage collections (shorter pauses, and its pages stay shared after fork).
    gc.collect()
    gc.freeze()

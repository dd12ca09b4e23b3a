"""gunicorn settings: the production server, also used by scripts/run and scripts/bench.

Run it with ``gunicorn project.wsgi`` from this folder (gunicorn reads this file).
Stateless workers: sessions and everything else live in the database, so any
number of processes (or machines) behind one PostgreSQL behave as one app.
"""

import multiprocessing
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # wherever gunicorn is started from
from project.gunicorn_logging import logconfig_dict  # noqa: E402,F401 - gunicorn reads it by name

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Synchronous workers, gunicorn's usual sizing of 2 x cores + 1; WEB_CONCURRENCY overrides.
# scripts/bench --compare measured gthread (cores x 4 threads) against it on 2 busy
# cores: ahead with 8 clients, behind with 16 (8.2 vs 11.5 check-ins/s); no clear
# winner, so the usual choice stays.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 10
control_socket_disable = True  # gunicorn 27's runtime control socket: not needed, so not opened

# Logs never carry a client address or user agent: no access log at all (its time
# of each submit would date the shared rows), and the error log's lines have any
# client address replaced (project/gunicorn_logging.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()

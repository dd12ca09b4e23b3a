"""gunicorn settings: the production server, also used by scripts/run and scripts/bench.

Run it with ``gunicorn project.wsgi`` from this folder (gunicorn reads this file).
Stateless workers: sessions and everything else live in the database, so any
number of processes (or machines) behind one PostgreSQL behave as one app.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# One threaded worker per core, 4 threads each (WEB_CONCURRENCY and GUNICORN_THREADS
# override). Measured with scripts/bench --compare on 2 busy cores: more whole
# check-ins per second than 2 x cores + 1 sync workers (fewer processes fighting
# for the cores; a thread waiting on PostgreSQL lets another run), and
# connections kept open for a proxy that reuses them.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 30
graceful_timeout = 10
control_socket_disable = True  # gunicorn 27's runtime control socket: not needed, so not opened

# Logs never carry a client address or user agent: no access log at all (the app
# logs errors only), and the error log drops gunicorn's own lines that name a
# client (see project/gunicorn_logging.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()

"""Logging for gunicorn in production: no client address, no user agent, no request times.

The lead's ``gunicorn.conf.py`` uses it with::

    from project.gunicorn_logging import logconfig_dict  # noqa: F401
    accesslog = None

Why: gunicorn's access log (``%(h)s``, ``%(a)s``) names the client's address and
browser, and its timestamp of every ``POST /checkin/submit/`` would date each
shared check-in row by its order; gunicorn's error log writes
``Invalid request from ip=…`` for a malformed request. Here the access logger
writes nothing, and every error-log line passes a filter that replaces anything
that looks like an IPv4 or IPv6 address (and ``ip=…``) with ``[address]``.
"""

import logging
import re

REDACTED = "[address]"
_ADDRESS = re.compile(
    r"ip=\S+"
    r"|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"
    r"|\[?\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}\b\]?(?::\d+)?"
    r"|\[?::(?:[0-9a-fA-F]{1,4}:?){0,7}\]?(?::\d+)?(?=\W|$)"
)


def redact(text: str) -> str:
    """Replace every client address in a log message."""
    return _ADDRESS.sub(REDACTED, text)


class RedactAddresses(logging.Filter):
    """Rewrite a record's message so no address reaches any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_addresses": {"()": RedactAddresses}},
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
                    "datefmt": "[%Y-%m-%d %H:%M:%S %z]"},
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["redact_addresses"],
            "stream": "ext://sys.stderr",
        },
        "discard": {"class": "logging.NullHandler"},
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        # No "level": gunicorn's own loglevel setting stays in charge.
        "gunicorn.error": {"handlers": ["error_console"], "propagate": False},
        # No access log at all (see the module's docstring).
        "gunicorn.access": {"level": "CRITICAL", "handlers": ["discard"], "propagate": False},
    },
}

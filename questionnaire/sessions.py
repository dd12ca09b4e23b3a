"""The session engine: what the database may know of a session (DESIGN §5b).

1. **A session row holds only ciphertext under a key the server never stores.**
   The cookie is ``<row id><row key>``: 32 + 52 characters of base32 (160
   random bits of id, a 256-bit AES key). The row is stored under the id alone;
   its data is AES-GCM under the key, bound to the id, padded to a multiple of
   256 bytes so that its length says nothing of the answers. The server
   decrypts per request and forgets. Old row versions, the write-ahead log, a
   backup, or a session left behind by an outage hold nothing readable, and
   dropping the cookie (quick exit, Clear) throws the key away, even while the
   database is down. Staff sessions are kept the same way.
2. **A submitted check-in lives in the browser alone.** Its session leaves the
   database in the transaction that saves the check-in (``claim_server_row``)
   and lives on, for the results page, only in the person's cookie: sealed with
   AES-GCM under a key derived from the site's secret key, its expiry *inside*
   the ciphertext (a token carries no readable time). It lasts
   ``RESULTS_IDLE_MINUTES`` of inactivity: each request that brings it back
   seals it again with a new expiry, so a copy of an old cookie soon stops
   working; and never longer than ``SESSION_COOKIE_AGE`` after it was first
   sealed, however often it is used. "Keep only for me" works the same way:
   nothing on our server.
3. Row expiry is rounded up to the next whole hour, so the session table
   cannot date the rows written around it to the minute.

A malformed cookie (wrong alphabet or length, a NUL, a forged or stale token)
is no session at all: Django sets any key ``_validate_session_key`` refuses to
None, and an unreadable row or token loads as an empty session.

Each request of a check-in loads and most save the session, so the round trips
to the database are kept few (issue 12): a save outside a transaction is one
INSERT or UPDATE (no BEGIN and COMMIT around it), a new key is not first looked
up (a clash still fails the INSERT and a new key is drawn), a new check-in's
fresh key is written once, with its data, when the response is sent
(``cycle_key``), a delete is one DELETE, and a request without a cookie makes
no query.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import functools
import os
import re
import secrets
import time
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.core import signing
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connections, router, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

# A session holding this key is kept in the browser, not in the database.
IN_BROWSER = "_in_browser"

_ID_CHARS = 32  # 20 random bytes in base32: the row's key in the database
_KEY_CHARS = 52  # 32 random bytes in base32, unpadded: the AES-256 key, in the cookie only
_ROW_COOKIE = re.compile(rf"[a-z2-7]{{{_ID_CHARS + _KEY_CHARS}}}")
# A sealed session: base64url, unpadded; never as short as a row cookie.
_SEALED_COOKIE = re.compile(r"[A-Za-z0-9_-]{100,4000}")
_NONCE_BYTES = 12
_PAD_TO = 256
_SEALED_CONTEXT = b"questionnaire.sessions.sealed"


class UnreadableSession(ValueError):
    """A row or token that is forged, damaged, stale, or under another key."""


def _random_base32(n_bytes: int) -> str:
    return base64.b32encode(secrets.token_bytes(n_bytes)).decode("ascii").rstrip("=").lower()


def _pack(value) -> bytes:
    """Serialise, compress and pad to a multiple of ``_PAD_TO`` bytes (the length tells nothing)."""
    body = zlib.compress(signing.JSONSerializer().dumps(value), 6)
    framed = len(body).to_bytes(4, "big") + body
    return framed + bytes(-len(framed) % _PAD_TO)


def _unpack(framed: bytes):
    size = int.from_bytes(framed[:4], "big")
    try:
        return signing.JSONSerializer().loads(zlib.decompress(framed[4:4 + size]))
    except (zlib.error, ValueError, UnicodeError) as error:
        raise UnreadableSession("damaged payload") from error


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise UnreadableSession("not base64") from error


def _encrypt(key: bytes, value, context: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    return _b64encode(nonce + AESGCM(key).encrypt(nonce, _pack(value), context))


def _decrypt(keys, token: str, context: bytes):
    raw = _b64decode(token)
    if len(raw) <= _NONCE_BYTES:
        raise UnreadableSession("too short")
    for key in keys:
        try:
            return _unpack(AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context))
        except InvalidTag:
            continue
    raise UnreadableSession("no key opens it")


@functools.lru_cache(maxsize=4)
def _sealing_keys(secrets_: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(
        salted_hmac("questionnaire.sessions.sealed", "aes-gcm", secret=secret, algorithm="sha256").digest()
        for secret in secrets_
    )


def _site_keys() -> tuple[bytes, ...]:
    return _sealing_keys((settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])))


def results_lifetime() -> int:
    """Return how many seconds of inactivity a sealed (submitted) check-in lasts."""
    return int(settings.RESULTS_IDLE_MINUTES) * 60


def seal(data: dict, *, now: float | None = None, until: int | None = None) -> str:
    """Return ``data`` as a token only our server can open.

    It is valid for ``results_lifetime()`` seconds, and never after ``until``
    (by default ``SESSION_COOKIE_AGE`` from now: pass on the ``until`` that
    ``unseal`` gave to seal the same session again).
    """
    now = int(time.time() if now is None else now)
    until = now + settings.SESSION_COOKIE_AGE if until is None else until
    body = {"expires": min(now + results_lifetime(), until), "until": until, "data": data}
    return _encrypt(_site_keys()[0], body, _SEALED_CONTEXT)


def unseal(token: str, *, now: float | None = None) -> tuple[dict, int]:
    """Return the data of a sealed session and its last moment; raise ``UnreadableSession``
    if it is forged or expired."""
    body = _decrypt(_site_keys(), token, _SEALED_CONTEXT)
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise UnreadableSession("not a sealed session")
    if not isinstance(body.get("expires"), int) or not isinstance(body.get("until"), int):
        raise UnreadableSession("no expiry")
    if body["expires"] <= (time.time() if now is None else now):
        raise UnreadableSession("expired")
    return body["data"], body["until"]


def is_sealed(session_key: str | None) -> bool:
    return bool(session_key) and _SEALED_COOKIE.fullmatch(session_key) is not None


def is_row_cookie(session_key: str | None) -> bool:
    return bool(session_key) and _ROW_COOKIE.fullmatch(session_key) is not None


def row_id(session_key: str) -> str:
    """Return the part of a row cookie the database knows (the row's key)."""
    return session_key[:_ID_CHARS]


def _row_key(session_key: str) -> bytes:
    return base64.b32decode(session_key[_ID_CHARS:].upper() + "====")


def next_whole_hour(moment: datetime.datetime) -> datetime.datetime:
    """Round a moment up to the next whole hour (a whole hour stays as it is)."""
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + datetime.timedelta(hours=1)


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return isinstance(key, str) and (is_row_cookie(key) or is_sealed(key))

    def _get_new_session_key(self):
        # Django looks each new key up first (one more query). With 160 random bits
        # of id a clash is not expected in the life of the universe; should one
        # happen, the INSERT fails (CreateError) and ``create`` draws again.
        return _random_base32(20) + _random_base32(32)

    # --- reading -------------------------------------------------------------------

    def load(self):
        key = self.session_key
        if key is None:
            return {}  # no cookie: no query
        if is_sealed(key):
            try:
                data, self._sealed_until = unseal(key)
            except UnreadableSession:
                self._session_key = None
                return {}
            self.modified = True  # sealed again with a new expiry when the response goes out
            return data
        return super().load()

    def _get_session_from_db(self):
        try:
            return self.model.objects.get(session_key=row_id(self.session_key), expire_date__gt=timezone.now())
        except self.model.DoesNotExist:
            self._session_key = None
            return None

    def exists(self, session_key):
        if not is_row_cookie(session_key):
            return False
        return self.model.objects.filter(session_key=row_id(session_key)).exists()

    def encode(self, session_dict):
        key = self._get_or_create_session_key()
        return _encrypt(_row_key(key), session_dict, row_id(key).encode("ascii"))

    def decode(self, session_data):
        """Open a row's data with the key in this browser's cookie; anything else is empty."""
        key = self.session_key
        if not is_row_cookie(key):
            return {}  # e.g. the admin's Session.get_decoded(): the server has no key
        try:
            data = _decrypt((_row_key(key),), session_data, row_id(key).encode("ascii"))
        except UnreadableSession:
            return {}
        return data if isinstance(data, dict) else {}

    # --- writing -------------------------------------------------------------------

    def create_model_instance(self, data):
        key = self._get_or_create_session_key()
        return self.model(
            session_key=row_id(key),
            session_data=self.encode(data),
            expire_date=next_whole_hour(self.get_expiry_date()),
        )

    def save(self, must_create=False):
        data = self._get_session(no_load=must_create)
        if data.get(IN_BROWSER):
            if is_row_cookie(self.session_key) and not getattr(self, "_claimed", False):
                # Normally already gone (claim_server_row); never leave it behind.
                self._delete_row(row_id(self.session_key))
            self._session_key = seal(data, until=getattr(self, "_sealed_until", None))
            return
        if is_sealed(self.session_key):
            self._session_key = None  # back to the database, under a new key
        try:
            return self._save_row(must_create)
        except UpdateError as error:
            # Django reports every failed UPDATE as "session interrupted" (a 400).
            # An unreachable database is not that: let the outage page answer.
            if isinstance(error.__context__, (OperationalError, InterfaceError)):
                raise error.__context__ from None
            raise

    def _save_row(self, must_create):
        """Django's ``db.SessionStore.save``, without a transaction of its own when none is open.

        One INSERT or UPDATE is atomic by itself; Django's BEGIN and COMMIT around
        it were two more round trips on every request that changed the session.
        Inside a transaction a savepoint still keeps a failed INSERT from
        breaking the caller's.
        """
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        obj = self.create_model_instance(data)
        using = router.db_for_write(self.model, instance=obj)
        inside = connections[using].in_atomic_block
        try:
            with transaction.atomic(using=using) if inside else contextlib.nullcontext():
                obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError:
            if must_create:
                raise CreateError
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError
            raise

    def cycle_key(self):
        """Give the session a new key, keeping its data; the old row is deleted now.

        Django's version writes a row under the new key at once and again when
        the response is sent; here the row is written once, with the data, when
        the response is sent (the session is marked modified).
        """
        data = self._session
        key = self.session_key
        self._session_key = None
        self._session_cache = data
        self.modified = True
        if key:
            self.delete(key)

    def delete(self, session_key=None):
        key = session_key if session_key is not None else self.session_key
        if is_row_cookie(key):
            self._delete_row(row_id(key))
        # A sealed session has nothing on the server; the caller drops the cookie.

    def _delete_row(self, key: str) -> int:
        """Delete the row stored under ``key`` in one statement; return how many went (0 or 1).

        Django's ``delete`` fetches the row first, and a queryset's ``delete``
        wraps even one DELETE in BEGIN and COMMIT: two or three round trips
        where one does.
        """
        using = router.db_for_write(self.model)
        connection = connections[using]
        table = connection.ops.quote_name(self.model._meta.db_table)
        column = connection.ops.quote_name(self.model._meta.get_field("session_key").column)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [key])  # noqa: S608 - names from the model
            return cursor.rowcount

    def claim_server_row(self) -> bool:
        """Delete this session's database row; return True if it was there.

        Run inside the transaction that saves a check-in, this is both the
        double-submit guard (of two concurrent requests only one deletes the row)
        and the unlinking (no live row of this browser shares the transaction).
        """
        if not is_row_cookie(self.session_key):
            return False
        deleted = self._delete_row(row_id(self.session_key))
        self._claimed = True  # gone (by us or a concurrent request): nothing left to delete
        return deleted > 0

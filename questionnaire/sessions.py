"""The session engine: server-side rows while a check-in is in progress, the
browser alone once it is submitted.

Why: after a shared check-in is saved, nothing left in the database may tie the
CheckIn row to a browser or to a time of day. A session row that still held the
answers, or that was written just after the row, would do exactly that (its
answers match the row; its ``xmin`` and ``expire_date`` sit next to the row's).
So a submitted check-in's session leaves the database in the same transaction
that saves the row (see ``claim_server_row``) and lives on, for the results
page, only in the person's own cookie, encrypted and signed with the site's
secret key (Fernet: AES with an HMAC) and valid for ``SESSION_COOKIE_AGE``.

Every other session (a check-in in progress, staff) is an ordinary database
session, except that its expiry is rounded up to the next whole hour, so the
session table cannot date the rows written around it to the minute.

Each request of a check-in loads and most save the session, so the round trips
to the database are kept few (issue 12): a save outside a transaction is one
INSERT or UPDATE (no BEGIN and COMMIT around it), a new key is not first looked
up (32 random characters; a clash still fails the INSERT and a new key is
drawn), a new check-in's fresh key is written once, with its data, when the
response is sent (``cycle_key``), and a delete is one DELETE.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import secrets
import zlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.core import signing
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connections, router, transaction
from django.utils.crypto import salted_hmac

# A session holding this key is kept in the browser, not in the database.
IN_BROWSER = "_in_browser"
# Database session keys are 32 characters (at most 40 fit the column); a sealed
# session is a Fernet token of several hundred.
_SEALED_MIN_LENGTH = 100


def _fernet() -> MultiFernet:
    keys = []
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        digest = salted_hmac("questionnaire.sessions.sealed", "key", secret=secret, algorithm="sha256").digest()
        keys.append(Fernet(base64.urlsafe_b64encode(digest)))
    return MultiFernet(keys)


def seal(data: dict) -> str:
    payload = zlib.compress(signing.JSONSerializer().dumps(data), 9)
    return _fernet().encrypt(payload).decode("ascii")


def unseal(token: str, *, max_age: int) -> dict:
    """Return the data of a sealed session; raise ``InvalidToken`` if it is forged or too old."""
    payload = _fernet().decrypt(token.encode("ascii"), ttl=max_age)
    return signing.JSONSerializer().loads(zlib.decompress(payload))


def is_sealed(session_key: str | None) -> bool:
    return bool(session_key) and len(session_key) >= _SEALED_MIN_LENGTH


def next_whole_hour(moment: datetime.datetime) -> datetime.datetime:
    """Round a moment up to the next whole hour (a whole hour stays as it is)."""
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + datetime.timedelta(hours=1)


class SessionStore(db.SessionStore):
    def load(self):
        if is_sealed(self.session_key):
            try:
                return unseal(self.session_key, max_age=self.get_session_cookie_age())
            except (InvalidToken, ValueError, zlib.error, UnicodeError):
                self._session_key = None
                return {}
        return super().load()

    def exists(self, session_key):
        if is_sealed(session_key):
            return False
        return super().exists(session_key)

    def save(self, must_create=False):
        data = self._get_session(no_load=must_create)
        if data.get(IN_BROWSER):
            if self.session_key and not is_sealed(self.session_key) and not getattr(self, "_claimed", False):
                # Normally already gone (claim_server_row); never leave it behind.
                self._delete_row(self.session_key)
            self._session_key = seal(data)
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

    def _get_new_session_key(self):
        # Django looks each new key up first (one more query). With 32 characters
        # from 36 a clash is not expected in the life of the universe; should one
        # happen, the INSERT fails (CreateError) and ``create`` draws again.
        # 20 random bytes as 32 characters of a-z and 2-7 (160 bits); Django's
        # get_random_string asks the system for randomness once per character.
        return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()

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
        if is_sealed(key):
            return  # nothing on the server; the cookie is dropped by the caller
        if key is None:
            return
        self._delete_row(key)

    def _delete_row(self, key: str) -> int:
        """Delete a session's row in one statement; return how many rows went (0 or 1).

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

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.expire_date = next_whole_hour(instance.expire_date)
        return instance

    def claim_server_row(self) -> bool:
        """Delete this session's database row; return True if it was there.

        Run inside the transaction that saves a check-in, this is both the
        double-submit guard (of two concurrent requests only one deletes the row)
        and the unlinking (no live row of this browser shares the transaction).
        """
        if not self.session_key or is_sealed(self.session_key):
            return False
        deleted = self._delete_row(self.session_key)
        self._claimed = True  # gone (by us or a concurrent request): nothing left to delete
        return deleted > 0

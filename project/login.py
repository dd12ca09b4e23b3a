"""Staff and admin login: forms that check the username before anything is
recorded and warn before the last try, and django-axes' lock-out made to fit
(the page with the time left, no user agent stored or logged).

Django's login form sets the username's maximum length without a validator, so
a 256-character name reached django-axes, whose attempt log cannot hold it (a
500 on PostgreSQL). Here a name that no account can have (too long, control
characters) is a plain form error: no authentication, nothing recorded.
"""

import datetime
import math
import unicodedata

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

USERNAME_MAX_LENGTH = 150  # Django's User.username


def username_problem(value: str) -> str | None:
    """Return why a typed username cannot belong to any account, or None."""
    if len(value) > USERNAME_MAX_LENGTH:
        return f"A username has at most {USERNAME_MAX_LENGTH} characters."
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in value):
        return "A username cannot contain that kind of character. Please check it."
    return None


class _CheckedUsername:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.max_length = USERNAME_MAX_LENGTH
        field.widget.attrs["maxlength"] = USERNAME_MAX_LENGTH
        field.validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))

    def clean_username(self):
        username = self.cleaned_data["username"]
        problem = username_problem(username)
        if problem:
            raise forms.ValidationError(problem, code="username")
        return username

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            # axes counted this failure while authenticating (request.axes_failures_since_start).
            warning = tries_left_warning(getattr(self.request, "axes_failures_since_start", None),
                                         settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)
            if warning:
                raise forms.ValidationError([*error.error_list,
                                             forms.ValidationError(warning, code="tries_left")]) from None
            raise


class StaffLoginForm(_CheckedUsername, AuthenticationForm):
    pass


class AdminLoginForm(_CheckedUsername, AdminAuthenticationForm):
    pass


# --- the lock-out (django-axes) -------------------------------------------------------------
#
# Who is locked: a username from one client address (AXES_LOCKOUT_PARAMETERS).
# Behind a TLS proxy every request comes from the proxy's address, so the
# address is the one the trusted proxy saw (settings.TRUSTED_PROXY_COUNT feeds
# django-axes' ipware settings), never a client's own X-Forwarded-For. A
# stranger elsewhere, behind the same proxy or not, pauses only their own
# address; what remains is a stranger on the very same network as the staff
# member (one office behind one NAT address): an administrator unlocks that
# username early (README, "Production").


def tries_left_warning(failures: int | None, limit: int, cooloff_hours: float) -> str | None:
    """Return the warning to show after a wrong password when few tries are left, or None."""
    if failures is None or failures <= 0:
        return None
    left = limit - failures
    if left not in (1, 2):
        return None
    pause = "1 hour" if cooloff_hours == 1 else f"{cooloff_hours:g} hours"
    tries = "1 try" if left == 1 else f"{left} tries"
    return f"You have {tries} left. After that, this username is paused here for {pause}."


def minutes_left(last_failure: datetime.datetime | None, cool_off: datetime.timedelta,
                 now: datetime.datetime) -> int:
    """Return the whole minutes (at least 1) until a lock-out that began with ``last_failure`` ends."""
    if last_failure is None:
        return max(1, math.ceil(cool_off.total_seconds() / 60))
    remaining = (last_failure + cool_off - now).total_seconds()
    return max(1, math.ceil(remaining / 60))


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the "Too many tries" page with the time left and a way back."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request) or datetime.timedelta(hours=1)
    attempts = NoUserAgentHandler().get_user_attempts(request, credentials)
    times = [t for qs in attempts for t in qs.values_list("attempt_time", flat=True)]
    left = minutes_left(max(times, default=None), cool_off, timezone.now())
    context = {"minutes_left": left, "wait": _duration(left), "is_admin": request.path.startswith("/admin/")}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


def _duration(minutes: int) -> str:
    if minutes >= 60:
        hours, rest = divmod(minutes, 60)
        text = "1 hour" if hours == 1 else f"{hours} hours"
        return text + (f" {rest} minute{'s' if rest != 1 else ''}" if rest else "")
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


# --- no user agent, anywhere ------------------------------------------------------------------


class NoUserAgentHandler(AxesDatabaseHandler):
    """django-axes' database handler, with the browser's user agent forgotten first.

    Axes reads the User-Agent into ``request.axes_user_agent`` and stores it in
    AccessAttempt (and AccessFailureLog) and prints it in its log lines. We
    promise that no user agent is stored or logged, and it is not a lock-out
    parameter here, so every entry point blanks it before the database handler
    runs. (A ``pre_save`` signal would not do: the attempt is looked up by
    username, address and user agent together.)
    """

    @staticmethod
    def _forget(request):
        if request is not None:
            AxesProxyHandler.update_request(request)  # sets the axes_* attributes once per request
            request.axes_user_agent = ""

    def is_allowed(self, request, credentials=None):
        self._forget(request)
        return super().is_allowed(request, credentials)

    def is_locked(self, request, credentials=None):
        self._forget(request)
        return super().is_locked(request, credentials)

    def get_failures(self, request, credentials=None):
        self._forget(request)
        return super().get_failures(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        self._forget(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        self._forget(request)
        return super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        self._forget(request)
        return super().user_logged_out(sender, request, user, **kwargs)


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """``AXES_CLIENT_STR_CALLABLE``: what axes' log lines say about a client — the page only.

    No username, address or user agent (gunicorn.conf.py: logs never carry one).
    """
    path = path_info[0] if isinstance(path_info, (list, tuple)) else path_info
    return "{path_info: " + repr(str(path)[:100]) + "}"

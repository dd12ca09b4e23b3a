"""Staff and admin login forms that check the username before anything is recorded.

Django's login form sets the username's maximum length without a validator, so
a 256-character name reached django-axes, whose attempt log cannot hold it (a
500 on PostgreSQL). Here a name that no account can have (too long, control
characters) is a plain form error: no authentication, nothing recorded.
"""

import unicodedata

from django import forms
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


class StaffLoginForm(_CheckedUsername, AuthenticationForm):
    pass


class AdminLoginForm(_CheckedUsername, AdminAuthenticationForm):
    pass

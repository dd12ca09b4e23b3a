"""Small overrides for the test suite: the real settings, with a fixed key and plain HTTP."""

import os

os.environ["CHECKIN_ENV_FILE"] = ""  # a developer's .env never changes what the tests see
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("QUICK_EXIT_URL", "https://neutral.example/")
os.environ.setdefault("EMAIL_HOST", "console")  # a mailer for Django to swap for its memory one

from .settings import *  # noqa: E402,F403

# Fast hashing in tests; production keeps Argon2 (settings.PASSWORD_HASHERS).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
AXES_ENABLED = True
# No collectstatic in tests: serve files by name, without the hashed manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

"""The one settings module. Every value that differs between machines comes from
the environment (see .env.example); the defaults are safe for production except
where DEBUG is turned on for local work."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from . import env

BASE_DIR = Path(__file__).resolve().parent.parent
env.load_file()

DEBUG = env.boolean("DEBUG", False)
SECRET_KEY = env.string("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local work).")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production-0123456789"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "questionnaire.apps.QuestionnaireConfig",  # first, so its templates override admin and auth ones
    "stats.apps.StatsConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "questionnaire.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, already compressed at build time
    # Compresses our HTML. Before every middleware that reads or changes the body (so
    # it sees the final page) and after WhiteNoise (whose files are compressed ahead).
    # BREACH: Django adds random bytes to each gzip header and masks the CSRF token
    # anew in every response, and no page echoes a secret next to what a visitor typed.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Persistent connections are checked before reuse, so a database restart costs
# no request a 500. While the database is unreachable every page answers a 503
# with the safety frame (questionnaire.middleware.server_error).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: write-ahead logging lets readers go on
    # while one writes, and IMMEDIATE transactions wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "stats:home"
AXES_FAILURE_LIMIT = env.integer("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
# Lock one username from one address only: a stranger elsewhere cannot lock a
# staff member out, nor everyone behind a shared address. Only failed staff
# logins are recorded (never a check-in, never a successful login). An admin
# unlocks early by deleting the attempt in the admin (Axes > Access attempts)
# or with `manage.py axes_reset_username NAME`.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Sessions hold a person's answers until they submit: server-side, short-lived,
# gone when the browser closes. `manage.py clearsessions` prunes expired rows.
# Once a check-in is submitted its session leaves the database and lives only in
# the person's encrypted cookie, so no row can be tied to a browser (see
# questionnaire/sessions.py).
SESSION_ENGINE = "questionnaire.sessions"
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 2 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "questionnaire.views.csrf_failure"
# The CSRF token lives in the session, not in a cookie of its own: "Leave this site"
# ends the session, and with it every cookie of ours (a year-long csrftoken cookie
# would show the site was visited).
CSRF_USE_SESSIONS = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.string("TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
# Files served at the site's root: /favicon.ico, which browsers ask for on their own.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. No third-party anything: every source is our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws its form icons as data: SVGs
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features we never use, turned off (questionnaire.middleware). Only features
# Chromium knows: an unknown one (e.g. "bluetooth") is logged on every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    )
}
# A load balancer's health check may come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.boolean("BEHIND_TLS_PROXY", False) else None
)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.boolean("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env.boolean("CSRF_COOKIE_SECURE", not DEBUG)

# Where "Leave this site" sends a person: a neutral page elsewhere.
QUICK_EXIT_URL = env.string("QUICK_EXIT_URL", "https://www.google.com/")

# Disclosure control: the smallest count staff may see (CMS cell-size rule).
# May be raised, never lowered below 11 (a system check refuses to start).
SUPPRESSION_THRESHOLD = env.integer("SUPPRESSION_THRESHOLD", 11)

# Logs never carry answers, IP addresses or user agents: Django's request logger
# only reports errors, and runserver/gunicorn access logs are off in production.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Belt and braces: no address in any message (see project/gunicorn_logging.py).
    "filters": {"redact_addresses": {"()": "project.gunicorn_logging.RedactAddresses"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_addresses"]}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "WARNING")},
    # Django gives its own loggers a console handler too; without this each of their
    # lines would print twice (once there, once at the root).
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

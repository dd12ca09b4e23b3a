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
    # First: stamps the security headers on every response, also on the 400/403/
    # 404/500/503 pages Django builds from an exception raised further down.
    "questionnaire.middleware.SecurityHeadersMiddleware",
    # A cookie that cannot be a token of ours (a NUL, a line break, 5 KB) is no cookie.
    "questionnaire.middleware.CookieSanitisingMiddleware",
    "django.middleware.security.SecurityMiddleware",  # HTTPS redirect (its headers: see above)
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, already compressed at build time
    # Compresses our HTML. Before every middleware that reads or changes the body (so
    # it sees the final page) and after WhiteNoise (whose files are compressed ahead).
    # BREACH: Django adds random bytes to each gzip header and masks the CSRF token
    # anew in every response, and no page echoes a secret next to what a visitor typed.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language from its address (/es/... is Spanish, the rest English;
    # never a cookie). After WhiteNoise, so static files carry no Vary: Accept-Language;
    # the error pages take their language from the address themselves (project/urls.py).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # These two add their headers here too (`check --deploy` looks for them); the
    # first middleware adds them where a response never came this far.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # also makes the nonce
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
# Lock one username from one client address only: a stranger elsewhere cannot
# lock a staff member out, nor everyone behind a shared address. Only failed
# staff logins are recorded (never a check-in, never a successful login). An
# admin unlocks early by deleting the attempt in the admin (Axes > Access
# attempts) or with `manage.py axes_reset_username NAME`.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "project.login.lockout_response"  # the page with the time left
# No user agent stored (the handler blanks it) or logged (log lines name the page only).
AXES_HANDLER = "project.login.NoUserAgentHandler"
AXES_CLIENT_STR_CALLABLE = "project.login.client_str"
# The client address behind a TLS proxy. TRUSTED_PROXY_COUNT is how many proxies
# of ours each request passes (nginx alone: 1; a load balancer then nginx: 2).
# With 0 (the default) only REMOTE_ADDR counts and a client's own X-Forwarded-For
# is never read. Each proxy appends the address it got the request from to
# X-Forwarded-For, so with N proxies the client is the N-th entry from the right
# and whatever a client wrote in front of it is ignored. django-ipware counts the
# entries after the client's, N - 1; non-strict, so a header with a client's own
# entries in front still gives that address (strict would fall back to the
# proxy's own address). Gunicorn must be reachable through the proxies only.
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1 if TRUSTED_PROXY_COUNT else None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)
IPWARE_STRICT = False

# Sessions hold a person's answers until they submit: server-side rows whose data
# is ciphertext under a key only the browser's cookie holds, short-lived, gone
# when the browser closes. `manage.py clearsessions` prunes expired rows. Once a
# check-in is submitted its session leaves the database and lives only in the
# person's sealed cookie for RESULTS_IDLE_MINUTES of inactivity, so no row can
# be tied to a browser (see questionnaire/sessions.py). A page view that has not
# started a check-in writes nothing.
SESSION_ENGINE = "questionnaire.sessions"
SESSION_COOKIE_AGE = env.integer("SESSION_COOKIE_AGE", 2 * 60 * 60)
RESULTS_IDLE_MINUTES = env.integer("RESULTS_IDLE_MINUTES", 15)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "questionnaire.views.csrf_failure"
# The CSRF token lives in a cookie that ends with the browser session (no
# Max-Age), not in a session row: a visit that has not started a check-in
# leaves no row anywhere. "Leave this site" and Clear delete it with the session
# cookie, so no cookie of ours survives them.
CSRF_USE_SESSIONS = False
CSRF_COOKIE_AGE = None
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# English and Spanish on the person's side (DESIGN 5c). Each language's messages
# live in a .po file in the repository: the project-wide one (templates, settings)
# in locale/, the check-in's questions and results in questionnaire/locale/.
# scripts/run and scripts/test compile them (manage.py compilemessages).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.string("TIME_ZONE", "America/New_York")
USE_I18N = True
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
# Browser features we never use, turned off (questionnaire.middleware.SecurityHeadersMiddleware).
# Only features Chromium knows: an unknown one (e.g. "bluetooth") is logged on every page.
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

# Retention (`manage.py retention`, daily; see docs/operations.md). 0 keeps forever.
# A shared check-in goes once it is older than this many whole months AND its month,
# quarter and year are all published for its community, so no published number
# changes (rollups and publications stay).
RETENTION_CHECKIN_MONTHS = env.integer("RETENTION_CHECKIN_MONTHS", 24)
# django-axes' records of failed staff logins (attempts and failure logs).
RETENTION_LOGIN_DAYS = env.integer("RETENTION_LOGIN_DAYS", 30)
# The staff audit log (who looked at which community's numbers, when).
RETENTION_AUDIT_DAYS = env.integer("RETENTION_AUDIT_DAYS", 730)
for _name in ("RETENTION_CHECKIN_MONTHS", "RETENTION_LOGIN_DAYS", "RETENTION_AUDIT_DAYS"):
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} must be 0 (keep forever) or more, not {globals()[_name]}.")

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

# The site's canonical address, e.g. https://checkin.example.org: the poster's
# check-in link and the links in e-mails (never the host name a request happened
# to use). A system check warns when DEBUG is off and it is not set.
PUBLIC_URL = env.string("PUBLIC_URL", "").rstrip("/")
# E-mail (staff who opt in hear when new figures are published), as Django 6.1's
# MAILERS. EMAIL_HOST names the SMTP server; "console" prints each mail to the
# terminal instead (the demo, and local work); empty sends no mail at all.
# Tests keep mail in memory (Django swaps every mailer for its memory backend).
_email_host = env.string("EMAIL_HOST", "console" if DEBUG else "")
if _email_host == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
elif _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env.integer("EMAIL_PORT", 587),
                "username": env.string("EMAIL_HOST_USER", ""),
                "password": env.string("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env.boolean("EMAIL_USE_TLS", True),
            },
        },
    }
else:
    MAILERS = {}
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "checkin@localhost")

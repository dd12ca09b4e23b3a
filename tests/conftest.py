import os

# Tests run with DEBUG off but a fixed key and plain HTTP (no HTTPS redirect).
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("QUICK_EXIT_URL", "https://neutral.example/")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in
# live-server tests are still synchronous (see RECIPES.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

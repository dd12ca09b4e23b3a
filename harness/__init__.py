"""What the tests and the benchmarks share to drive the real parts: one HTTP client
(``http``), one gunicorn launcher (``gunicorn``), one way to make and drop a
PostgreSQL database (``postgres``) and one seeding path for synthetic check-ins
(``seeding``). Never imported by the app."""

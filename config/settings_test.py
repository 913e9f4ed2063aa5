"""Settings of the test suite (pytest.ini points DJANGO_SETTINGS_MODULE here): the app's own
settings, read from the environment as always, plus what the tests need.

The suite runs with nothing configured: no SECRET_KEY, no DEBUG. DATABASE_URL and
REDIS_URL still choose SQLite or PostgreSQL, eager Celery or Redis (README, Configuration).
Subprocesses that stand for a real deployment (a Celery worker, `manage.py check`) set
DJANGO_SETTINGS_MODULE=config.settings themselves.
"""

import os

# config.settings refuses to start without a SECRET_KEY outside DEBUG; give it one that is
# only ever used by tests, before it is read.
os.environ.setdefault("SECRET_KEY", "insecure-key-only-used-by-the-test-suite-" + "x" * 20)

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

# Requests come from Django's test client and pytest-django's live server: plain http on
# the loopback (Django adds "testserver" itself), whatever the environment says.
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False

# Static files are served from the source folders; tests never run collectstatic, and
# WhiteNoise does not index a collected folder some other run may be rewriting.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Webhook receivers in tests are local HTTP servers.
WEBHOOK_ALLOW_PRIVATE_URLS = True

# Hashing passwords with a real KDF is most of a test's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Django empties the database with TRUNCATE after each transactional test; the audit
# trail's trigger refuses TRUNCATE unless the session allows it (departments migration
# 0008).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["options"] = f"{options.get('options', '')} -c techleads.allow_audit_truncate=on"

"""Settings: one module, read from the environment, with defaults that need nothing.

With no variable set the app runs on SQLite in the project folder, Celery runs
tasks eagerly in-process and email goes to the console. See README, Configuration.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0/true/false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (for example "
            "`export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')`), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_celery_beat",
    "integrations",
    "departments",
    "techleads",
    "sops",
    "continuity",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Database unreachable: a 503 (JSON under /api/, a plain page elsewhere), never a 500.
    "integrations.middleware.DatabaseUnavailableMiddleware",
    # Under /api/, a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 413 before it is read.
    "departments.api.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sessions end after SESSION_IDLE_MINUTES idle (config/sessions.py).
    "config.sessions.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Login protection: axes' refusals become 429 answers (departments/lockout.py). Last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "dashboard.context_processors.visible_departments",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: DATABASE_URL, or a SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A new PostgreSQL connection costs more than a whole API response.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails a request in seconds instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )
    if not env_bool("DATABASE_JIT", False):
        # PostgreSQL's JIT compiles a query it estimates costly: for this app's short
        # queries over large tables the compiling cost more than the query (0.8-1.5 s of
        # the capacity list at 100,000 people).
        DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes' backend first: it refuses a locked-out username and address before any password
# is checked (LOGIN_FAILURE_LIMIT, README, Security and reliability).
AUTHENTICATION_BACKENDS = [
    "departments.lockout.LoginProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "dashboard:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "dashboard:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: on by default outside DEBUG; each can be relaxed explicitly (e.g. behind
# a TLS-terminating proxy that already redirects, or for a loopback benchmark).
SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
# Load balancers probe these over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_MINUTES without a request: config.sessions renews it
# (at most once a minute, so a page costs no session write).
SESSION_IDLE_MINUTES = max(1, env_int("SESSION_IDLE_MINUTES", 60))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

# Content-Security-Policy (django-csp): no inline script or style, nothing from elsewhere,
# never framed. Swagger UI at /api/docs/ loads its script from a URL of its own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login protection (django-axes): LOGIN_FAILURE_LIMIT failures for one username from one
# client address within LOGIN_LOCKOUT_MINUTES lock that pair out for the period, the right
# password included; a success resets the count. The address is REMOTE_ADDR, or the last
# X-Forwarded-For entry with USE_X_FORWARDED_FOR (only behind a proxy that sets it).
LOGIN_FAILURE_LIMIT = max(1, env_int("LOGIN_FAILURE_LIMIT", 10))
LOGIN_LOCKOUT_MINUTES = max(1, env_int("LOGIN_LOCKOUT_MINUTES", 15))
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Refused tries during a lockout do not extend it: it ends LOGIN_LOCKOUT_MINUTES after the
# last counted failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "departments.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "departments.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Email: the console unless an SMTP host is configured.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tech Leads <techleads@localhost>")

# Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis down must not hang a request: a publish tries once, for BROKER_TIMEOUT seconds at
# most, and the outbox (integrations) keeps the work until a sweep publishes it.
BROKER_TIMEOUT = env_int("BROKER_TIMEOUT", 2)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": BROKER_TIMEOUT,
    "socket_timeout": BROKER_TIMEOUT * 5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into the database schedule by beat at start (then editable in the admin): the
# stored health ranking the overview and the departments list pick their first rows by.
HEALTH_SCORES_REFRESH_MINUTES = max(1, env_int("HEALTH_SCORES_REFRESH_MINUTES", 10))
CELERY_BEAT_SCHEDULE = {
    "refresh health scores": {
        "task": "dashboard.tasks.refresh_health_scores",
        "schedule": HEALTH_SCORES_REFRESH_MINUTES * 60.0,
    },
}

# Documentation review policy (see sops/constants.py for the per-kind intervals).
STALENESS_WARNING_DAYS = env_int("STALENESS_WARNING_DAYS", 14)
STALENESS_ESCALATION_DAYS = env_int("STALENESS_ESCALATION_DAYS", 30)
# Pending acknowledgements of cross-department processes are reminded once per period.
ACKNOWLEDGEMENT_REMINDER_DAYS = max(1, env_int("ACKNOWLEDGEMENT_REMINDER_DAYS", 7))

# Department health score (dashboard/rules.py): the weight of each component.
HEALTH_SCORE_WEIGHTS = {
    "tech_lead": env_int("HEALTH_WEIGHT_TECH_LEAD", 3),
    "succession": env_int("HEALTH_WEIGHT_SUCCESSION", 2),
    "documentation": env_int("HEALTH_WEIGHT_DOCUMENTATION", 2),
    "tooling": env_int("HEALTH_WEIGHT_TOOLING", 1),
    "acknowledgements": env_int("HEALTH_WEIGHT_ACKNOWLEDGEMENTS", 1),
    "improvement_tasks": env_int("HEALTH_WEIGHT_IMPROVEMENT_TASKS", 1),
    "tech_sessions": env_int("HEALTH_WEIGHT_TECH_SESSIONS", 1),
}
TECH_SESSIONS_PER_QUARTER = env_int("TECH_SESSIONS_PER_QUARTER", 3)
# A successor candidate's confirmation expires this many days after it was given (flag
# `expired`: not ready until the manager or HR confirms again).
SUCCESSION_CONFIRMATION_DAYS = max(1, env_int("SUCCESSION_CONFIRMATION_DAYS", 180))
# Jira Cloud admin webhooks sign the body with this secret (X-Hub-Signature); empty: off.
JIRA_WEBHOOK_SECRET = env("JIRA_WEBHOOK_SECRET")
# Outbound webhooks (integrations): attempts per delivery before it is failed, seconds a
# receiver has to answer, and whether a URL may resolve to a loopback or private address
# (off in production: a webhook must not reach the server's own network).
WEBHOOK_MAX_ATTEMPTS = max(1, env_int("WEBHOOK_MAX_ATTEMPTS", 6))
WEBHOOK_TIMEOUT_SECONDS = max(1, env_int("WEBHOOK_TIMEOUT_SECONDS", 5))
WEBHOOK_ALLOW_PRIVATE_URLS = env_bool("WEBHOOK_ALLOW_PRIVATE_URLS", False)

# Request limits (README, API): body size in bytes (Django's setting; under /api/ a larger
# body is a 413) and how deep JSON bodies may nest (deeper is a 400).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)

# A FilterSet's choice left empty reads "Any" on a page, like the dashboard's other filters.
FILTERS_EMPTY_CHOICE_LABEL = "Any"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's, reading the login's HR role and person in the token's query.
        "departments.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only, refusing bodies nested deeper than API_JSON_MAX_DEPTH levels (a 400).
    "DEFAULT_PARSER_CLASSES": ["departments.api.parsers.JSONParser"],
    # `search` and `ordering` only where a viewset supports them; a bad ordering is a 400.
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "departments.api.backends.SearchFilter",
        "departments.api.backends.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "departments.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "departments.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Tech Lead management API",
    "DESCRIPTION": "Departments, people, eligibility, Tech Lead assignments and documentation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the verdicts wherever a field carries one (a rule's, a preview's from/to).
    "ENUM_NAME_OVERRIDES": {"VerdictEnum": "techleads.constants.VerdictChoice"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

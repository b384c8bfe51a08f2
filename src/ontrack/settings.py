"""Settings, all from environment variables (12-factor), with safe development defaults.

``ONTRACK_ENVIRONMENT`` is ``development`` (default) or ``production``. Production refuses to
start without ``ONTRACK_SECRET_KEY`` and ``ONTRACK_ALLOWED_HOSTS`` and never runs with DEBUG.
Development keeps a per-machine secret in ``var/secret_key`` (never committed) and an embedded
SQLite database in ``var/``. ``ONTRACK_DATABASE_URL`` (``postgres://…``) selects PostgreSQL;
``ONTRACK_MIGRATE_DATABASE_URL`` is then the owner role that schema commands use (ADR 0022).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ontrack.common.location import default_sqlite, var_dir
from ontrack.common.site import office_time_zone

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()  # ./var, or ONTRACK_VAR_DIR (common/location.py; `ontrack` checks it)
ENVIRONMENT = os.environ.get("ONTRACK_ENVIRONMENT", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"ONTRACK_ENVIRONMENT must be 'development' or 'production', not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _development_secret() -> str:
    """A random key kept beside the development database, created on first use."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _flag("ONTRACK_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("ONTRACK_DEBUG must be off when ONTRACK_ENVIRONMENT=production")
    SECRET_KEY = os.environ.get("ONTRACK_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "ONTRACK_SECRET_KEY must be set to a random string of 50 or more characters "
            "in production"
        )
    _hosts = os.environ.get("ONTRACK_ALLOWED_HOSTS", "")
    if not _hosts:
        raise ImproperlyConfigured("ONTRACK_ALLOWED_HOSTS must be set in production")
    ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("ONTRACK_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # HSTS preload is off unless the operator owns the whole registrable domain and opts in:
    # preloading binds every subdomain for months and is hard to undo (ADR 0027).
    SECURE_HSTS_PRELOAD = _flag("ONTRACK_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # preload deliberately off (ADR 0027)
else:
    SECRET_KEY = os.environ.get("ONTRACK_SECRET_KEY") or _development_secret()
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    # First, so its ``createsuperuser`` and ``changepassword`` replace django.contrib.auth's
    # (the earliest app wins): both are refused outside development (CJIS AC-2, AC-6).
    "ontrack.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Sign-in to CJIS level (ADR 0025): lockout (AC-7), TOTP and backup codes (IA-2).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",  # django-csp: the Content-Security-Policy header and its settings checks
    # REST API v1 (ADR 0053): DRF, its OpenAPI 3.1 schema, Swagger UI from package files.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # One app per domain noun; dependencies point one way (see ARCHITECTURE.md).
    "ontrack.common",
    "ontrack.audit",
    "ontrack.ingest",
    "ontrack.people",
    "ontrack.offenses",
    "ontrack.programs",
    "ontrack.cases",
    "ontrack.imports",
    "ontrack.search",
    "ontrack.eligibility",
    "ontrack.referrals",
    # The program at work (issue 10): enrollments → hearings → plans → drug tests,
    # responses, notes → the participant pages.
    "ontrack.enrollments",
    "ontrack.hearings",
    "ontrack.plans",
    "ontrack.drugtests",
    "ontrack.responses",
    "ontrack.notes",
    "ontrack.participants",
    # hearings: Django's tasks framework (django-tasks backport) and its database backend.
    "django_tasks",
    "django_tasks_db",
    "ontrack.queues",
    "ontrack.synth",
    "ontrack.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after SecurityMiddleware, so that redirects, refusals and error pages made by
    # inner layers carry the headers too (issue 8, headers and caching).
    "ontrack.common.headers.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The origin (request id, address) wraps everything that may write audit rows; the access
    # log inside it writes each request's access rows after the response (CJIS AU-2, AU-5).
    "ontrack.audit.context.RequestContextMiddleware",
    "ontrack.audit.access.AccessLogMiddleware",
    "ontrack.common.params.RefuseNulMiddleware",  # NUL in a query parameter: 400 (issue 8)
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() (CJIS IA-2)
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ontrack.common.access.DeclaredPermissionMiddleware",
    "ontrack.accounts.session_limits.SessionLimitsMiddleware",  # CJIS AC-11, after the origin
    "ontrack.cases.purpose.PurposeMiddleware",  # a stated purpose for restricted cases (AC-3)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes documents (CJIS AC-7)
]

ROOT_URLCONF = "ontrack.urls"
WSGI_APPLICATION = "ontrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ontrack.synth.context.synthetic_data",  # the footer's "synthetic data" note
            ],
        },
    },
]

_default_db = f"sqlite:///{default_sqlite()}"
DATABASE_URL = os.environ.get("ONTRACK_DATABASE_URL") or _default_db
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# CJIS AU-9 (ADR 0022): the application connects as a role that owns nothing; schema commands
# (`ontrack migrate`, `grant_app_role`) connect as the owner when ONTRACK_MIGRATE_DATABASE_URL
# is set. `ontrack.cli` sets ONTRACK_CONNECT_AS=owner for those commands.
MIGRATE_DATABASE_URL = os.environ.get("ONTRACK_MIGRATE_DATABASE_URL", "")
CONNECT_AS = os.environ.get("ONTRACK_CONNECT_AS", "") or "application"
if CONNECT_AS not in {"application", "owner"}:
    raise ImproperlyConfigured(
        f"ONTRACK_CONNECT_AS must be 'application' or 'owner', not {CONNECT_AS!r}"
    )
if MIGRATE_DATABASE_URL:
    _owner_db = dj_database_url.parse(MIGRATE_DATABASE_URL, conn_max_age=60)
    _app_db = DATABASES["default"]
    if (_owner_db.get("ENGINE"), _owner_db.get("NAME"), _owner_db.get("HOST"),
        _owner_db.get("PORT")) != (_app_db.get("ENGINE"), _app_db.get("NAME"),
                                   _app_db.get("HOST"), _app_db.get("PORT")):  # fmt: skip
        raise ImproperlyConfigured(
            "ONTRACK_MIGRATE_DATABASE_URL must name the same database (engine, host, port, name) "
            "as ONTRACK_DATABASE_URL, with the owner role's credentials"
        )
    if CONNECT_AS == "owner":
        DATABASES["default"] = _owner_db
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if _default_db == DATABASE_URL:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE transactions take the write lock up front, so two writers queue instead of
    # failing half-way; WAL lets readers continue while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 30 * 60  # CJIS AC-11: idle lock; refreshed on every request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Input limits (docs/security.md): no staff form needs more than a few KB, so a body over
# 256 KB or with over 200 fields is refused with a 400 before any form reads it (issue 8).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# notes: the largest document a person may upload (bytes; docs/notes.md). Uploads bypass
# DATA_UPLOAD_MAX_MEMORY_SIZE (files are not counted in it); notes/services.py enforces this.
ONTRACK_MAX_UPLOAD_BYTES = int(os.environ.get("ONTRACK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))

# --- Sign-in (ADR 0025, docs/security.md) ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked username before any check
    # Django's ModelBackend plus CJIS AC-2(3): an account unused for 90 days is disabled at
    # its next sign-in, even if the scheduled `ontrack staff disable-inactive` never ran.
    "ontrack.accounts.backends.ModelBackend",
]
# CJIS AC-7: five consecutive failures lock the USERNAME (never the address, which a client
# chooses) until an administrator unlocks it; a success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# axes.W006 asks for the address in the lockout key. Deliberately not: a client chooses its
# address (and X-Forwarded-For), so counting by address lets it reset its count (CJIS AC-7).
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W006"]
OTP_TOTP_ISSUER = "OnTrack"
OTP_LOGIN_URL = "accounts:otp"
ONTRACK_PASSWORD_CHANGE_URL = "accounts:password_change"  # noqa: S105 (a URL name)
ONTRACK_IDLE_SECONDS = 30 * 60  # CJIS AC-11
ONTRACK_SESSION_MAX_SECONDS = 12 * 60 * 60  # CJIS AC-11: absolute limit
ONTRACK_RECENT_AUTH_SECONDS = 15 * 60  # CJIS IA-11: re-authentication for sensitive actions
# CJIS AC-3/AC-6: how long a stated purpose opens restricted (sealed) cases (cases/purpose.py).
ONTRACK_RESTRICTED_PURPOSE_SECONDS = 30 * 60
ONTRACK_INACTIVE_DAYS = 90  # CJIS AC-2(3): accounts unused this long are disabled

# Content-Security-Policy (django-csp 4): everything from our own origin, nothing inline, no
# eval, no plugins, no framing, forms post only to us (issue 8, headers; ADR 0027). Pico's
# form icons are data: SVG images, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en-us"
FORMAT_MODULE_PATH = ["ontrack.common.formats"]  # one date format on every page (ADR 0043)
TIME_ZONE = office_time_zone()  # ONTRACK_TIME_ZONE, read where Django is not set up too
USE_I18N = True
USE_TZ = True  # stored in UTC; shown in the office's time zone

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Pico CSS comes from the npm registry (package.json); it is never copied into the repo.
_NODE_MODULES = Path(
    os.environ.get("ONTRACK_NODE_MODULES", PACKAGE_DIR.parents[1] / "node_modules")
)
STATICFILES_DIRS = [("pico", _NODE_MODULES / "@picocss" / "pico" / "css")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ONTRACK_LOG_LEVEL", "WARNING")},
}

# REST API v1 (issue 9 item 6; ADRs 0053-0055; docs/api.md). Bearer tokens only: no session
# authentication on the API, so a session cookie alone reaches nothing and there is no CSRF
# surface. JSON in and out; errors are application/problem+json (RFC 9457).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["ontrack.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["ontrack.api.auth.TokenAllows"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "ontrack.api.pagination.Pages",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "ontrack.api.errors.problem_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OnTrack API",
    "DESCRIPTION": "REST API v1 of OnTrack. Authentication: `Authorization: Bearer TOKEN` "
    "(`ontrack staff token`). See docs/api.md.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and docs pages are for signed-in staff (the session, second factor checked
    # by the access middleware); they show no records.
    "SERVE_AUTHENTICATION": ["rest_framework.authentication.SessionAuthentication"],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",  # package files, never a CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set (issue 10 added fields of the same names: a move's and a
    # transition's states, a test's and a screening's results, a hearing's and a case's status).
    "ENUM_NAME_OVERRIDES": {
        "EnrollmentStateEnum": "ontrack.enrollments.lifecycle.State",
        "CaseStatusEnum": "ontrack.cases.models.CaseStatus",
        "EligibilityResultEnum": ["eligible", "ineligible", "needs_information"],
        "TestResultEnum": "ontrack.plans.models.TestResult",
    },
}

# hearings (issue 10; ADRs 0086-0088; docs/hearings.md): background work through Django's
# tasks framework, stored in the database; ``ontrack worker`` runs it. Text messages through
# a pluggable backend (``ontrack.hearings.sms``), email through Django's mail backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ONTRACK_SMS_BACKEND = os.environ.get(
    "ONTRACK_SMS_BACKEND", "ontrack.hearings.sms.ConsoleSmsBackend"
)
# No network unless configured: mail goes to the console until ONTRACK_EMAIL_BACKEND names
# a real backend (e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST...).
EMAIL_BACKEND = os.environ.get(
    "ONTRACK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
ONTRACK_SMS_FILE_PATH = os.environ.get("ONTRACK_SMS_FILE_PATH", str(VAR_DIR / "sms"))

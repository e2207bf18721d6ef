"""One settings module, driven by the environment (12-factor); embedded servers by default."""

from __future__ import annotations

import datetime
import secrets
import sys
from pathlib import Path

import environ

from rcm import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("RCM_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A per-installation key kept under var/ unless DJANGO_SECRET_KEY is given."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("DJANGO_SECRET_KEY", default=None) or _secret_key()
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto and X-Forwarded-For
# (the audit trail then records the client's address, not the proxy's).
if env.bool("RCM_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    RCM_TRUST_X_FORWARDED_FOR = True

# Two database roles (docs/DEPLOYMENT.md, "Database roles and the audit trail"). DATABASE_URL is
# the app role web, worker and beat run as: it cannot truncate, disable triggers or rewrite the
# audit trail. DATABASE_OWNER_URL (default: DATABASE_URL, a single-role setup) owns the tables:
# migrations run as it, and so does the test run, which creates and flushes its own database.
# The embedded default sets up both roles by itself.
_EMBEDDED_DATABASE = not env("DATABASE_URL", default=None)
DATABASE_URL = env("DATABASE_URL", default=None) or embedded.postgres_url(VAR_DIR)
DATABASE_OWNER_URL = env("DATABASE_OWNER_URL", default=None) or (
    embedded.postgres_owner_url(VAR_DIR) if _EMBEDDED_DATABASE else DATABASE_URL
)
RCM_APP_DB_ROLE = env("RCM_APP_DB_ROLE", default="rcm_app")
_OWNER_COMMANDS = {"migrate", "flush", "test", "db_app_role"}
DATABASE_AS_OWNER = (
    env.bool("RCM_DATABASE_AS_OWNER", default=False)
    or "pytest" in sys.modules
    or (
        Path(sys.argv[0]).name in {"manage.py", "django-admin"}
        and sys.argv[1:2] != []
        and sys.argv[1] in _OWNER_COMMANDS
    )
)
REDIS_URL = env("REDIS_URL", default=None) or embedded.redis_url(VAR_DIR)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "bootstrap",
    "rcm.audit",
    "rcm.files",
    "rcm.practice",
    "patients",
    "coding",
    "claims",
    "denials",
    "rcm.web",
    "demo",  # the demo data set: top floor, imports every app, imported by none
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rcm.web.hostile.RefuseNulMiddleware",  # before anything reads a parameter
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rcm.audit.middleware.AuditContextMiddleware",
    "rcm.web.middleware.ApiNoStoreMiddleware",
    "rcm.web.middleware.IdleTimeoutMiddleware",
    "rcm.web.middleware.LoginRequiredMiddleware",
    "rcm.web.middleware.TwoFactorMiddleware",
    "rcm.web.middleware.PracticeScopeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rcm.urls"
WSGI_APPLICATION = "rcm.wsgi.application"

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
                "rcm.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url_config(DATABASE_OWNER_URL if DATABASE_AS_OWNER else DATABASE_URL)
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The app role's connection, for the tests that prove what it cannot do.
DATABASE_APP = env.db_url_config(DATABASE_URL)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "rcm",
    }
}

AUTH_USER_MODEL = "practice.User"
# django-axes watches every sign-in (the page and the API's token endpoint): after
# RCM_SIGN_IN_FAILURES wrong passwords for one username from one client address, that pair is
# locked for RCM_SIGN_IN_LOCK_MINUTES. Keyed on both, nobody can lock out a user at will.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("RCM_SIGN_IN_FAILURES", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("RCM_SIGN_IN_LOCK_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "rcm.audit.middleware.client_ip_of"
AXES_LOCKOUT_CALLABLE = "rcm.web.forms.lockout_response"
AXES_VERBOSE = False
# API tokens live this long from their issue; a new sign-in or signing out ends them sooner.
RCM_API_TOKEN_HOURS = env.float("RCM_API_TOKEN_HOURS", default=8.0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor sign-in (rcm.web.two_factor): required for administrators unless switched off.
RCM_ADMIN_2FA = env.bool("RCM_ADMIN_2FA", default=True)
OTP_TOTP_ISSUER = env("RCM_TOTP_ISSUER", default="RCM")
# A session idle this long is signed out; SESSION_COOKIE_AGE caps it from sign-in however busy.
RCM_IDLE_MINUTES = env.float("RCM_IDLE_MINUTES", default=15.0)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

# --- HTTP security: secure by default whenever DEBUG is off ------------------------------------
# A plain-HTTP trial (`make run` on 127.0.0.1) is the explicit opt-out: RCM_INSECURE_HTTP=1.
INSECURE_HTTP = DEBUG or env.bool("RCM_INSECURE_HTTP", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not INSECURE_HTTP
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page (hx-headers), not the cookie
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = not INSECURE_HTTP
SECURE_SSL_REDIRECT = not INSECURE_HTTP
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = 0 if INSECURE_HTTP else env.int("RCM_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits every subdomain of the operator's domain to HTTPS for good: their choice.
SECURE_HSTS_PRELOAD = env.bool("RCM_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own origin only, no inline script or style, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "files")))
STORAGES = {
    # Files that cross the boundary (X12, reports, insurance cards) are private: never served
    # from a public URL, only through views that check the user's practice.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rcm.web.authentication.AuditedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Depth-limited and NUL-free JSON (rcm/web/hostile.py); forms and uploads as DRF has them.
    "DEFAULT_PARSER_CLASSES": [
        "rcm.web.hostile.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "rcm.web.api.api_exception_handler",
    # The token endpoint, per client address: guessing passwords at speed is refused.
    "DEFAULT_THROTTLE_RATES": {"api-token": env("RCM_API_TOKEN_RATE", default="20/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RCM API",
    "DESCRIPTION": "Revenue-cycle management: patients, encounters, claims. Every endpoint is "
    "scoped to the practices the caller is a member of.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task taken by a worker that then died (SIGKILL, power loss) goes back to the queue after this
# long; tasks are idempotent, so one still running past it is harmless, merely repeated.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "rcm.practice.tasks.worker_heartbeat",
        "schedule": 30.0,
    },
    "send-claim-batches": {
        "task": "claims.tasks.send_pending_batches_task",
        "schedule": 60.0,
    },
    "poll-clearinghouse-inbox": {
        "task": "denials.tasks.poll_inbox_task",
        "schedule": env.float("RCM_INBOX_POLL_SECONDS", default=60.0),
    },
    "poll-claim-status": {
        "task": "claims.tasks.poll_claim_status_task",
        "schedule": env.float("RCM_STATUS_POLL_SECONDS", default=3600.0),
    },
    # The safety net behind the task coding enqueues on completion (claims.billing).
    "bill-coded-visits": {
        "task": "claims.tasks.bill_coded_visits_task",
        "schedule": env.float("RCM_BILLING_SWEEP_SECONDS", default=600.0),
    },
    # The safety net behind the task an 837P upload enqueues (claims.import837_jobs).
    "resume-claim-imports": {
        "task": "claims.tasks.claim_imports_resume_task",
        "schedule": env.float("RCM_IMPORT_SWEEP_SECONDS", default=300.0),
    },
    # Keeps the biller's totals a read of a few rows (claims.tallies).
    "compact-claim-tallies": {
        "task": "claims.tasks.compact_claim_tallies_task",
        "schedule": env.float("RCM_TALLY_COMPACT_SECONDS", default=300.0),
    },
    "eligibility-sweep": {
        "task": "patients.tasks.eligibility_sweep_task",
        "schedule": env.float("RCM_ELIGIBILITY_SWEEP_SECONDS", default=3600.0),
    },
}
CELERY_TASK_ROUTES = {
    "claims.tasks.submit_practice_claims_task": {"queue": "submission"},
    "claims.tasks.send_batch_task": {"queue": "submission"},
    "claims.tasks.send_pending_batches_task": {"queue": "submission"},
    "denials.tasks.poll_inbox_task": {"queue": "inbox"},
    "claims.tasks.poll_claim_status_task": {"queue": "status"},
    "patients.tasks.eligibility_sweep_task": {"queue": "eligibility"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The embedded sandbox payer (rcm.clearinghouse.sandbox): where it keeps its files and state,
# and how long after a submission its 835 becomes available.
RCM_SANDBOX_DIR = Path(env("RCM_SANDBOX_DIR", default=str(VAR_DIR / "sandbox-clearinghouse")))
RCM_SANDBOX_REMIT_DELAY_SECONDS = env.float("RCM_SANDBOX_REMIT_DELAY_SECONDS", default=120.0)
# Who the sandbox payer's members are: a class read from our coverages, loaded by name by
# rcm.practice.clearinghouse (rcm.practice sits below the patients app and must not import it).
RCM_SANDBOX_ROSTER = "patients.coverage.roster.DatabaseRoster"

# The largest inbound X12 file (clearinghouse inbox, import_era) that is read and applied; a
# larger one is quarantined by its size, only its first 64 KB fetched and kept.
RCM_INBOUND_MAX_BYTES = env.int("RCM_INBOUND_MAX_BYTES", default=20 * 1024 * 1024)
# Fault injection for tests/ops/test_faults.py only: a worker started with this set holds a
# written batch's row locks this many seconds before committing, so that the test can kill it
# mid-batch however fast batches are built. Never set it anywhere else.
RCM_FAULT_PAUSE_IN_BATCH_SECONDS = env.float("RCM_FAULT_PAUSE_IN_BATCH_SECONDS", default=0.0)
# The audit-log page finds a patient by name and walks to the rows that point at them; the model
# is named here for the same reason (rcm.practice.audit loads it by name).
RCM_AUDIT_PATIENT_MODEL = "patients.Patient"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No PHI in logs: searches are GET, so URLs are logged by their path only.
    "filters": {"no_query_strings": {"()": "rcm.web.log_filters.NoQueryStrings"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

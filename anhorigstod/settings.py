"""Settings for Anhörigstöd, read from the environment.

Nothing set: SQLite, in-process Celery tasks, local memory cache, e-mails to the
console, DEBUG off. ``make run`` turns DEBUG on for the demo. Production sets
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL``.
Every variable is listed in README.md.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.env import env_bool, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if env_str("DATABASE_URL"):
        # A real deployment (it has a database server) must bring its own key.
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DATABASE_URL is.")
    # Nothing set: the local SQLite set-up keeps a random key in a git-ignored file,
    # so sessions survive restarts and no key is ever shared between installations.
    _key_file = BASE_DIR / ".secret-key"
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

# Where `make run` serves (its HOST and PORT): the default address of the e-mailed links,
# so that they work when the demo runs on another port. "All interfaces" is reached on
# the loopback address.
_SERVE_HOST = env_str("HOST", "127.0.0.1").strip() or "127.0.0.1"
_ALL_INTERFACES = ("0.0.0.0", "::", "[::]")  # noqa: S104 (recognised here, not bound to)
_LINK_HOST = "127.0.0.1" if _SERVE_HOST in _ALL_INTERFACES else _SERVE_HOST.strip("[]")
_SERVE_PORT = env_int("PORT", 8000)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", list(dict.fromkeys(["127.0.0.1", "localhost", _LINK_HOST])))
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The public address, used in e-mails that are sent from tasks (no request there).
_LINK_AUTHORITY = f"[{_LINK_HOST}]" if ":" in _LINK_HOST else _LINK_HOST
SITE_URL = env_str("SITE_URL", f"http://{_LINK_AUTHORITY}:{_SERVE_PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "anhorigstod.accounts",
    "anhorigstod.audit",
    "anhorigstod.outbox",
    "anhorigstod.rollups",
    "anhorigstod.privacy",
    "anhorigstod.legal",
    "contacts",
    "groups",
    "followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anhorigstod.lib.locale.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "anhorigstod.accounts.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "anhorigstod.urls"
WSGI_APPLICATION = "anhorigstod.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anhorigstod.accounts.context_processors.staff_navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django 6 assumes https for scheme-less URLs in forms; opt in now.
FORMS_URLFIELD_ASSUME_HTTPS = True

# --- Redis: cache, Celery broker and result backend ------------------------
REDIS_URL = env_str("REDIS_URL")
# The cache may live in its own Redis database, so clearing it never drops queued tasks.
REDIS_CACHE_URL = env_str("REDIS_CACHE_URL", REDIS_URL)
if REDIS_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With a host named: Celery opens a producer even for an in-process task, and kombu warns
# "No hostname was supplied" on a bare "memory://", which a newcomer reads as an error.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker the demo runs every task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Work that must not be lost is acknowledged only when done and re-queued when a worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_IMPORTS = ["anhorigstod.lib.tasks", "anhorigstod.outbox.tasks", "anhorigstod.privacy.tasks"]
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # The pre-aggregated follow-up counts checked against a fresh count and repaired.
    "rollups-check": {"task": "anhorigstod.rollups.tasks.rollups_check", "schedule": crontab(hour=1, minute=30)},
    # Gallring and the booking-data shredder: the register of personal data walked once a
    # night, each municipality by its own retention time (anhorigstod.privacy).
    "privacy-retention": {
        "task": "anhorigstod.privacy.tasks.retention_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # E-mails whose first send did not happen (broker or mail server away).
    "outbox-drain": {"task": "anhorigstod.outbox.tasks.outbox_drain", "schedule": 60.0},
    # Reminders the afternoon before.
    "groups-send-reminders": {"task": "groups.tasks.send_reminders", "schedule": crontab(hour=16, minute=0)},
    # Administrators reminded before an exemption decision ends (once per end date).
    "contacts-exemption-reminders": {
        "task": "contacts.tasks.exemption_expiry_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # PDF follow-up reports of every unit: last month's on the 1st, last year's on 2 January.
    "followup-monthly-reports": {
        "task": "followup.tasks.schedule_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=5, minute=0),
    },
    "followup-yearly-reports": {
        "task": "followup.tasks.schedule_yearly_reports",
        "schedule": crontab(month_of_year=1, day_of_month=2, hour=5, minute=0),
    },
    # A report whose worker was killed outright, back on the queue (followup.reports).
    "followup-requeue-stale-reports": {"task": "followup.tasks.requeue_stale_reports", "schedule": 300.0},
}

# Retention periods of the register of personal data that are not the municipality's
# retention_years (which each municipality sets): see the README's "Retention".
ANHORIGSTOD_SHREDDER_DAYS = env_int("ANHORIGSTOD_SHREDDER_DAYS", 1)
# The longest period the follow-up (dashboard, exports, reports) is asked for, in years.
ANHORIGSTOD_FOLLOWUP_MAX_YEARS = env_int("ANHORIGSTOD_FOLLOWUP_MAX_YEARS", 10)
ANHORIGSTOD_ACCESS_LOG_RETENTION_YEARS = env_int("ANHORIGSTOD_ACCESS_LOG_RETENTION_YEARS", 5)
ANHORIGSTOD_OUTBOX_RETENTION_DAYS = env_int("ANHORIGSTOD_OUTBOX_RETENTION_DAYS", 30)
CONTACTS_DRAFT_RETENTION_DAYS = env_int("CONTACTS_DRAFT_RETENTION_DAYS", 30)
GROUPS_CONTACT_REQUEST_RETENTION_DAYS = env_int("GROUPS_CONTACT_REQUEST_RETENTION_DAYS", 90)
ANHORIGSTOD_EXPIRED_SESSION_DAYS = env_int("ANHORIGSTOD_EXPIRED_SESSION_DAYS", 0)

# The accessibility statement (tillgänglighetsredogörelse, DOS-lagen) of this installation:
# who runs it, where to report a problem, and when it was last assessed and updated.
ANHORIGSTOD_ACCESSIBILITY_ORGANISATION = env_str("ANHORIGSTOD_ACCESSIBILITY_ORGANISATION")
ANHORIGSTOD_ACCESSIBILITY_EMAIL = env_str("ANHORIGSTOD_ACCESSIBILITY_EMAIL")
ANHORIGSTOD_ACCESSIBILITY_PHONE = env_str("ANHORIGSTOD_ACCESSIBILITY_PHONE")
ANHORIGSTOD_ACCESSIBILITY_ASSESSED_ON = env_date("ANHORIGSTOD_ACCESSIBILITY_ASSESSED_ON")
ANHORIGSTOD_ACCESSIBILITY_UPDATED_ON = env_date("ANHORIGSTOD_ACCESSIBILITY_UPDATED_ON")
# Days before an exemption decision's end that its municipality's administrators are reminded.
CONTACTS_EXEMPTION_REMINDER_DAYS = env_int("CONTACTS_EXEMPTION_REMINDER_DAYS", 30)

# The apps' menu items, demo data, timeline entries and municipality-page sections are
# registered in their AppConfig.ready() (anhorigstod/extensions.py), not listed here.

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "public_home"

ACCOUNT_ADAPTER = "anhorigstod.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
# Carers sign up with an e-mail address (a password is optional) and can always sign
# in with an e-mailed code; staff sign in with their password and a second factor.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Anhörigstöd] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# Login attempts: 10 a minute per address and 5 failures per account in 5 minutes.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "request_login_code": "20/m/ip,3/m/key",
}
ACCOUNT_SESSION_REMEMBER = False

# The public forms (anhorigstod.lib.ratelimit): per client address, per e-mail address
# (None: the form takes none). A shared office or library connection still books a
# handful a minute; one e-mail address cannot be sent more than a few messages an hour.
ANHORIGSTOD_RATE_LIMITS: dict[str, tuple[str, str | None]] = {
    "booking": ("10/m", "10/h"),
    "booking_resend": ("5/m", "3/h"),
    "contact_request": ("5/m", "5/h"),
    "evaluation": ("30/10m", None),
}
# The counters live in the default cache (Redis in production, local memory in the
# demo); django-ratelimit is used as a library, not as an installed app, so its check
# that refuses the local memory cache does not stop the demo.
RATELIMIT_USE_CACHE = "default"

MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Anhörigstöd"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff must have a second factor before they see any personal data. Only the
# make-run demo may switch this off, and the system check refuses that outside DEBUG.
ANHORIGSTOD_STAFF_MFA_REQUIRED = env_bool("ANHORIGSTOD_STAFF_MFA_REQUIRED", True)
if not ANHORIGSTOD_STAFF_MFA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured(
        "ANHORIGSTOD_STAFF_MFA_REQUIRED=0 is only allowed with DJANGO_DEBUG=1 (the make-run demo)."
    )

SOCIALACCOUNT_ADAPTER = "anhorigstod.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_ONLY = False


def _oidc_app(prefix: str, provider_id: str, name: str) -> dict | None:
    server_url = env_str(f"{prefix}_SERVER_URL")
    if not server_url:
        return None
    client_id = env_str(f"{prefix}_CLIENT_ID")
    secret = env_str(f"{prefix}_CLIENT_SECRET")
    if not client_id or not secret:
        raise ImproperlyConfigured(
            f"{prefix}_SERVER_URL is set: {prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET must be too"
        )
    app_settings: dict = {"server_url": server_url, "fetch_userinfo": True}
    # acr_values asks the provider for a level of authentication (OpenID Connect Core
    # 3.1.2.1), e.g. the one with multi-factor authentication that ANHORIGSTOD_OIDC_TRUSTED_MFA trusts.
    acr_values = env_str(f"{prefix}_ACR_VALUES")
    if acr_values:
        app_settings["auth_params"] = {"acr_values": acr_values}
    return {
        "provider_id": provider_id,
        "name": env_str(f"{prefix}_NAME", name),
        "client_id": client_id,
        "secret": secret,
        "settings": app_settings,
    }


# Municipal SSO for staff and an e-ID broker (BankID) for carers, both OpenID Connect.
OIDC_APPS = [
    app
    for app in (
        _oidc_app("OIDC_STAFF", "staff-sso", "Kommunens inloggning"),
        _oidc_app("OIDC_CARER", "carer-eid", "BankID"),
    )
    if app
]
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": OIDC_APPS, "OAUTH_PKCE_ENABLED": True}}
# The staff SSO provider's multi-factor authentication counts as the staff second
# factor when its ID token's acr, or one of its amr (RFC 8176: "mfa", "otp", "hwk", ...),
# is one of these values. Empty: staff signing in through SSO also give their own TOTP
# or security key (accounts/sso.py).
ANHORIGSTOD_OIDC_TRUSTED_MFA = env_list("ANHORIGSTOD_OIDC_TRUSTED_MFA")

# --- Sessions and security --------------------------------------------------
# How many proxies in front of the app append to X-Forwarded-For: the client address
# for the access log and the login rate limits is read that many entries from the right.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_BEHIND_PROXY", False):
        # Only safe when the app port is reachable through the proxy alone.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The health check is called over plain HTTP by the container runtime.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# Strict Content-Security-Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *(app["settings"]["server_url"] for app in OIDC_APPS)],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static and private files ------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Reports and extracts: never served directly, only through permission-checked views.
PRIVATE_STORAGE_ROOT = Path(env_str("PRIVATE_STORAGE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- E-mail -----------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Anhörigstöd <noreply@anhorigstod.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: never a name or personnummer here, only codes and ids --------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per task is noise in the in-process demo; failures still log at ERROR.
        "celery.app.trace": {"level": "WARNING"},
    },
}

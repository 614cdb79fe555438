"""Settings of Balcão Digital, read from the environment.

Every variable is documented in README.md and .env.example. The defaults run the
demo on SQLite; production sets DEBUG=0 and must give its own SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("BALCAO_TESTING", False)

# The demo key is public (it is in this file): production must never run with it.
DEMO_SECRET_KEY = "demo-only-balcao-digital-not-secret-0123456789-abcdefghijklmnop"
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
if not DEBUG and not TESTING and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value when DEBUG is off "
        "(the demo key is refused in production)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Applications, middleware, templates ----------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "balcao.core",
    "balcao.accounts",
    "balcao.contracts",
    "balcao.readings",
    "balcao.billing",
    "balcao.service_requests",
    "balcao.payments",
    "balcao.notices",
    "balcao.portal",
]

MIDDLEWARE = [
    # First, so that its one line per request times everything below it.
    "balcao.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (compressed, hashed names, cached a year) before sessions and login.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The user's subscriptions loaded once per request (header, access check, notices).
    "balcao.core.middleware.RequestCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Until the second step of a two-factor login is done, the user reaches only that step.
    "balcao.accounts.middleware.TwoFactorMiddleware",
    "balcao.accounts.middleware.SessionTimeoutMiddleware",
    "balcao.accounts.middleware.UserLanguageMiddleware",
    "balcao.core.middleware.PrivateResponseHeadersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes must be last: it turns a throttled login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "balcao.urls"
WSGI_APPLICATION = "balcao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "balcao.core.context_processors.utility",
                "balcao.portal.context_processors.contract_selector",
            ],
        },
    },
]
FORM_RENDERER = "balcao.core.forms.BalcaoFormRenderer"

# --- Database -------------------------------------------------------------------
# SQLite (the default) opens every transaction IMMEDIATE and runs in WAL mode, so
# two concurrent requests wait for each other instead of failing with
# "database is locked" or losing a write.
# Connections persist (10 minutes) and are checked before reuse: opening a PostgreSQL
# connection per request cost more than the page (docs/deployment.md has the numbers).
# DB_CONN_MAX_AGE=0 closes each one at the end of its request.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'balcao.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "balcao.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The users' subscription lists kept between requests (balcao/contracts/subscription_cache.py):
# only with a cache every process shares.
SUBSCRIPTIONS_CACHE = env_bool("SUBSCRIPTIONS_CACHE", bool(REDIS_URL))
# With Redis, sessions are read from the cache and written through to the database (the
# table stays the record, "Terminar outras sessões" deletes through the store).
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db",
)
# Absolute lifetime of a session, and how long it may stay idle (seconds).
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_TIMEOUT", 8 * 3600)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Authentication -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "balcao.accounts.backends.UsernameOrEmailBackend",
]
# Argon2id at OWASP's minimum (19 MiB, t=2, p=1): about 20 ms a login instead of Django's
# 100+ ms; a hash of other parameters is upgraded at the next successful login.
PASSWORD_HASHERS = [
    "balcao.accounts.hashers.Argon2idOwaspHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The password rules (manual section 4, NIST 800-63B): Django's, with the portal's own
# messages, plus a maximum length and no reuse of recent passwords.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "balcao.accounts.validators.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "first_name", "last_name")},
    },
    {
        "NAME": "balcao.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "balcao.accounts.validators.CommonPasswordValidator"},
    {"NAME": "balcao.accounts.validators.MaximumLengthValidator"},
    {"NAME": "balcao.accounts.validators.PasswordHistoryValidator"},
]
# How long the links sent by e-mail stay valid (seconds): password reset, confirmation of
# the address at registration, and confirmation of a new address ("Alterar e-mail").
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)
EMAIL_CONFIRMATION_MAX_AGE = env_int("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)
EMAIL_CHANGE_TIMEOUT = env_int("EMAIL_CHANGE_TIMEOUT", 24 * 3600)

# django-axes: throttle by username and address together, with a cool-off that
# ends by itself (no lockout that waits for an administrator).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Two limits (balcao/accounts/throttling.py): a username from one address, and one address
# whatever the usernames (password spraying).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_HANDLER = "balcao.accounts.throttling.ThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "balcao.accounts.throttling.client_address"
AXES_RESET_ON_SUCCESS = True
# Attempts during the cool-off do not extend it, so the time the message gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# "ANA", "ana" and ana's e-mail count against the same throttle.
AXES_USERNAME_CALLABLE = "balcao.accounts.throttling.throttle_key"
AXES_LOCKOUT_CALLABLE = "balcao.accounts.views.login_throttled"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Two-factor login: required for staff in production; the demo exempts its own staff.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", not DEBUG)
OTP_TOTP_ISSUER = "Balcão Digital"
# Staff accounts that may sign in without two-factor login even when it is required
# (for a public demo's back office); empty in production.
OTP_EXEMPT_USERNAMES = env_list("OTP_EXEMPT_USERNAMES")

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "pt-pt"
LANGUAGES = [("pt-pt", _("Português")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Lisbon")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Production (DEBUG=0): `collectstatic` writes compressed copies under hashed names, which
# WhiteNoise serves with a year's cache. The demo and the tests serve the files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
LETTERS_DIR = Path(os.environ.get("LETTERS_DIR", VAR_DIR / "letters"))

# --- E-mail ---------------------------------------------------------------------
# The demo writes one .eml file per message under var/mail/; production uses SMTP.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "balcao.core.mail.EmlFileBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Balcão Digital <balcao@smas-leiria.pt>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work ------------------------------------------------------------
# Immediate in the demo and the tests; production runs workers on the database queue
# (TASKS_BACKEND=database, then `manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- The utility ----------------------------------------------------------------
# Its identity is configuration: another utility changes these, not the templates.
UTILITY = {
    "name": os.environ.get(
        "UTILITY_NAME", "SMAS de Leiria — Serviços Municipalizados de Água e Saneamento"
    ),
    "short_name": os.environ.get("UTILITY_SHORT_NAME", "SMAS de Leiria"),
    "nif": os.environ.get("UTILITY_NIF", "680012773"),
    "address": os.environ.get("UTILITY_ADDRESS", "Rua da Fábrica de Papel, 2410-128 Leiria"),
    "phone": os.environ.get("UTILITY_PHONE", "244 817 300"),
    "email": os.environ.get("UTILITY_EMAIL", "geral@smas-leiria.pt"),
    "website": os.environ.get("UTILITY_WEBSITE", "https://www.smas-leiria.pt"),
    "logo": os.environ.get("UTILITY_LOGO", "img/logo.svg"),
    # SEPA creditor identifier, for direct debit mandates.
    "creditor_id": os.environ.get("UTILITY_CREDITOR_ID", "PT12ZZZ100001"),
    # The utility's account that direct debits are collected into (the pain.008 file's
    # creditor account and bank).
    "creditor_iban": os.environ.get("UTILITY_CREDITOR_IBAN", "PT50003506510000000000158"),
    "creditor_bic": os.environ.get("UTILITY_CREDITOR_BIC", "CGDIPTPL"),
}
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
TERMS_VERSION = os.environ.get("TERMS_VERSION", "2026-01")

# --- Security -------------------------------------------------------------------
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# How many of our own proxies stand in front of the application, each appending the address it
# received from to X-Forwarded-For: the client's address is read from there only behind them
# (login throttling, registration and mail limits); otherwise the header is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1) if BEHIND_TLS_PROXY else 0
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
# The load balancer asks each machine's /saude over plain HTTP, behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^saude$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only consents to the browsers' list; submitting the domain is
# a separate step.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): only the portal's own files; no inline script or
# style anywhere (templates/ has none: styles in static/css, the chart's SVG uses
# presentation attributes), no plugins, no <base>, no framing, forms post only here.
# The Django admin works under the same policy (its scripts are files; its JSON data blocks
# are not executed), so it needs no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Browser features the portal never uses, refused for it and anything it could embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Logging --------------------------------------------------------------------
# One line per request (balcao.request: id, method, path, status, duration, user id; never
# an e-mail or a NIF), as text or, with LOG_FORMAT=json, one JSON object per line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "balcao.core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "balcao.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # One INFO line per task run drowns the demo's output; failures still show.
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Contracts ------------------------------------------------------------------
# When off, a subscription whose numbers match a contract still waits for a clerk.
SUBSCRIPTION_AUTO_EVALUATION = env_bool("SUBSCRIPTION_AUTO_EVALUATION", True)

# --- Readings -------------------------------------------------------------------
# DOMAIN.md "Meter readings" and docs/readings.md. Estimate when an installation has no
# history: m³ per 30 days by contract tariff (illustrative values; a utility sets its own).
READINGS_DEFAULT_M3_PER_30_DAYS = {
    "domestic": env_int("READINGS_DEFAULT_DOMESTIC", 10),
    "social": env_int("READINGS_DEFAULT_SOCIAL", 10),
    "large_family": env_int("READINGS_DEFAULT_LARGE_FAMILY", 15),
    "non_domestic": env_int("READINGS_DEFAULT_NON_DOMESTIC", 30),
}
# "Leitura fora dos valores esperados": implied consumption above/below these multiples
# of the expected one, or per 30 days above this multiple of the largest month on record.
READINGS_WARN_ABOVE_EXPECTED = os.environ.get("READINGS_WARN_ABOVE_EXPECTED", "3")
READINGS_WARN_BELOW_EXPECTED = os.environ.get("READINGS_WARN_BELOW_EXPECTED", "0.3")
READINGS_WARN_ABOVE_LARGEST_MONTH = os.environ.get("READINGS_WARN_ABOVE_LARGEST_MONTH", "3")

# --- Billing (issue 12) -----------------------------------------------------------
# DOMAIN.md "Invoices" and "Payments". The series and their AT validation codes are
# created from these on first use and then edited in the admin (group Faturação); the
# demo values are illustrative: a utility registers its own series with the AT.
BILLING_INVOICE_SERIES = os.environ.get("BILLING_INVOICE_SERIES", "2026A")
BILLING_CREDIT_NOTE_SERIES = os.environ.get("BILLING_CREDIT_NOTE_SERIES", "2026A")
BILLING_RECEIPT_SERIES = os.environ.get("BILLING_RECEIPT_SERIES", "2026A")
BILLING_ATCUD_VALIDATION_CODES = {
    "FT": os.environ.get("BILLING_ATCUD_CODE_FT", "CSDF7T5H"),
    "NC": os.environ.get("BILLING_ATCUD_CODE_NC", "NCDF7T5H"),
    "RG": os.environ.get("BILLING_ATCUD_CODE_RG", "RGDF7T5H"),
}
# Portaria 363/2010: the program's certificate number and the private key that signs.
BILLING_CERTIFICATE_NUMBER = os.environ.get("BILLING_CERTIFICATE_NUMBER", "9999")
BILLING_PRIVATE_KEY_PATH = Path(
    os.environ.get("BILLING_PRIVATE_KEY_PATH", VAR_DIR / "keys" / "billing-private.pem")
)
# The version of that key (SAF-T HashControl): raise it when the key is replaced.
BILLING_KEY_VERSION = os.environ.get("BILLING_KEY_VERSION", "1")
# Due date: at least 20 days after issue (DOMAIN.md "Invoices").
BILLING_DUE_DAYS = env_int("BILLING_DUE_DAYS", 20)
if BILLING_DUE_DAYS < 20:
    raise ImproperlyConfigured("BILLING_DUE_DAYS must be at least 20 (DOMAIN.md, Invoices).")
# Each issued document's PDF is drawn once, in a background task after it commits, and kept
# under MEDIA_ROOT/invoices/; off, no PDF is drawn at issue (the billing benchmark).
BILLING_RENDER_PDF = env_bool("BILLING_RENDER_PDF", True)
# Multibanco: the utility's entity (5 digits) and sub-entity (3 digits); demo values.
MULTIBANCO_ENTITY = os.environ.get("MULTIBANCO_ENTITY", "90150")
MULTIBANCO_SUB_ENTITY = os.environ.get("MULTIBANCO_SUB_ENTITY", "123")

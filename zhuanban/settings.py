"""Django settings for Zhuanban.

Everything a deployment changes is read from ``ZHUANBAN_*`` environment variables (documented in the
README).  Defaults are safe for production: DEBUG is off, secure cookies are on, and the app refuses to
start without a secret key unless DEBUG is explicitly enabled.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHUANBAN_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("ZHUANBAN_DEBUG", False)

SECRET_KEY = env_str("ZHUANBAN_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production-zhuanban-0123456789"
    else:
        raise ImproperlyConfigured(
            "ZHUANBAN_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set ZHUANBAN_DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list("ZHUANBAN_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("ZHUANBAN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # django-ninja as an app so /api/v1/docs serves its bundled Swagger UI instead of a CDN copy.
    "ninja",
    "zhuanban.core",
    "zhuanban.org",
    "zhuanban.taskforces",
    "zhuanban.tasks",
    "zhuanban.meetings",
    "zhuanban.reports",
    "zhuanban.notices",
    "zhuanban.accountability",
    "zhuanban.assessment",
    "zhuanban.funds",
    "zhuanban.insight",
    "zhuanban.web",
    "zhuanban.demo",
    "zhuanban.scale",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zhuanban.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhuanban.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "zhuanban.urls"
WSGI_APPLICATION = "zhuanban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("ZHUANBAN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhuanban.sqlite3'}"),
        conn_max_age=env_int("ZHUANBAN_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; a busy timeout turns lock contention
    # into a short wait instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["zhuanban.org.auth.CaseInsensitiveModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "zhuanban" / "locale"]
TIME_ZONE = env_str("ZHUANBAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("ZHUANBAN_STATIC_ROOT", str(VAR_DIR / "static")))
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
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("ZHUANBAN_MEDIA_ROOT", str(VAR_DIR / "media")))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("ZHUANBAN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Security defaults: production is HTTPS behind a proxy; `ZHUANBAN_HTTPS=0` is for plain-HTTP demos.
HTTPS = env_bool("ZHUANBAN_HTTPS", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_AGE = env_int("ZHUANBAN_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ZHUANBAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("ZHUANBAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ZHUANBAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "INFO"}},
}

# Background work: Django's Tasks API (django-tasks backport) with the database backend; the worker is
# `zhuanban db_worker`.  Tests switch to the immediate backend.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Domain settings (see docs/operations.md).
ZHUANBAN = {
    # A person in more active task forces than this gets a load warning (domain brief, problem 6).
    "MAX_ACTIVE_TASKFORCES": env_int("ZHUANBAN_MAX_ACTIVE_TASKFORCES", 3),
    # Whether this database holds demo data; production start refuses demo accounts (issue #5).
    "DEMO": env_bool("ZHUANBAN_DEMO", False),
    # Tasks (zhuanban.tasks): end of a workday for deadlines, the yellow-light margin in working days,
    # and the number of bounces (退回再推送) after which a task becomes a dispute for the office.
    "WORKDAY_END": env_str("ZHUANBAN_WORKDAY_END", "17:30"),
    "LIGHT_MARGIN_DAYS": env_int("ZHUANBAN_LIGHT_MARGIN_DAYS", 3),
    "DISPUTE_BOUNCES": env_int("ZHUANBAN_DISPUTE_BOUNCES", 2),
}

# --- audit trail, crypto, separation of duties (zhuanban.core.crypto, zhuanban.core.audit, zhuanban.security) ---
INSTALLED_APPS += ["zhuanban.security"]
CRYPTO = {
    "SUITE": env_str("ZHUANBAN_CRYPTO", "gm"),  # gm: SM3/HMAC-SM3/SM4-GCM; intl: SHA-256/HMAC/AES-256-GCM
    "KEYS": env_str("ZHUANBAN_CRYPTO_KEYS"),  # "k2:<base64>,k1:<base64>", the first is current
    "KEY_FILE": env_str("ZHUANBAN_CRYPTO_KEY_FILE"),
    "PROVIDER": env_str("ZHUANBAN_CRYPTO_PROVIDER"),  # dotted path of a factory (cipher machine)
    "DEV_KEY": env_bool("ZHUANBAN_CRYPTO_DEV_KEY", DEBUG),  # derive a key from SECRET_KEY when none is set
}
if CRYPTO["SUITE"] not in ("gm", "intl"):
    raise ImproperlyConfigured(f"ZHUANBAN_CRYPTO must be gm or intl, got {CRYPTO['SUITE']!r}")
AUDIT = {
    "SYSLOG": env_str("ZHUANBAN_AUDIT_SYSLOG"),  # host:port (UDP) or a socket path such as /dev/log
    "RETENTION_DAYS": env_int("ZHUANBAN_AUDIT_RETENTION_DAYS", 180),
}

# --- identity & sessions (zhuanban.accounts) ---
# Password policy, lockout (django-axes), two-factor (django-otp), session limits, optional SSO.
# See docs/security.md for every variable.
INSTALLED_APPS += [
    "zhuanban.accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# OTP state right after authentication; the session policy (timeouts, forced password change or 2FA set-up)
# after messages so it can leave a notice; axes last, as it rewrites the response of a locked-out login.
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "zhuanban.accounts.middleware.SessionPolicyMiddleware")
MIDDLEWARE.insert(0, "zhuanban.accounts.middleware.AdminNetworkMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# The axes backend must come first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]

PASSWORD_PROFILE = env_str("ZHUANBAN_PASSWORD_PROFILE", "gov")
if PASSWORD_PROFILE not in ("gov", "asvs"):
    raise ImproperlyConfigured(f"ZHUANBAN_PASSWORD_PROFILE must be gov or asvs, got {PASSWORD_PROFILE!r}")
PASSWORD_MAX_AGE_DAYS = env_int("ZHUANBAN_PASSWORD_MAX_AGE_DAYS", 90 if PASSWORD_PROFILE == "gov" else 0)
PASSWORD_HISTORY = env_int("ZHUANBAN_PASSWORD_HISTORY", 5 if PASSWORD_PROFILE == "gov" else 0)
BREACHED_PASSWORDS_FILE = env_str("ZHUANBAN_BREACHED_PASSWORDS_FILE")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zhuanban.accounts.validators.ProfileValidator"},
]
SECOND_FACTORS = env_list(
    "ZHUANBAN_SECOND_FACTORS", "zhuanban.accounts.factors.TotpFactor,zhuanban.accounts.factors.RecoveryCodeFactor"
)
# A demo (published passwords) is for looking around: no forced 2FA set-up unless asked for.
TWO_FACTOR_REQUIRED_FOR = env_list("ZHUANBAN_2FA_REQUIRED_FOR", "" if ZHUANBAN["DEMO"] else "admin,office")
OTP_TOTP_ISSUER = env_str("ZHUANBAN_OTP_ISSUER", "工作专班平台")
SESSION_ABSOLUTE_SECONDS = env_int("ZHUANBAN_SESSION_ABSOLUTE_SECONDS", 12 * 3600)
REAUTH_SECONDS = env_int("ZHUANBAN_REAUTH_SECONDS", 5 * 60)
IDLE_DISABLE_DAYS = env_int("ZHUANBAN_IDLE_DISABLE_DAYS", 90)
ADMIN_ALLOWED_NETWORKS = env_list("ZHUANBAN_ADMIN_ALLOWED_NETWORKS")

AXES_FAILURE_LIMIT = env_int("ZHUANBAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ZHUANBAN_LOGIN_LOCK_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock lasts its 15 minutes, no longer
AXES_USERNAME_CALLABLE = "zhuanban.accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "zhuanban.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Never keep second-factor codes or passwords in the failure records (password is always masked).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "otp", "new_password1", "new_password2"]

# Optional single sign-on, off by default (docs/security.md).
OIDC_ENABLED = env_bool("ZHUANBAN_OIDC_ENABLED", False)
if OIDC_ENABLED:
    INSTALLED_APPS += ["mozilla_django_oidc"]
    AUTHENTICATION_BACKENDS += ["zhuanban.accounts.oidc.OidcBackend"]
    OIDC_RP_CLIENT_ID = env_str("ZHUANBAN_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_str("ZHUANBAN_OIDC_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env_str("ZHUANBAN_OIDC_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("ZHUANBAN_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("ZHUANBAN_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("ZHUANBAN_OIDC_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("ZHUANBAN_OIDC_JWKS_ENDPOINT")
    OIDC_CREATE_USER = env_bool("ZHUANBAN_OIDC_CREATE_USER", False)
    OIDC_USERNAME_CLAIM = env_str("ZHUANBAN_OIDC_USERNAME_CLAIM", "preferred_username")
LDAP_ENABLED = env_bool("ZHUANBAN_LDAP_ENABLED", False)
if LDAP_ENABLED:
    from zhuanban.accounts.sso import ldap_settings

    globals().update(ldap_settings(env_str))
    AUTHENTICATION_BACKENDS += ["django_auth_ldap.backend.LDAPBackend"]

# --- input and output (issue #5): request size, uploads, Content-Security-Policy, idempotency keys ---
# One limit for any request body and any uploaded file; a larger Content-Length is a 413 before Django
# reads the body (zhuanban.core.limits).  Uploaded files live under MEDIA_ROOT (var/media), outside the
# web root, and are served only through permission-checked views (zhuanban.core.uploads).
ZHUANBAN_MAX_UPLOAD_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
INSTALLED_APPS += ["csp", "zhuanban.files", "zhuanban.idempotency"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "zhuanban.core.limits.BodySizeLimitMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("zhuanban.core.middleware.RequestContextMiddleware") + 1,
                  "zhuanban.core.idempotency.IdempotencyMiddleware")
# No inline script and no inline style anywhere: htmx's injected indicator style is off (<meta name=
# "htmx-config"> in base.html, the rules are in app.css); ECharts and Swagger UI style their elements
# through the CSSOM, which the policy does not restrict; templates use classes (zb-w-N) for widths.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- production profile (#4): Redis cache, RQ task queue (docs/operations.md "Production profile") ---
# Nothing set: the local-memory cache and the database task backend (`zhuanban db_worker`), as before.
# ZHUANBAN_REDIS_URL (redis://127.0.0.1:6379/0): the cache lives in Redis, shared by every web process.
# ZHUANBAN_TASKS_BACKEND=rq: background jobs go to RQ on that Redis; the worker is
# `zhuanban rqworker --job-class django_tasks_rq.Job default` (django-tasks-rq's Job class is required).
REDIS_URL = env_str("ZHUANBAN_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zb",
            "TIMEOUT": 300,
            # A Redis outage must not hang requests: short socket timeouts (seconds).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhuanban"}}

TASKS_BACKEND = env_str("ZHUANBAN_TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("ZHUANBAN_TASKS_BACKEND=rq needs ZHUANBAN_REDIS_URL (the queue lives in Redis)")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # django-tasks-rq: every queue named in TASKS must be an RQ_QUEUES entry (its system check says so).
    RQ_QUEUES = {
        "default": {
            "URL": REDIS_URL,
            "DEFAULT_TIMEOUT": env_int("ZHUANBAN_RQ_JOB_TIMEOUT", 1800),  # seconds a job may run
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND != "database":
    raise ImproperlyConfigured(f"ZHUANBAN_TASKS_BACKEND must be database or rq, got {TASKS_BACKEND!r}")
# `zhuanban scheduler` archives audit events past the retention into this directory, daily (off when unset).
AUDIT_ARCHIVE_DIR = env_str("ZHUANBAN_AUDIT_ARCHIVE_DIR")

# --- backup, restore and the read replica (issue #4: zhuanban.core.backup, zhuanban.core.replica) ---
# ZHUANBAN_REPLICA_URL: a PostgreSQL streaming hot standby of the default database.  Views wrapped in
# zhuanban.core.replica.reading_replica() (exports, dashboards) read from it; every write goes to default,
# and without the variable everything reads default.  The test suite mirrors it onto default.
# ZHUANBAN_PG_BIN: the folder of pg_dump/pg_restore for `zhuanban backup`/`restore` (default: the newest
# /usr/lib/postgresql/*/bin, else PATH).  See docs/backup.md.
REPLICA_URL = env_str("ZHUANBAN_REPLICA_URL")
if REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_URL, conn_max_age=env_int("ZHUANBAN_DB_CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["zhuanban.core.replica.ReplicaRouter"]
PG_BIN = env_str("ZHUANBAN_PG_BIN")

# --- notices (#8): e-mail channel and group-robot webhooks (zhuanban.notices.channels, docs/notices.md) ---
# Mail goes out through Django's SMTP backend; ZHUANBAN_WEBHOOK_ALLOWED_HOSTS (comma-separated, default the
# DingTalk, WeCom and Feishu API hosts) and ZHUANBAN_WEBHOOK_PRIVATE_HOSTS are read by channels.py itself.
EMAIL_HOST = env_str("ZHUANBAN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ZHUANBAN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ZHUANBAN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("ZHUANBAN_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ZHUANBAN_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("ZHUANBAN_EMAIL_SSL", False)
EMAIL_TIMEOUT = env_int("ZHUANBAN_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("ZHUANBAN_EMAIL_FROM", "zhuanban@localhost")

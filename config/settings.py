"""Agora's settings. Every deployment knob comes from an environment variable.

Locally nothing needs to be set: SQLite, a file-system Celery broker and e-mail written to files,
all under var/. `make install` writes a `.env` file with DEBUG=true, read here (the real environment
wins), so that `manage.py` commands run as printed; a production host has no such file.

In production set at least DEBUG off (the default), SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
CELERY_BROKER_URL; see README.md. A missing or malformed variable stops start-up
with a message that names it.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

from config.env import (
    env_bool,
    env_cache,
    env_database,
    env_float,
    env_int,
    env_list,
    env_map,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# The local development file; AGORA_ENV_FILE names another, or none when set empty.
_env_file = os.environ.get("AGORA_ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    load_dotenv(_env_file, override=False)


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(os.environ.get("AGORA_VAR_DIR") or BASE_DIR / "var")

if DEBUG:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "local-development-only-not-a-secret"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "The environment variable ALLOWED_HOSTS must be set (comma-separated host names)."
        )

# Production names its public address (for links in e-mails); only local runs assume one.
if DEBUG:
    SITE_URL = os.environ.get("SITE_URL") or "http://127.0.0.1:8000"
else:
    SITE_URL = env_str("SITE_URL")
SITE_URL = SITE_URL.rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://.")
# The host (and port) of SITE_URL: the site's name in e-mail subjects, and the domain of the sites
# framework's row, which articles.site_address keeps in step on every migrate.
SITE_DOMAIN = urlsplit(SITE_URL).netloc
if not SITE_DOMAIN:
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} has no host name.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "articles.apps.ArticlesConfig",
    "moderation.apps.ModerationConfig",
    "notifications.apps.NotificationsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 503 page, not a 500, while the database cannot be reached; saving the session included.
    "config.database_unavailable.DatabaseUnavailableMiddleware",
    "config.database_unavailable.DatabaseAwareSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale (their messages are translated), before anything reads the form.
    "config.middleware.RefuseForeignFormCharsetMiddleware",
    "config.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

if not DEBUG:
    # Production names its database and broker; only local runs fall back to files under var/.
    env_str("DATABASE_URL")
    env_str("CELERY_BROKER_URL")
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'agora.sqlite3'}")}
# A connection kept between requests (DATABASE_CONN_MAX_AGE) is checked before it is used again:
# after a database restart the request opens a new one instead of failing on the dead one.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the rate limits' counters. Several web processes must share it (Redis), or each
# counts on its own and a reader gets the limit once per process.
# The rate limits count in the same cache through an alias that raises while Redis is down, so
# that each limit fails open or closed as articles.ratelimits decides; pages just go uncached.
CACHES = {
    "default": env_cache("CACHE_URL", "locmem://"),
    "ratelimit": env_cache("CACHE_URL", "locmem://", fail_silently=False),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): e-mail login, and no comment before the address is verified.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# The user name is the public name on comments; the form says so (articles.forms).
ACCOUNT_FORMS = {"signup": "articles.forms.DisplayNameSignupForm"}
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# allauth would take "[example.com]" from the Site row: name the site from SITE_URL instead.
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_DOMAIN}] "

# Rate limits. Each number is what one account (or one IP address) may send in the period;
# accounts younger than RATELIMIT_NEW_ACCOUNT_HOURS get the stricter "_NEW" numbers. One comment
# every ten seconds passes (a new account's first thirty in an hour).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLED", True)
# django-ratelimit serves as a library (articles/ratelimits.py), not as an installed app: its
# system check would refuse the local default cache. A cache that cannot count lets readers
# through rather than locking everyone out.
RATELIMIT_FAIL_OPEN = True
# The alias that raises while Redis is down: each limit then fails open or closed as it must.
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "articles.ratelimits.client_ip"
RATELIMIT_NEW_ACCOUNT_HOURS = env_int("RATELIMIT_NEW_ACCOUNT_HOURS", 24)
RATELIMIT_COMMENTS_PER_MINUTE = env_int("RATELIMIT_COMMENTS_PER_MINUTE", 10, minimum=1)
RATELIMIT_COMMENTS_PER_MINUTE_NEW = env_int("RATELIMIT_COMMENTS_PER_MINUTE_NEW", 6, minimum=1)
RATELIMIT_COMMENTS_PER_HOUR_NEW = env_int("RATELIMIT_COMMENTS_PER_HOUR_NEW", 30, minimum=1)
RATELIMIT_COMMENTS_PER_MINUTE_PER_IP = env_int(
    "RATELIMIT_COMMENTS_PER_MINUTE_PER_IP", 30, minimum=1
)
RATELIMIT_REPORTS_PER_MINUTE = env_int("RATELIMIT_REPORTS_PER_MINUTE", 10, minimum=1)
RATELIMIT_REPORTS_PER_MINUTE_NEW = env_int("RATELIMIT_REPORTS_PER_MINUTE_NEW", 3, minimum=1)
RATELIMIT_REPORTS_PER_HOUR_NEW = env_int("RATELIMIT_REPORTS_PER_HOUR_NEW", 20, minimum=1)
RATELIMIT_REPORTS_PER_MINUTE_PER_IP = env_int("RATELIMIT_REPORTS_PER_MINUTE_PER_IP", 30, minimum=1)
RATELIMIT_APPEALS_PER_MINUTE = env_int("RATELIMIT_APPEALS_PER_MINUTE", 5, minimum=1)
RATELIMIT_APPEALS_PER_MINUTE_NEW = env_int("RATELIMIT_APPEALS_PER_MINUTE_NEW", 3, minimum=1)
RATELIMIT_APPEALS_PER_HOUR_NEW = env_int("RATELIMIT_APPEALS_PER_HOUR_NEW", 10, minimum=1)
RATELIMIT_APPEALS_PER_MINUTE_PER_IP = env_int("RATELIMIT_APPEALS_PER_MINUTE_PER_IP", 10, minimum=1)
RATELIMIT_SIGNUPS_PER_HOUR_PER_IP = env_int("RATELIMIT_SIGNUPS_PER_HOUR_PER_IP", 10, minimum=1)
# Sign-up and log-in are allauth's views with allauth's own limits: ours for sign-up, allauth's
# defaults for the rest (log-in attempts among them, which stay on even when ours are off).
ACCOUNT_RATE_LIMITS = {
    "signup": f"{RATELIMIT_SIGNUPS_PER_HOUR_PER_IP}/h/ip" if RATELIMIT_ENABLE else None
}
# Behind proxies that append to X-Forwarded-For, how many: the client's address is the one they
# saw, for allauth's limits and ours. 0: the address the web server saw (REMOTE_ADDR).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LOGIN_REDIRECT_URL = "articles:list"
LOGIN_URL = "account_login"

# Languages: German first; LocaleMiddleware honours the switcher, then Accept-Language.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail: written to files under var/mail unless an SMTP host is configured.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Agora <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Celery: a file-system broker under var/ locally, Redis in production.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if not CELERY_BROKER_URL.startswith(("filesystem://", "redis://", "rediss://", "amqp://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL={CELERY_BROKER_URL!r} is not a filesystem://, redis:// or amqp:// URL."
    )
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery" / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# Comments.
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 6, minimum=1)
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 3000, minimum=1)
# A discussion page shows whole threads: up to this many, and no more than COMMENTS_PER_PAGE
# comments unless a single thread has more.
COMMENTS_THREADS_PER_PAGE = env_int("COMMENTS_THREADS_PER_PAGE", 50, minimum=1)
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 100, minimum=1)
# How long an anonymous reader's rendering of a discussion page is kept. Any status change in the
# article makes it stale at once (the article's thread_version is part of the key).
COMMENTS_CACHE_SECONDS = env_int("COMMENTS_CACHE_SECONDS", 600)
ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 10, minimum=1)

# Security: strict defaults in production, relaxed only under DEBUG for the local server.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
# Load balancers check health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"] if not SECURE_HSTS_PRELOAD else []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Moderation: the models that score each comment, and how the worker batches them.
TOXICITY_MODELS = ["original", "unbiased", "multilingual", "original-small", "unbiased-small"]
MODERATION_TOXICITY_MODEL = os.environ.get("MODERATION_TOXICITY_MODEL", "multilingual")
if MODERATION_TOXICITY_MODEL not in TOXICITY_MODELS:
    raise ImproperlyConfigured(
        f"MODERATION_TOXICITY_MODEL={MODERATION_TOXICITY_MODEL!r} is not one of "
        + ", ".join(TOXICITY_MODELS)
    )
MODERATION_TOXICITY_CHECKPOINT = os.environ.get("MODERATION_TOXICITY_CHECKPOINT", "")
MODERATION_TOXICITY_CONFIG_DIR = os.environ.get("MODERATION_TOXICITY_CONFIG_DIR", "")
if bool(MODERATION_TOXICITY_CHECKPOINT) != bool(MODERATION_TOXICITY_CONFIG_DIR):
    raise ImproperlyConfigured(
        "Set MODERATION_TOXICITY_CHECKPOINT and MODERATION_TOXICITY_CONFIG_DIR together "
        "(a local checkpoint needs its Hugging Face config and tokenizer folder)."
    )
MODERATION_RELEVANCE_MODEL = os.environ.get(
    "MODERATION_RELEVANCE_MODEL", "paraphrase-multilingual-MiniLM-L12-v2"
)
MODERATION_RELEVANCE_MODELS = env_map("MODERATION_RELEVANCE_MODELS")  # language=model; else above
MODERATION_DEVICE = os.environ.get("MODERATION_DEVICE", "cpu")
if MODERATION_DEVICE not in {"cpu", "cuda"}:
    raise ImproperlyConfigured(f"MODERATION_DEVICE={MODERATION_DEVICE!r} must be cpu or cuda.")
# fp16 halves the models' memory and roughly doubles a GPU's throughput; CPUs gain nothing from it.
MODERATION_PRECISION = os.environ.get("MODERATION_PRECISION", "fp32")
if MODERATION_PRECISION not in {"fp32", "fp16"}:
    raise ImproperlyConfigured(
        f"MODERATION_PRECISION={MODERATION_PRECISION!r} must be fp32 or fp16."
    )
if MODERATION_PRECISION == "fp16" and MODERATION_DEVICE != "cuda":
    raise ImproperlyConfigured("MODERATION_PRECISION=fp16 needs MODERATION_DEVICE=cuda.")
MODERATION_TORCH_THREADS = env_int("MODERATION_TORCH_THREADS", 0)
MODERATION_BATCH_SIZE = env_int("MODERATION_BATCH_SIZE", 32, minimum=1)
MODERATION_SWEEP_AFTER_SECONDS = env_int("MODERATION_SWEEP_AFTER_SECONDS", 120, minimum=1)
MODERATION_MAX_RETRIES = env_int("MODERATION_MAX_RETRIES", 5)
MODERATION_RETRY_BACKOFF_SECONDS = env_int("MODERATION_RETRY_BACKOFF_SECONDS", 10, minimum=1)

MODERATION_SWEEP_EVERY_SECONDS = env_int("MODERATION_SWEEP_EVERY_SECONDS", 60, minimum=1)
# Following discussions by e-mail: at most one e-mail per reader and article in FOLLOW_THROTTLE_
# MINUTES (combining the new comments), the daily digest at FOLLOW_DIGEST_HOUR (TIME_ZONE), and
# a visitor's unconfirmed address forgotten after FOLLOW_CONFIRM_DAYS.
FOLLOW_THROTTLE_MINUTES = env_int("FOLLOW_THROTTLE_MINUTES", 30)
FOLLOW_DIGEST_HOUR = env_int("FOLLOW_DIGEST_HOUR", 7)
if FOLLOW_DIGEST_HOUR > 23:
    raise ImproperlyConfigured(f"FOLLOW_DIGEST_HOUR={FOLLOW_DIGEST_HOUR} must be 0 to 23.")
FOLLOW_CONFIRM_DAYS = env_int("FOLLOW_CONFIRM_DAYS", 7, minimum=1)
FOLLOW_SEND_BATCH_SIZE = env_int("FOLLOW_SEND_BATCH_SIZE", 100, minimum=1)
FOLLOW_SEND_EVERY_SECONDS = env_int("FOLLOW_SEND_EVERY_SECONDS", 60, minimum=1)
# Visitors' requests to follow a discussion, each of which e-mails the address given.
RATELIMIT_FOLLOWS_PER_HOUR_PER_IP = env_int("RATELIMIT_FOLLOWS_PER_HOUR_PER_IP", 10, minimum=1)
RATELIMIT_FOLLOWS_PER_HOUR_PER_ADDRESS = env_int(
    "RATELIMIT_FOLLOWS_PER_HOUR_PER_ADDRESS", 3, minimum=1
)
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-comments": {
        "task": "moderation.tasks.sweep_pending",
        "schedule": float(MODERATION_SWEEP_EVERY_SECONDS),
    },
    "send-follower-mail": {
        "task": "notifications.tasks.send_follower_mail",
        "schedule": float(FOLLOW_SEND_EVERY_SECONDS),
    },
}
# Opt-in: train a new site model version every Sunday at 03:00; the owner still activates it.
MODERATION_SITE_MODEL_WEEKLY = env_bool("MODERATION_SITE_MODEL_WEEKLY", False)
if MODERATION_SITE_MODEL_WEEKLY:
    CELERY_BEAT_SCHEDULE["train-site-model-weekly"] = {
        "task": "moderation.tasks.train_site_model",
        "schedule": crontab(day_of_week="sun", hour=3, minute=0),
    }
# Loading the models on a worker's first task can take a while; don't count it as a hang.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 120
MODERATION_REPORTS_TO_QUEUE = env_int("MODERATION_REPORTS_TO_QUEUE", 1, minimum=1)
MODERATION_UNDO_SECONDS = env_int("MODERATION_UNDO_SECONDS", 600, minimum=1)
# How long after a rejection or removal its author may appeal (once).
MODERATION_APPEAL_DAYS = env_int("MODERATION_APPEAL_DAYS", 14, minimum=1)
MODERATION_CALIBRATION_MIN_DECISIONS = env_int(
    "MODERATION_CALIBRATION_MIN_DECISIONS", 50, minimum=1
)
# Handing work to Celery from a request: a bounded wait for the broker, then a pause before trying
# it again. The sweep catches up on whatever could not be sent.
CELERY_PUBLISH_TIMEOUT_SECONDS = env_float("CELERY_PUBLISH_TIMEOUT_SECONDS", 0.3)
CELERY_PUBLISH_BACKOFF_SECONDS = env_float("CELERY_PUBLISH_BACKOFF_SECONDS", 10.0)
# How long a worker's claim on a batch lasts; a killed worker's comments are claimed again after it.
MODERATION_LEASE_SECONDS = env_int("MODERATION_LEASE_SECONDS", 120, minimum=5)

"""Simpul settings: one module, configured through environment variables.

See README.md ("Deploy") for the variables. The embedded default is SQLite under
``SIMPUL_DATA_DIR`` (``var/``) and needs no other service.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from simpul.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Under pytest: tasks run immediately in the test's transaction, files go to a
# temporary folder, the cache is per process. Any of these can still be overridden
# from the environment (CI sets DATABASE_URL to run the suite on PostgreSQL).
TESTING = "pytest" in sys.modules
if TESTING:
    os.environ.setdefault(
        "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
    )
    os.environ.setdefault("SIMPUL_DATA_DIR", tempfile.mkdtemp(prefix="simpul-test-"))
    # Each pytest-xdist worker writes its own files (private pictures, indexes,
    # rate-limit counters); otherwise it inherits the controller's folder.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if _worker and os.environ.get("SIMPUL_TEST_WORKER") != _worker:
        os.environ["SIMPUL_DATA_DIR"] = tempfile.mkdtemp(prefix=f"simpul-{_worker}-")
        os.environ["SIMPUL_TEST_WORKER"] = _worker
    os.environ.setdefault("CACHE_URL", "locmem://")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("MAP_TILE_URL", "")  # tests never fetch outside tiles
    os.environ.setdefault("WORKER_NICE", "0")  # a worker run in a test: no renice
DATA_DIR = Path(env_str("SIMPUL_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Read-only data beside the checkout (tests and benchmarks only; never shipped).
SHARED_DATA_DIR = Path(
    env_str("SIMPUL_SHARED_DATA", str(BASE_DIR.parent / "shared" / "data"))
)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in DATA_DIR.

    A single-machine install then needs no configuration; a multi-machine one must
    set SECRET_KEY so that every process signs with the same key.
    """
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The province this deployment serves (its Kemendagri code): the home page,
# the default region of maps, news and APIs.  Kalimantan Timur by default.
HOME_REGION = env_str("SIMPUL_HOME_REGION", "64")
# The provinces this deployment serves: their 2-digit codes ("64,65"), or "*" for
# every province in the database.  More than one makes it national: a national
# home page, province filters, each province's staff kept to their province
# (regions.provinces).  By default the home province alone.
PROVINCES = env_list("SIMPUL_PROVINCES", [HOME_REGION.split(".")[0]])
# The office that runs this deployment: its name in the header, the footer and
# the home page, and its logo (an image URL, e.g. /media/logo.svg) beside Simpul's.
OFFICE_NAME = env_str("SIMPUL_OFFICE_NAME", "Diskominfo Provinsi Kalimantan Timur")
OFFICE_LOGO_URL = env_str("SIMPUL_OFFICE_LOGO_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "core",
    "regions",
    "accounts",
    "datahub",
    "connectivity",
    "factcheck",
    "network",
    "newsroom",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ApiJsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "core.middleware.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

# Paths that core.middleware.InputGuardMiddleware leaves to their views: the
# providers' webhooks (channels' and their deprecated aliases).
INPUT_GUARD_EXEMPT_PATHS = ("/hooks/", "/tipline/", "/api/v1/callbacks/")

ROOT_URLCONF = "simpul.urls"
WSGI_APPLICATION = "simpul.wsgi.application"
ASGI_APPLICATION = "simpul.asgi.application"

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
                "django.template.context_processors.i18n",
                "core.context_processors.site",
                "regions.context_processors.provinces",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'simpul.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to the same file: WAL and an immediate
    # write lock turn "database is locked" races into short waits.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server fails fast instead of holding a worker or a page.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, page caches) -------------------------------------------
_cache_url = env_str("CACHE_URL", "db://")
if _cache_url.startswith(("redis://", "rediss://")):
    _cache: dict[str, object] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _cache_url,
    }
elif _cache_url.startswith("locmem://"):
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    # Shared by every process on every machine without another service.
    _cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "simpul_cache",
    }
# Rate limits (django-ratelimit and the API's throttles, see core.apps) count in
# their own cache, never the database: a locked or lost database must not hold up
# every request that is only counted. Redis when RATELIMIT_CACHE_URL (or
# CACHE_URL) names one; else files shared by the processes of this machine.
_ratelimit_url = env_str("RATELIMIT_CACHE_URL", _cache_url)
if _ratelimit_url.startswith(("redis://", "rediss://")):
    _ratelimit: dict[str, object] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _ratelimit_url,
    }
elif _ratelimit_url.startswith("locmem://"):
    _ratelimit = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    }
else:
    _ratelimit = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "ratelimit-cache"),
    }
# Several deployments (or a staging copy) sharing one Redis keep apart by prefix.
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "")
if CACHE_KEY_PREFIX:
    _cache["KEY_PREFIX"] = CACHE_KEY_PREFIX
    _ratelimit["KEY_PREFIX"] = CACHE_KEY_PREFIX
CACHES = {"default": _cache, "ratelimit": _ratelimit}
RATELIMIT_USE_CACHE = "ratelimit"
# Reverse proxies in front of the application that append to X-Forwarded-For
# (nginx with $proxy_add_x_forwarded_for, a load balancer): the client address
# is read that many entries from the right; 0 ignores the header, which a client
# can fill with anything (core.clientip).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
RATELIMIT_IP_META_KEY = "core.clientip.client_ip"

# --- Background tasks -----------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "regions:home"
_PV = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_PV}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_PV}.MinimumLengthValidator"},
    {"NAME": f"{_PV}.CommonPasswordValidator"},
    {"NAME": f"{_PV}.NumericPasswordValidator"},
]
LOGIN_RATE = env_str("LOGIN_RATE", "10/m")

# --- I18n -----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA, the time of Kalimantan Timur
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "simpul_lang"

# --- Static and uploaded files --------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WORKBOX_PACKAGES = [
    "workbox-sw",
    "workbox-core",
    "workbox-routing",
    "workbox-strategies",
    "workbox-precaching",
    "workbox-expiration",
]
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from the npm registry (package.json), never copied in.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    # Workbox for the service worker (core/pwa.py): workbox-sw loads its modules
    # from one folder, so every package's build/ is served under the same prefix.
    *(
        ("vendor/workbox", BASE_DIR / "node_modules" / package / "build")
        for package in WORKBOX_PACKAGES
    ),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Hashed, gzip- and brotli-compressed names after `collectstatic`, cached for a
# year by the browser: production, and `make run` (bin/run-dev collects first).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "core.staticfiles.SimpulStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
_collected = STATIC_MANIFEST and (STATIC_ROOT / "staticfiles.json").exists()
WHITENOISE_USE_FINDERS = not _collected
# Collected files are served as collected (no rescans); else edits show at once.
WHITENOISE_AUTOREFRESH = DEBUG and not _collected
# Source maps are for developers' tools, never sent to phones: not compressed.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Simpul <noreply@localhost>")

# --- Security -------------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
RATELIMIT_VIEW = "core.views.ratelimited"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Simpul ---------------------------------------------------------------------
# How long after its last heartbeat a worker is still counted alive (seconds).
WORKER_HEARTBEAT_TIMEOUT = env_int("WORKER_HEARTBEAT_TIMEOUT", 90)
# How often a worker beats (and enqueues due periodic tasks, and requeues the
# tasks of workers that stopped beating).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15)
# A task whose worker died this many times is failed instead of run again.
WORKER_TASK_ATTEMPTS = env_int("WORKER_TASK_ATTEMPTS", 3)
# How much a worker lowers its own CPU priority (nice): on a machine it shares with
# the web server, a surge of tasks must not slow the webhooks that feed it.
WORKER_NICE = env_int("WORKER_NICE", 10)
API_PAGE_SIZE_MAX = 200
# Anonymous callers are counted per IP address, and many phones share one behind
# a carrier's NAT: the limit is sized for a crowd, not for one person.
API_ANON_RATE = env_str("API_ANON_RATE", "300/m")
API_AUTH_RATE = env_str("API_AUTH_RATE", "600/m")
# Audit entries hold personal data (names, IP addresses): kept two years by default.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 730)
# Background map tiles; empty for none (the boundaries are drawn regardless).
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

# Content-Security-Policy (django-csp): scripts only from our own static files, so
# text that slips into a page as markup (an imported title…) cannot run. Styles
# may be inline: templates size bars with style="width:…" and Leaflet/htmx set
# styles; CSS cannot run script.
_tiles = urlsplit(MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"]
        + (
            [f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"]
            if _tiles.scheme and _tiles.netloc
            else []
        ),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The service worker (/sw.js) and the web app manifest are our own.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

# --- Fact-check -----------------------------------------------------------------
# Tipline channels. Leave a token empty to switch that channel off.
# One bot for every app; the newsroom's former NEWSROOM_TELEGRAM_* names are
# still read when the new ones are unset.
TELEGRAM_BOT_TOKEN = env_str(
    "TELEGRAM_BOT_TOKEN", env_str("NEWSROOM_TELEGRAM_BOT_TOKEN")
)
TELEGRAM_WEBHOOK_SECRET = env_str(
    "TELEGRAM_WEBHOOK_SECRET", env_str("NEWSROOM_TELEGRAM_WEBHOOK_SECRET")
)
TELEGRAM_API_BASE = env_str("TELEGRAM_API_BASE", "https://api.telegram.org").rstrip("/")
WHATSAPP_TOKEN = env_str("WHATSAPP_TOKEN")
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET")
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID")
WHATSAPP_API_BASE = env_str(
    "WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0"
).rstrip("/")
# Tips per sender (phone, chat or IP) on the public form and the bots.
TIPLINE_RATE = env_str("TIPLINE_RATE", "10/m")
# Messages longer than this get a polite "too long" answer.
TIPLINE_MAX_CHARS = env_int("TIPLINE_MAX_CHARS", 5000)
# A sender asked "is it one of these?" who has not answered after this many
# hours: the answer counts as unknown and the claim goes to the desk.
TIPLINE_CONFIRM_HOURS = env_int("TIPLINE_CONFIRM_HOURS", 24)
# The tipline's public address, shown on the tip page with a QR code (unset:
# the page does not mention it). E.164 number (+62…) and bot username.
TIPLINE_WHATSAPP_NUMBER = env_str("TIPLINE_WHATSAPP_NUMBER")
TIPLINE_TELEGRAM_BOT = env_str("TIPLINE_TELEGRAM_BOT").lstrip("@")
# The claim-matching index lives under SIMPUL_DATA_DIR/<this>/<database id>/.
FACTCHECK_INDEX_DIR = DATA_DIR / env_str("FACTCHECK_INDEX_DIR", "matching")
# Web processes and workers map the saved index read-only (one copy per machine
# in the page cache) instead of each building its own; off: each holds a copy.
FACTCHECK_INDEX_MMAP = env_bool("FACTCHECK_INDEX_MMAP", True)
# Images of tips and fact-checks: private (never under MEDIA_ROOT), shown to
# the desk only through a permission-checked view.
FACTCHECK_PRIVATE_DIR = DATA_DIR / env_str("FACTCHECK_PRIVATE_DIR", "private/factcheck")
# Off: matching is lexical only (no embedding model is loaded).
FACTCHECK_SEMANTIC = env_bool("FACTCHECK_SEMANTIC", True)
FACTCHECK_FEED_EVERY_MINUTES = env_int("FACTCHECK_FEED_EVERY_MINUTES", 60)
# A verdict is reviewed and published by someone other than its drafter. A small
# office with one fact-checker turns this on; each one-person review or publish
# is then recorded as such in the audit log.
FACTCHECK_SINGLE_PERSON_DESK = env_bool("FACTCHECK_SINGLE_PERSON_DESK", False)
# WhatsApp allows free text within 24 hours of the person's last message only
# (CHANNELS_WHATSAPP_WINDOW_HOURS); later verdicts go out as this approved
# template (one body parameter).
FACTCHECK_WHATSAPP_TEMPLATE = env_str("FACTCHECK_WHATSAPP_TEMPLATE", "hasil_cek_fakta")
FACTCHECK_WHATSAPP_TEMPLATE_LANG = env_str("FACTCHECK_WHATSAPP_TEMPLATE_LANG", "id")
OUTGOING_HTTP_TIMEOUT = env_int("OUTGOING_HTTP_TIMEOUT", 15)
# Hosts core.fetch may reach although they resolve to private/loopback addresses
# (comma-separated; empty in production unless an intranet feed is wanted).
FETCH_ALLOWED_HOSTS = env_list("FETCH_ALLOWED_HOSTS", [])

# --- Newsroom -------------------------------------------------------------------
# Dissemination is sent through channels (the TELEGRAM_*, WHATSAPP_* and
# SMS_GATEWAY_* settings, CHANNELS_* below).
# An approved WhatsApp template with three body parameters: title, summary, link.
NEWSROOM_WHATSAPP_TEMPLATE = env_str("NEWSROOM_WHATSAPP_TEMPLATE", "kabar_simpul")
NEWSROOM_WHATSAPP_TEMPLATE_LANG = env_str("NEWSROOM_WHATSAPP_TEMPLATE_LANG", "id")
# Generic HTTP SMS gateway (see channels/senders.py); empty URL switches SMS off.
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL").rstrip("/")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN")
SMS_GATEWAY_CALLBACK_SECRET = env_str("SMS_GATEWAY_CALLBACK_SECRET")
SMS_SENDER_ID = env_str("SMS_SENDER_ID", "SIMPUL")
# No messages between these hours (WITA) unless urgent.
NEWSROOM_QUIET_START_HOUR = env_int("NEWSROOM_QUIET_START_HOUR", 21)
NEWSROOM_QUIET_END_HOUR = env_int("NEWSROOM_QUIET_END_HOUR", 6)
NEWSROOM_FANOUT_BATCH = env_int("NEWSROOM_FANOUT_BATCH", 2000)
# Public pages are cached this long (and dropped whenever content changes).
NEWSROOM_PAGE_CACHE_SECONDS = env_int("NEWSROOM_PAGE_CACHE_SECONDS", 600)
NEWSROOM_COMMENT_RATE = env_str("NEWSROOM_COMMENT_RATE", "5/m")
NEWSROOM_MAX_IMAGE_BYTES = env_int("NEWSROOM_MAX_IMAGE_BYTES", 10 * 1024 * 1024)

# --- Channels (one sender and one webhook per provider; see README "Deploy") ----
# Providers' tokens and secrets are the TELEGRAM_*, WHATSAPP_* and SMS_GATEWAY_*
# settings above. Throughput per worker (messages a second): Telegram allows ~30
# overall and 1 per chat; WhatsApp Cloud API 80 by default; the SMS gateway's and
# the SMTP server's own limits.
CHANNELS_TELEGRAM_RATE = env_int("CHANNELS_TELEGRAM_RATE", 25)
CHANNELS_TELEGRAM_CHAT_RATE = env_int("CHANNELS_TELEGRAM_CHAT_RATE", 1)
CHANNELS_WHATSAPP_RATE = env_int("CHANNELS_WHATSAPP_RATE", 60)
CHANNELS_SMS_RATE = env_int("CHANNELS_SMS_RATE", 10)
CHANNELS_EMAIL_RATE = env_int("CHANNELS_EMAIL_RATE", 10)
# A template with one body parameter for free text when WhatsApp's 24-hour window
# is closed and the message names no template of its own.
CHANNELS_WHATSAPP_FALLBACK_TEMPLATE = env_str(
    "CHANNELS_WHATSAPP_FALLBACK_TEMPLATE", FACTCHECK_WHATSAPP_TEMPLATE
)
CHANNELS_WHATSAPP_WINDOW_HOURS = env_int("CHANNELS_WHATSAPP_WINDOW_HOURS", 24)
CHANNELS_MAX_ATTEMPTS = env_int("CHANNELS_MAX_ATTEMPTS", 6)
CHANNELS_SEND_BATCH = env_int("CHANNELS_SEND_BATCH", 100)
CHANNELS_SEND_LEASE_SECONDS = env_int("CHANNELS_SEND_LEASE_SECONDS", 300)
# Webhook calls a worker takes at once: their tips are matched in one batch
# (one embedding call), then each is handled as before (issue 16).
CHANNELS_INBOUND_BATCH = env_int("CHANNELS_INBOUND_BATCH", 32)
CHANNELS_INBOUND_LEASE_SECONDS = env_int("CHANNELS_INBOUND_LEASE_SECONDS", 300)
CHANNELS_HOOK_RATE = env_str("CHANNELS_HOOK_RATE", "1200/m")
CHANNELS_HOOK_MAX_BYTES = env_int("CHANNELS_HOOK_MAX_BYTES", 512 * 1024)
CHANNELS_RAW_RETENTION_DAYS = env_int("CHANNELS_RAW_RETENTION_DAYS", 7)

# --- Social accounts (channels/social): Facebook Pages, Instagram professional ----
# A Meta app with Facebook Login for Business; tests point both URLs at a fake.
FACEBOOK_APP_ID = env_str("FACEBOOK_APP_ID")
FACEBOOK_APP_SECRET = env_str("FACEBOOK_APP_SECRET")
SOCIAL_GRAPH_API_BASE = env_str(
    "SOCIAL_GRAPH_API_BASE", "https://graph.facebook.com/v21.0"
).rstrip("/")
SOCIAL_FACEBOOK_DIALOG_URL = env_str(
    "SOCIAL_FACEBOOK_DIALOG_URL", "https://www.facebook.com/v21.0/dialog/oauth"
)
# Key of the stored access tokens (Fernet); empty: derived from SECRET_KEY.
SOCIAL_TOKEN_KEY = env_str("SOCIAL_TOKEN_KEY")
# Tokens expiring within this many days are exchanged for fresh ones.
SOCIAL_REFRESH_DAYS = env_int("SOCIAL_REFRESH_DAYS", 10)
# Instagram publishes at most 50 posts per account in 24 hours (API limit).
SOCIAL_INSTAGRAM_DAILY_LIMIT = env_int("SOCIAL_INSTAGRAM_DAILY_LIMIT", 50)
# Insights are read for posts this many days old at most.
SOCIAL_INSIGHTS_DAYS = env_int("SOCIAL_INSIGHTS_DAYS", 30)

# X (API v2, OAuth 2.0 with PKCE; a confidential client) and TikTok (Login Kit,
# Content Posting API). Tests point the URLs at the fakes of channels/social.
X_CLIENT_ID = env_str("X_CLIENT_ID")
X_CLIENT_SECRET = env_str("X_CLIENT_SECRET")
SOCIAL_X_API_BASE = env_str("SOCIAL_X_API_BASE", "https://api.x.com").rstrip("/")
SOCIAL_X_AUTHORIZE_URL = env_str(
    "SOCIAL_X_AUTHORIZE_URL", "https://x.com/i/oauth2/authorize"
)
TIKTOK_CLIENT_KEY = env_str("TIKTOK_CLIENT_KEY")
TIKTOK_CLIENT_SECRET = env_str("TIKTOK_CLIENT_SECRET")
SOCIAL_TIKTOK_API_BASE = env_str(
    "SOCIAL_TIKTOK_API_BASE", "https://open.tiktokapis.com"
).rstrip("/")
SOCIAL_TIKTOK_AUTHORIZE_URL = env_str(
    "SOCIAL_TIKTOK_AUTHORIZE_URL", "https://www.tiktok.com/v2/auth/authorize/"
)
# An app TikTok has not audited may only post SELF_ONLY (private) posts.
SOCIAL_TIKTOK_PRIVACY = env_str("SOCIAL_TIKTOK_PRIVACY", "PUBLIC_TO_EVERYONE")
# A photo post is processed after its init: its status is asked this many
# times, this many seconds apart, before the outbox tries again later.
SOCIAL_TIKTOK_STATUS_POLLS = env_int("SOCIAL_TIKTOK_STATUS_POLLS", 3)
SOCIAL_TIKTOK_STATUS_WAIT = float(env_str("SOCIAL_TIKTOK_STATUS_WAIT", "2"))
# Posts per account and 24 hours, per platform: Instagram's API limit (50),
# TikTok's cap per creator (about 15), X's free tier (17 posts per user); a
# Page gets a modest default so that a region's whole output is not one burst.
SOCIAL_FACEBOOK_DAILY_LIMIT = env_int("SOCIAL_FACEBOOK_DAILY_LIMIT", 25)
SOCIAL_X_DAILY_LIMIT = env_int("SOCIAL_X_DAILY_LIMIT", 17)
SOCIAL_TIKTOK_DAILY_LIMIT = env_int("SOCIAL_TIKTOK_DAILY_LIMIT", 15)
# No social post goes out at night (local time, WITA): "HH:MM-HH:MM", or empty.
SOCIAL_QUIET_HOURS = env_str("SOCIAL_QUIET_HOURS", "21:00-06:00")

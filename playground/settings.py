"""Django settings for LayerLab.

Everything comes from environment variables. With none set, the site runs on the
embedded default: SQLite, the in-memory channel layer and local worker processes,
all files under one data directory. Setting DATABASE_URL, REDIS_URL and
LAYERLAB_EXECUTOR=celery with a shared data directory make the scale-out mode (docs/deploy.md).
"""
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from playground.env import envbool, envint, envjson, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("LAYERLAB_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = envbool("LAYERLAB_PRODUCTION", False)
# Off unless asked for (DJANGO_DEBUG=1, for development): debug pages show visitors the code and every URL.
DEBUG = envbool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = envstr("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when LAYERLAB_PRODUCTION is on")
    # The embedded default keeps a random key in the data directory so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",  # serves Swagger UI's files for /api/docs from the project, not from a CDN
    "playground.runs",
    "playground.files",
    "playground.studio",
    "playground.accounts",
    "playground.sharing",
    "playground.classroom",
]

MIDDLEWARE = [
    "playground.handlers.ApiErrorsAreJson",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "playground.accounts.bearer.PersonalTokens",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "playground.urls"
ASGI_APPLICATION = "playground.asgi.application"

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
            ],
        },
    },
]


def _database(url: str) -> dict:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "layerlab.sqlite3",
            "OPTIONS": {
                # Web and training processes share the file: wait for locks instead of failing,
                # and take the write lock at BEGIN so two writers never deadlock on upgrade.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # ?sslmode=require&connect_timeout=5 and the like go to libpq as they are.
        "OPTIONS": {key: values[-1] for key, values in parse_qs(parts.query).items()},
    }


DATABASES = {"default": _database(envstr("DATABASE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # The prefix keeps two sites on one Redis apart (their run ids would be the same groups).
            "CONFIG": {"hosts": [REDIS_URL], "capacity": 1000, "expiry": 30,
                       "prefix": envstr("LAYERLAB_CHANNEL_PREFIX", "asgi")},
        }
    }
else:
    # A watcher that falls behind by more messages than this loses them (the store fills the gap).
    CHANNEL_LAYERS = {"default": {"BACKEND": "playground.runs.layer.SweepingInMemoryLayer", "CONFIG": {"capacity": 1000}}}

# Runs: which executor trains them, on how many slots, with which limits.
# "local": this process trains them (the embedded default). "celery": Celery workers on GPU
# machines train them (docs/deploy.md); web nodes only queue. "none": a web node that queues
# runs but trains none and hands none on (tests, or another process trains them).
LAYERLAB_EXECUTOR = envstr("LAYERLAB_EXECUTOR", "local")
if LAYERLAB_EXECUTOR not in ("local", "celery", "none"):
    raise ImproperlyConfigured("LAYERLAB_EXECUTOR must be local, celery or none")
if LAYERLAB_EXECUTOR == "celery" and not (REDIS_URL and DATABASES["default"]["ENGINE"].endswith("postgresql")):
    raise ImproperlyConfigured("LAYERLAB_EXECUTOR=celery needs REDIS_URL (broker and channel layer) and a "
                               "postgres:// DATABASE_URL that every web node and worker reaches")
# Scale-out (LAYERLAB_EXECUTOR=celery). Celery's broker is Redis; messages are JSON only. A message
# only says "a slot may take the next run": which run is decided by the application's scheduler
# (runs/scheduler.py) when a worker claims one from the database, so fairness survives any broker order.
CELERY_BROKER_URL = envstr("LAYERLAB_BROKER_URL", REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = envstr("LAYERLAB_CELERY_QUEUE", "layerlab-runs")
# Runs one Celery worker trains at once (one worker per GPU: usually 1; more share the GPU).
LAYERLAB_WORKER_SLOTS = envint("LAYERLAB_WORKER_SLOTS", 1, minimum=1)
# CPU threads of each training process on a worker (0: the machine's cores divided by the slots).
LAYERLAB_WORKER_THREADS = envint("LAYERLAB_WORKER_THREADS", 0)
# Workers write a heartbeat this often; one silent for LAYERLAB_WORKER_TIMEOUT seconds is taken for
# dead, and its runs end failed, saying so (or, with LAYERLAB_REQUEUE_LOST_RUNS, queue again once).
LAYERLAB_HEARTBEAT_SECONDS = envint("LAYERLAB_HEARTBEAT_SECONDS", 5, minimum=1)
LAYERLAB_WORKER_TIMEOUT = envint("LAYERLAB_WORKER_TIMEOUT", 30, minimum=2)
LAYERLAB_REQUEUE_LOST_RUNS = envbool("LAYERLAB_REQUEUE_LOST_RUNS", False)
LAYERLAB_SLOTS = envint("LAYERLAB_SLOTS", 2, minimum=1)
LAYERLAB_DEVICE = envstr("LAYERLAB_DEVICE", "auto")  # auto, cpu, cuda, cuda:1 ...
# Device memory one run may use (bytes): a task that knows its needs before it starts (Style) is refused
# past it, naming the largest size that fits. Default: a share of this machine's memory, at most 8 GB;
# on a GPU server set it to the GPU's memory divided by the slots that share it.
LAYERLAB_RUN_MEMORY = envint("LAYERLAB_RUN_MEMORY", min(
    8 * 2**30, os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (LAYERLAB_SLOTS + 1)), minimum=2**20)
LAYERLAB_RUN_TIME_LIMIT = envint("LAYERLAB_RUN_TIME_LIMIT", 30 * 60, minimum=1)
LAYERLAB_CANCEL_GRACE = float(envstr("LAYERLAB_CANCEL_GRACE", "1.0"))
# Abandoned runs give their slot back: one paused this long is stopped, and one a page started
# is stopped when no socket of its owner has watched it this long (runs/abandoned.py).
LAYERLAB_PAUSE_LIMIT = envint("LAYERLAB_PAUSE_LIMIT", 10 * 60, minimum=1)
LAYERLAB_UNWATCHED_GRACE = envint("LAYERLAB_UNWATCHED_GRACE", 60, minimum=1)
# Short jobs on a run's checkpoint (runs/jobs.py): warm processes beside the training slots, each
# job with its own time limit and its process with a memory limit; more jobs than the queue holds
# wait for none, they are refused.
LAYERLAB_JOB_WORKERS = envint("LAYERLAB_JOB_WORKERS", 1, minimum=1)
LAYERLAB_JOB_SECONDS = float(envstr("LAYERLAB_JOB_SECONDS", "10"))
LAYERLAB_JOB_MEMORY_MB = envint("LAYERLAB_JOB_MEMORY_MB", 3072, minimum=64)
LAYERLAB_JOB_QUEUE = envint("LAYERLAB_JOB_QUEUE", 8, minimum=0)
LAYERLAB_RUN_QUOTA_ANONYMOUS = envint("LAYERLAB_RUN_QUOTA_ANONYMOUS", 3, minimum=1)
LAYERLAB_RUN_QUOTA_USER = envint("LAYERLAB_RUN_QUOTA_USER", 8, minimum=1)
# Limits by role (anonymous < student < teacher; runs/quotas.py has the defaults, whose "runs" are the
# two quotas above): a JSON object of roles, each with any of "runs" (queued or training at once),
# "epochs", "parameters" and "run_seconds", e.g. {"student": {"runs": 4, "run_seconds": 900}}.
LAYERLAB_ROLE_LIMITS = envjson("LAYERLAB_ROLE_LIMITS", {})
# Anonymous runs also count per client address, so a script that keeps no cookie cannot fill the
# queue. A class behind one NAT address shares this: raise it there, or have students sign in.
LAYERLAB_RUN_QUOTA_PER_ADDRESS = envint("LAYERLAB_RUN_QUOTA_PER_ADDRESS", 10, minimum=1)
# Behind a proxy, the header in which it names the client (X-Forwarded-For, X-Real-IP); its last
# address is used. Empty: the socket's peer address. Set it only behind a proxy that sets it.
LAYERLAB_CLIENT_ADDRESS_HEADER = envstr("LAYERLAB_CLIENT_ADDRESS_HEADER", "")
# The most one run may store; a run that reaches either ends failed, keeping what it recorded.
LAYERLAB_RUN_MAX_EVENTS = envint("LAYERLAB_RUN_MAX_EVENTS", 50_000, minimum=10)
LAYERLAB_RUN_MAX_EVENT_BYTES = envint("LAYERLAB_RUN_MAX_EVENT_BYTES", 32 * 1024 * 1024, minimum=1024)
LAYERLAB_MAX_BODY_BYTES = envint("LAYERLAB_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024)
# Slow and greedy clients, held off by playground/server.py (what ./layerlab serve runs).
LAYERLAB_REQUEST_TIMEOUT = envint("LAYERLAB_REQUEST_TIMEOUT", 30, minimum=1)
LAYERLAB_HTTP_TIMEOUT = envint("LAYERLAB_HTTP_TIMEOUT", 60, minimum=1)
LAYERLAB_WEBSOCKET_CONNECT_TIMEOUT = envint("LAYERLAB_WEBSOCKET_CONNECT_TIMEOUT", 20, minimum=1)
LAYERLAB_MAX_CONNECTIONS_PER_ADDRESS = envint("LAYERLAB_MAX_CONNECTIONS_PER_ADDRESS", 256, minimum=1)
LAYERLAB_UNCAPPED_ADDRESSES = envlist("LAYERLAB_UNCAPPED_ADDRESSES", ["127.0.0.1", "::1"])

# Uploads (POST /api/uploads, playground/data/uploads.py): their own body limit, what one may hold,
# and how many a visitor may keep. Django writes a multipart file over 2.5 MB to FILE_UPLOAD_TEMP_DIR
# while the request lasts.
LAYERLAB_MAX_UPLOAD_BYTES = envint("LAYERLAB_MAX_UPLOAD_BYTES", 50 * 1024 * 1024, minimum=1024)
LAYERLAB_UPLOAD_MAX_EXPANDED_BYTES = envint("LAYERLAB_UPLOAD_MAX_EXPANDED_BYTES", 200 * 1024 * 1024, minimum=1024)
LAYERLAB_UPLOAD_MAX_FILES = envint("LAYERLAB_UPLOAD_MAX_FILES", 5000, minimum=2)
LAYERLAB_UPLOAD_MAX_PIXELS = envint("LAYERLAB_UPLOAD_MAX_PIXELS", 4096 * 4096, minimum=256)
LAYERLAB_UPLOAD_MAX_TEXT_BYTES = envint("LAYERLAB_UPLOAD_MAX_TEXT_BYTES", 10 * 1024 * 1024, minimum=1)
LAYERLAB_UPLOAD_MAX_VOCABULARY = envint("LAYERLAB_UPLOAD_MAX_VOCABULARY", 1000, minimum=2)
LAYERLAB_UPLOAD_QUOTA = envint("LAYERLAB_UPLOAD_QUOTA", 20, minimum=1)
LAYERLAB_UPLOAD_QUOTA_PER_ADDRESS = envint("LAYERLAB_UPLOAD_QUOTA_PER_ADDRESS", 50, minimum=1)
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "incoming"
FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
# Pictures a run writes as files (tasks/pictures.py), and replay pages, capped in bytes as well as events.
LAYERLAB_RUN_MAX_PICTURE_BYTES = envint("LAYERLAB_RUN_MAX_PICTURE_BYTES", 256 * 1024 * 1024, minimum=1024)
LAYERLAB_EVENT_PAGE_BYTES = envint("LAYERLAB_EVENT_PAGE_BYTES", 1024 * 1024, minimum=1024)
# Datasets and weights (playground/data/catalog.py) live in DATA_DIR/datasets and DATA_DIR/weights;
# fetch_datasets downloads from their publishers, or from this base (a local mirror) when set.
LAYERLAB_DOWNLOAD_BASE = envstr("LAYERLAB_DOWNLOAD_BASE", "")

# Accounts (playground/accounts/): argon2 for new passwords (older hashes are upgraded at sign-in),
# Django's validators, e-mail to the console unless an SMTP host is named.
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
EMAIL_HOST = envstr("LAYERLAB_EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = envint("LAYERLAB_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = envstr("LAYERLAB_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envstr("LAYERLAB_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("LAYERLAB_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = envstr("LAYERLAB_EMAIL_FROM", "LayerLab <layerlab@localhost>")
LOGIN_URL = "/account/signin"
# The first account made is a teacher (a one-person install needs no admin to start a class).
LAYERLAB_FIRST_USER_IS_TEACHER = envbool("LAYERLAB_FIRST_USER_IS_TEACHER", True)
# Failed sign-ins: this many per name and address (four times as many per address) in this many seconds.
LAYERLAB_SIGNIN_ATTEMPTS = envint("LAYERLAB_SIGNIN_ATTEMPTS", 5, minimum=1)
LAYERLAB_SIGNIN_WINDOW = envint("LAYERLAB_SIGNIN_WINDOW", 15 * 60, minimum=1)
LAYERLAB_API_TOKENS_PER_USER = envint("LAYERLAB_API_TOKENS_PER_USER", 20, minimum=1)

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "collected-static"
MEDIA_ROOT = Path(envstr("LAYERLAB_MEDIA_DIR", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"

SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"playground": {"handlers": ["console"], "level": envstr("LAYERLAB_LOG_LEVEL", "INFO")}},
}

"""StepStudio settings: everything that differs between machines comes from the environment.

With nothing set, StepStudio runs "embedded": SQLite databases and a SQLite message broker
under var/, so `make run` works on a fresh machine. Production sets DATABASE_URL (PostgreSQL)
and REDIS_URL (Celery broker, results and the channel layer). See README.md "Configuration".
"""

from pathlib import Path

import dj_database_url

from stepstudio.env import (
    development_secret_key,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime state of embedded mode (SQLite files, the generated secret key); git-ignored.
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or development_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
# The AWS SDKs send StartSyncExecution and TestState to "sync-<host>" (the operations'
# hostPrefix in the Step Functions model): each listed name is served with that prefix too
# (patterns "." and "*" cover it already). docs/api.md lists the ways to turn the prefix off.
ALLOWED_HOSTS += [f"sync-{h}" for h in ALLOWED_HOSTS if h[:1] not in (".", "*", "[")]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Hosts the HTTP task may call although they resolve to loopback/private/link-local/...
# addresses (names, IPs or CIDR networks; engine/runtime/http_task.py). Empty: none.
HTTP_TASK_ALLOWED_HOSTS = env_list("HTTP_TASK_ALLOWED_HOSTS")
# The same for webhook receivers (engine/events/delivery.py): empty, only public addresses.
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS")
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)

INSTALLED_APPS = [
    "daphne",  # first: its runserver replaces Django's with an ASGI one
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI assets served locally: no CDN
    "channels",
    "stepstudio",
    "engine",
    "designer",
    "accounts",  # per-user access keys for the AWS protocol (SigV4)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the login check: static files are the one thing an anonymous visitor may fetch.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "stepstudio.urls"
WSGI_APPLICATION = "stepstudio.wsgi.application"
ASGI_APPLICATION = "stepstudio.asgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
    schemes={"sqlite", "postgres", "postgresql", "pgsql"},
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
# A broken kept connection (database restarted) is noticed and replaced, not reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # The web server, the worker and the scheduler write to one file: wait for the lock
        # instead of failing, take it at BEGIN (no deadlocking read->write upgrades), and let
        # readers proceed during writes (WAL).
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)  # set when served over HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS enforcement (off by default so plain-HTTP embedded mode works; see README).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
# HSTS for subdomains and browser preload lists bind the whole domain, not this app: they are
# the operator's choice (SECURE_HSTS_INCLUDE_SUBDOMAINS above), so check --deploy does not nag.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# --- Your code: task handlers (docs/handlers.md) -----------------------------------------

# Dotted modules/packages imported by every process at start-up (engine.handler_modules);
# one that does not import stops start-up with ImproperlyConfigured.
STEPSTUDIO_HANDLERS = env_list("STEPSTUDIO_HANDLERS")
# NAME=module:function entries: unchanged AWS Lambda handlers, registered as functions NAME.
STEPSTUDIO_LAMBDA_FUNCTIONS = env_list("STEPSTUDIO_LAMBDA_FUNCTIONS")
# The sample state machines and their handlers (false: left out).
STEPSTUDIO_SAMPLES = env_bool("STEPSTUDIO_SAMPLES", True)
# How long GetActivityTask holds a poll open when no task is waiting (AWS: 60 s). Activity
# workers wait for their polls to come back before they exit (docs/handlers.md).
STEPSTUDIO_ACTIVITY_POLL_SECONDS = env_int("STEPSTUDIO_ACTIVITY_POLL_SECONDS", 60, minimum=0,
                                           maximum=60)

# --- HTTP request limits (docs/operations.md, docs/security.md) ---------------------------

# The largest request body any door accepts, chunked or not; larger ones are answered 413
# before they are read into memory (stepstudio/http/body_limit.py). Django's own check on
# request.body uses the same number. Not the 256 KiB payload limit, which is semantic.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 2_621_440, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

# StartExecution per user, as AWS throttles it per account (Standard workflows, us-east-1):
# a token bucket of START_EXECUTION_BUCKET starts refilled at START_EXECUTION_REFILL_PER_SECOND;
# beyond it ThrottlingException (AWS protocol) / 429 with Retry-After (REST). Shared between
# web processes through Redis when REDIS_URL is set (engine/start_limits.py).
START_EXECUTION_BUCKET = env_int("START_EXECUTION_BUCKET", 1300, minimum=1)
START_EXECUTION_REFILL_PER_SECOND = env_float("START_EXECUTION_REFILL_PER_SECOND", 300.0,
                                              minimum=0.001)
# Open (RUNNING) Standard executions per user; the next start is ExecutionLimitExceeded.
MAX_OPEN_EXECUTIONS = env_int("MAX_OPEN_EXECUTIONS", 1_000_000, minimum=1)
# --- AWS service integrations (docs/integrations.md, docs/security.md) -------------------

# Tasks with no mock and no registered handler call the real AWS service through boto3
# (aws-sdk:*, lambda:invoke, sqs:sendMessage, …; a Distributed Map's S3 ItemReader and
# ResultWriter). Off by default: nothing outside the server is called. Endpoints and
# credentials are boto3's own (AWS_ENDPOINT_URL, AWS_PROFILE, instance roles, …).
STEPSTUDIO_AWS_INTEGRATIONS = env_bool("STEPSTUDIO_AWS_INTEGRATIONS", False)
# The services those Tasks may call (boto3 or ARN names: sqs, dynamodb, s3, sfn, …); empty:
# every service boto3 knows.
STEPSTUDIO_AWS_ALLOWED_SERVICES = env_list("STEPSTUDIO_AWS_ALLOWED_SERVICES")

# --- Static files -----------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# WhiteNoise warns on every start when this is missing, even when serving from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Not the manifest variant: `make run` serves straight from static/ without a
    # collectstatic step, and templates must not need a manifest to render.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve from the finders when collectstatic has not been run (embedded mode).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- REST API ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "StepStudio API",
    "VERSION": "1.0.0",
    # No machine here or at a user's site is guaranteed internet: serve the UI ourselves.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Executions and map runs both have a `status` with choices of their own.
    "ENUM_NAME_OVERRIDES": {
        "ExecutionStatusEnum": "engine.models.ExecutionStatus",
        "MapRunStatusEnum": "engine.models.MapRunStatus",
    },
}

# --- Celery and channels: Redis when configured, embedded SQLite otherwise ---------------

REDIS_URL = env_url("REDIS_URL", schemes={"redis", "rediss", "unix"})
EMBEDDED = REDIS_URL is None

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels-redis blocks on BZPOPMIN for 5 s; redis-py 8's default 5 s read timeout
            # would kill every idle consumer just before that returns (redis-py#4091).
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}]},
        }
    }
else:
    CELERY_BROKER_URL = f"sqlite:///{VAR_DIR / 'broker.sqlite3'}"
    CELERY_BROKER_TRANSPORT = "stepstudio.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {"polling_interval": 0.1}
    CELERY_RESULT_BACKEND = f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "stepstudio.layers.SQLiteChannelLayer",
            "CONFIG": {"path": str(VAR_DIR / "channels.sqlite3")},
        }
    }

# --- RabbitMQ as Celery's broker (optional): CELERY_BROKER_URL=amqp://… --------------------
# Only the broker moves: results and the channel layer stay where REDIS_URL (or the embedded
# mode) put them. Queues are quorum queues (replicated, durable; Celery then turns off the
# global QoS they refuse), the ones the runtime names on the fly (STEPSTUDIO_QUEUE, its lanes,
# handler queues) too. Their exchanges are direct, so a retry countdown is held by the worker
# that got it (as on Redis), not by RabbitMQ's native delayed delivery (topic exchanges only;
# Celery 5.7 also refuses its sub-second countdowns there); every publish
# waits for the broker's confirm, so a message the runtime sent after commit is in a queue.
AMQP_BROKER_URL = env_url("CELERY_BROKER_URL", schemes={"amqp", "amqps", "pyamqp"})
if AMQP_BROKER_URL:
    CELERY_BROKER_URL = AMQP_BROKER_URL
    CELERY_BROKER_TRANSPORT = None
    CELERY_BROKER_TRANSPORT_OPTIONS = {"confirm_publish": True}
    CELERY_TASK_DEFAULT_QUEUE_TYPE = "quorum"
    CELERY_TASK_CREATE_MISSING_QUEUE_TYPE = "quorum"
    CELERY_WORKER_DETECT_QUORUM_QUEUES = True

CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# A task is acknowledged after it ran, and re-queued if its worker process dies: steps are
# idempotent (claimed by conditional update), so running one twice is safe, losing one is not.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The database is the record of what happened; a task that wants its return value read
# (only probes like stepstudio.tasks.ping) opts in with ignore_result=False.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 3600
CELERY_WORKER_CONCURRENCY = env_int("WORKER_CONCURRENCY", 2, minimum=1)
# Celery's Django fix-up closes the database connection before and after every task unless
# this is set: a new PostgreSQL connection (a backend process forked) per step cost more
# than the step's own queries. Worker processes now reopen it every N tasks; a connection
# broken meanwhile (database restarted) fails one task (a step retries on a fresh connection,
# engine/runtime/tasks.py); the next task of that process finds it closed and reconnects
# (stepstudio/celery.py).
CELERY_DB_REUSE_MAX = env_int("WORKER_DB_REUSE_MAX", 1000, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

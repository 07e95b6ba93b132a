"""The API through HTTP: clients for each kind of caller, and the stored state tests start from.

Every test that asks for `api` runs twice, on SQLite and on PostgreSQL (when TEST_DATABASE_URL is
set; in CI a missing URL fails). The container's unit of work, as production wires it (its message
bus and the core's handlers included), is pointed at the database under test by configuration
alone; users and tokens stay in Django's default database, where authentication looks for them.
Alert rules and locations refer to their owner and creator by foreign key, so each account is
also made in the database under test, under the same id (`Stored.account`): the twin the rows
point at, and the one to delete to see what goes with a user. The task queue and the clock are
fakes, so no broker is needed and "now" is fixed.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from dependency_injector import providers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connections
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings as SettingsWrapper
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from adapters.rest.representations import Representations
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.geocode import Geocode
from domain.alerts import Alert, AlertRule
from domain.locations import Coordinates, Location, Place
from domain.observations import Observation
from server_config.container import container
from tests.conftest import required_service_url
from tests.support.builders import NOW, a_location, a_rule, an_alert, an_observation
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeGeocoder, FakeWeatherProvider
from tests.support.fakes.task_queue import FakeTaskQueue

#: The database aliases API tests may touch: pytest-django creates a test database for each.
DATABASES = ["default", *(["postgres"] if "postgres" in settings.DATABASES else [])]

PROBLEM = "application/problem+json"
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings: SettingsWrapper) -> None:
    """Production uses whitenoise's manifest storage, which needs ``collectstatic``; tests don't."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Iterator[None]:
    """Throttle counters live in the cache: each test starts with a full allowance."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tasks() -> Iterator[FakeTaskQueue]:
    queue = FakeTaskQueue()
    with container.task_queue.override(providers.Object(queue)):
        yield queue


@pytest.fixture
def without_kept_answers() -> Iterator[None]:
    """Every answer rendered afresh (`adapters/rest/representations.py` keeps none), for tests of
    what a read costs the storage behind it."""
    fresh = Representations(container.data_versions(), seconds=0)
    with container.representations.override(providers.Object(fresh)):
        yield


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    fake = FakeClock(NOW)
    with container.clock.override(providers.Object(fake)):
        yield fake


@attrs.define
class Stored:
    """Puts state in the database under test, as earlier requests and workers would have."""

    alias: str
    clock: FakeClock

    def uow(self) -> UnitOfWork:
        """The container's unit of work, on the database under test (see `stored`)."""
        return container.unit_of_work()

    def account(self, username: str, **fields: Any) -> Any:
        """A user who can sign in (in the default database) and own rows in the one under test."""
        user = get_user_model()._default_manager.create_user(username, **fields)
        if self.alias != "default":
            twin = get_user_model()(pk=user.pk, username=username, password=user.password)
            twin.is_staff = user.is_staff
            twin.save(using=self.alias)
        return user

    def delete_account(self, user: Any) -> None:
        """The user deleted from both databases, as an administrator deletes an account: its rules
        and their alerts go with it, its locations stay without a creator."""
        users = get_user_model()._default_manager
        users.db_manager(self.alias).filter(pk=user.pk).delete()
        users.filter(pk=user.pk).delete()

    def location(
        self, name: str = "Samara", *, created_by: Any | None = None, **overrides: Any
    ) -> Location:
        """A location as registered by `created_by` (a user), or by nobody: from the command
        line, as the existing locations have been."""
        location = a_location(
            name=name,
            now=self.clock.now(),
            created_by=None if created_by is None else str(created_by.pk),
            **overrides,
        )
        with self.uow() as uow:
            uow.locations.add(location)
            uow.commit()
        return location

    def locations(self, count: int) -> list[Location]:
        return [
            self.location(f"Place {index:03}", coordinates=Coordinates(10 + index / 100, 20))
            for index in range(count)
        ]

    def weather(self, location: Location, **metrics: Any) -> None:
        """A refresh's worth of data: the current reading, hourly and daily forecasts."""
        provider = FakeWeatherProvider(self.clock, forecast_hours=400, forecast_days=16)
        if metrics:
            provider.set_metrics(location.id, **metrics)
        (report,) = provider.fetch([location])
        assert report.current is not None
        assert report.hourly is not None
        assert report.daily is not None
        with self.uow() as uow:
            uow.observations.add_many([report.current])
            uow.forecasts.save_many(hourly=[report.hourly], daily=[report.daily])
            uow.commit()

    def observations(
        self, location: Location, start: datetime, count: int, step: timedelta, **metrics: Any
    ) -> list[Observation]:
        readings = [
            an_observation(
                location.id,
                observed_at=start + step * index,
                **{"temperature": float(index), **metrics},
            )
            for index in range(count)
        ]
        with self.uow() as uow:
            uow.observations.add_many(readings)
            uow.commit()
        return readings

    def rule(self, owner: Any, location: Location, **overrides: Any) -> AlertRule:
        rule = a_rule(
            location.id,
            **{"owner_id": str(owner.pk), "created_at": self.clock.now(), **overrides},
        )
        with self.uow() as uow:
            uow.alerts.add_rule(rule)
            uow.commit()
        return rule

    def alert(self, rule: AlertRule, raised_at: datetime, value: float = 31.0) -> Alert:
        alert = an_alert(rule, value=value, observed_at=raised_at, raised_at=raised_at)
        with self.uow() as uow:
            uow.alerts.add_alerts([alert])
            uow.commit()
        return alert

    def count_queries(self, call: Callable[[], Any]) -> int:
        """How many SQL queries `call` sends, to the database under test and to the default one
        (users, tokens, sessions); transaction control (savepoints in tests) is not counted.
        The cache is emptied first, so the count is the cold path's, the dearest one."""
        caches["default"].clear()
        aliases = {self.alias, "default"}
        contexts = [CaptureQueriesContext(connections[alias]) for alias in aliases]
        with contextlib.ExitStack() as stack:
            for context in contexts:
                stack.enter_context(context)
            call()
        return sum(
            1
            for context in contexts
            for query in context.captured_queries
            if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
        )


@pytest.fixture(params=["default", "postgres"], ids=["sqlite", "postgresql"])
def stored(
    request: pytest.FixtureRequest, clock: FakeClock, tasks: FakeTaskQueue
) -> Iterator[Stored]:
    """The database under test, with the container's unit of work pointed at it (test modules
    mark themselves ``django_db(databases=DATABASES)``): only its configuration changes, the
    wiring is production's."""
    if request.param == "postgres":
        required_service_url("TEST_DATABASE_URL")
    with container.config.database.alias.override(request.param):
        yield Stored(alias=request.param, clock=clock)


# --- callers -------------------------------------------------------------------------------------


def _client_of(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        token = Token.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def alice(stored: Stored) -> Any:
    return stored.account("alice", password="correct horse battery")


@pytest.fixture
def bob(stored: Stored) -> Any:
    return stored.account("bob", password="tr0ub4dor&3")


@pytest.fixture
def root(stored: Stored) -> Any:
    """A staff user."""
    return stored.account("root", password="x" * 20, is_staff=True)


@pytest.fixture
def user(alice: Any) -> APIClient:
    """A plain authenticated user (alice), by token."""
    return _client_of(alice)


@pytest.fixture
def other_user(bob: Any) -> APIClient:
    return _client_of(bob)


@pytest.fixture
def staff(root: Any) -> APIClient:
    return _client_of(root)


# --- geocoding -----------------------------------------------------------------------------------

PARIS = Place(
    name="Paris",
    coordinates=Coordinates(48.8534, 2.3488),
    country_code="FR",
    admin1="Île-de-France",
    elevation=42.0,
    timezone="Europe/Paris",
    population=2138551,
)


@pytest.fixture
def geocoder() -> Iterator[FakeGeocoder]:
    """A fake geocoder behind the `geocode` use case."""
    fake = FakeGeocoder([PARIS, attrs.evolve(PARIS, name="Parish", population=None)])
    with container.geocode.override(providers.Object(Geocode([fake]))):
        yield fake


# --- assertions ----------------------------------------------------------------------------------


def assert_problem(
    response: Any, status: int, *, errors: list[str] | None = None
) -> dict[str, Any]:
    """`response` is an RFC 9457 problem with `status`; with `errors`, exactly those fields."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    assert "Traceback" not in response.content.decode()
    if errors is not None:
        assert sorted(body["errors"]) == sorted(errors), body
    return body


def random_id() -> str:
    return str(uuid.uuid4())


UNKNOWN_ID = "3f0c9a2e-7d41-4b6a-9e85-2c1d0f6b8a47"
"""An id no stored row has, fixed so that the tests it parametrizes have the same ids in every
test process (pytest-xdist refuses collections that differ)."""

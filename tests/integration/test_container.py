"""The composition root: which adapter serves which port, and how tests and workers change it."""

from __future__ import annotations

import pytest
from dependency_injector import providers

from adapters.health.views import ReadyView
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from adapters.providers.met_norway import MetNorwayProvider
from adapters.providers.open_meteo import OpenMeteoProvider
from adapters.system.clock import SystemClock
from application.events import AlertRaised
from application.use_cases.register_location import (
    RegisterLocation,
    RegisterLocationCommand,
)
from server_config.celery import _fresh_singletons_after_fork
from server_config.container import container
from tests.support.builders import NOW, an_alert
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.task_queue import FakeTaskQueue


def test_the_django_adapters_serve_the_ports() -> None:
    assert isinstance(container.unit_of_work(), DjangoUnitOfWork)
    assert isinstance(container.clock(), SystemClock)
    names = [type(provider).__name__ for provider in container.weather_providers()]
    assert names == [OpenMeteoProvider.__name__, MetNorwayProvider.__name__]


def test_each_use_case_gets_its_own_unit_of_work() -> None:
    first, second = container.register_location(), container.register_location()

    assert isinstance(first, RegisterLocation)
    assert first._uow is not second._uow


@pytest.mark.django_db
def test_its_units_of_work_react_to_their_events_as_the_cores_bootstrap_wires_them() -> None:
    """The same wiring as the unit tests' core (`tests/support/core.py`): an alert raised with
    a webhook is queued for delivery once the unit of work that raised it has committed."""
    tasks = FakeTaskQueue()
    with container.task_queue.override(providers.Object(tasks)):
        uow = container.unit_of_work()
    alert = an_alert()

    with uow:
        uow.record(AlertRaised(alert=alert, webhook_url="https://hooks.example.com/alert"))
        uow.commit()
        assert tasks.queued == []  # handlers wait for the block to end

    assert [(task.name, task.arguments) for task in tasks.queued] == [
        ("deliver_alert", (alert.id,))
    ]


@pytest.mark.django_db
def test_a_test_can_override_any_provider() -> None:
    with container.clock.override(providers.Object(FakeClock(NOW))):
        result = container.register_location().execute(
            RegisterLocationCommand(name="Samara", latitude=53.2, longitude=50.15)
        )

    assert result.created_at == NOW
    assert isinstance(container.clock(), SystemClock)


def test_adapters_are_wired_when_imported() -> None:
    """`ReadyView`'s module was imported after start-up: the import hook wired it (see
    `test_wiring.py`)."""
    checks = list(ReadyView().get_checks())

    assert [type(check).__name__ for check in checks] == ["Database", "Broker"]


def test_a_forked_worker_process_gets_fresh_singletons() -> None:
    before = container.open_meteo()

    _fresh_singletons_after_fork()

    assert container.open_meteo() is not before

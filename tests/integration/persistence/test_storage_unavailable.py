"""A database that cannot be reached is the domain's ``StorageUnavailable``, never a raw error."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.db import connections
from pytest_django import DjangoDbBlocker

from adapters.persistence.repositories import DjangoObservationRepository
from adapters.persistence.session import Session
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from domain.errors import StorageUnavailable
from tests.support.processes import free_port


@pytest.fixture
def dead_database(django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """An alias for a PostgreSQL server that is not there (a closed port on loopback)."""
    alias = "unreachable"
    connections.settings[alias] = connections.configure_settings(
        {
            "default": connections.settings["default"],
            alias: {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "gone",
                "USER": "nobody",
                "HOST": "127.0.0.1",
                "PORT": free_port(),
                "OPTIONS": {"connect_timeout": 2},
            },
        }
    )[alias]
    with django_db_blocker.unblock():
        yield alias
    connections[alias].close()
    del connections.settings[alias]


def test_an_unreachable_database_is_storage_unavailable(dead_database: str) -> None:
    with pytest.raises(StorageUnavailable), DjangoUnitOfWork(dead_database) as uow:
        uow.locations.get(uuid.uuid4())
    with pytest.raises(StorageUnavailable):
        DjangoObservationRepository(Session(dead_database)).latest(uuid.uuid4())

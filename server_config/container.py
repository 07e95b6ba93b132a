"""The dependency-injector container: the one place that chooses which adapter serves which port.

Processes wire it once at start-up (the web process in ``ServerConfig.ready``, Celery workers
through the same Django start-up). Adapters ask for what they need with ``Provide["name"]``
markers, by name, so they never import this module. Tests replace a provider with
``container.name.override``.
"""

from __future__ import annotations

import datetime

from dependency_injector import containers, providers
from django.conf import settings

from adapters.health.checks import Broker, Database

#: The packages whose ``@inject`` functions and ``Provide`` markers are wired at start-up.
WIRED_PACKAGES = ("adapters",)


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

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
            "health": {"timeout_seconds": settings.HEALTH_CHECK_TIMEOUT_SECONDS},
            "celery": {
                "broker_url": settings.CELERY_BROKER_URL,
                "transport_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            },
        }
    )


def wire(target: Container) -> None:
    configure(target)
    target.wire(packages=list(WIRED_PACKAGES))


container = Container()

"""``/health/live`` and ``/health/ready`` in the shape of CONTRACT.md §5.

django-health-check runs the checks (concurrently, each bounded by its timeout, failures caught and
logged); these views only choose which checks run and render the contract's JSON, with 503 rather
than the library's 500 so that load balancers read "not ready" rather than "broken".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from dependency_injector.wiring import Provide, inject
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from health_check.base import HealthCheck
from health_check.views import HealthCheckView

logger = logging.getLogger(__name__)

#: The name a check reports under, by the check's class name.
CHECK_NAMES = {"Database": "database", "Broker": "broker"}


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is checked, so a slow dependency never restarts it."""
    return JsonResponse({"status": "ok"})


class ReadyView(HealthCheckView):
    """Ready when every dependency the web process needs (database, broker) answers in time."""

    @inject
    def get_checks(
        self, checks: Sequence[HealthCheck] = Provide["readiness_checks"]
    ) -> Iterator[HealthCheck]:
        return iter(checks)

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        await super().get(request, *args, **kwargs)
        checks: dict[str, str] = {}
        for result in self.results:
            name = CHECK_NAMES.get(type(result.check).__name__, type(result.check).__name__)
            if result.error is None:
                checks[name] = "ok"
            else:
                checks[name] = f"unavailable: {result.error.message}"
                logger.warning("readiness check %s failed: %s", name, result.error.message)
        healthy = all(state == "ok" for state in checks.values())
        return JsonResponse(
            {"status": "ok" if healthy else "unavailable", "checks": checks},
            status=200 if healthy else 503,
        )

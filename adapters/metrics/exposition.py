"""``GET /metrics``: the Prometheus text format, of every process of the deployment.

prometheus-client's own Django view, which negotiates the format (text or OpenMetrics) and gzip as
Prometheus asks; in multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``) over every process's files,
this process manager's and the others' on the machine (`DeploymentCollector`), otherwise over this
process's registry. The ``_created`` series (one more line for every counter and histogram, which
no dashboard here reads) are not written; multiprocess mode has none anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client.django import PrometheusDjangoView

from adapters.metrics.multiprocess import deployment_registry

prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]


class MetricsView(PrometheusDjangoView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        folder = settings.PROMETHEUS_MULTIPROC_DIR
        self.registry = (
            prometheus_client.REGISTRY if folder is None else deployment_registry(Path(folder))
        )
        response: HttpResponse = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        return response


metrics = MetricsView.as_view()

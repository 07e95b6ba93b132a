"""The request metrics: django-prometheus's middleware, trimmed to what an operator reads.

django-prometheus counts every request in 20 metric families, four of them by view; with its 17
latency buckets for each view and method, one scrape of this project grew past 2 MB once every
route had been asked. Kept here: latency by view and method (the API's p95), responses by status,
view and method (error rates), requests by method, exceptions by type, and the latency of the
whole middleware stack; fewer buckets (``PROMETHEUS_LATENCY_BUCKETS`` in the settings). The other
families (by transport, template, charset, body size, the "before middlewares" counters, which
repeat the others) are never created, through django-prometheus's own extension point,
``Metrics.register_metric``.

The labels are bounded as well: the admin's hundred-odd pages are one view, ``admin`` (their
latency is nobody's service level); a method outside HTTP's own is ``<invalid method>`` for the
latency too (django-prometheus labels it with whatever the client sent); in the latency, ``HEAD``
is ``GET`` (Django answers it with the same view), and neither ``OPTIONS`` (CORS preflights,
answered without the view's work) nor a method the view refuses (405) is timed, only counted, so
a client trying every method on every route adds no latency series. Asked every route with every
method it allows, the scrape stays under 100 KB (``tests/integration/tasks/
test_metrics_every_process.py``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django_prometheus import middleware  # type: ignore[import-untyped]  # no type information

#: The families kept; every other one django-prometheus defines is not recorded.
KEPT_FAMILIES = frozenset(
    {
        "django_http_requests_latency_including_middlewares_seconds",
        "django_http_requests_latency_seconds_by_view_method",
        "django_http_requests_total_by_method",
        "django_http_responses_total_by_status_view_method",
        "django_http_exceptions_total_by_type",
    }
)
ADMIN_VIEW = "admin"
_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"}
)


class _NotRecorded:
    """Takes the place of a family nobody reads: every call does nothing."""

    def labels(self, *_: Any, **__: Any) -> _NotRecorded:
        return self

    def inc(self, amount: float = 1) -> None:
        pass

    def observe(self, amount: float) -> None:
        pass


class Metrics(middleware.Metrics):  # type: ignore[misc]
    _instance = None  # this class's own, not django-prometheus's

    def register_metric(
        self, metric_cls: type, name: str, documentation: str, labelnames: Any = (), **kwargs: Any
    ) -> Any:
        if name not in KEPT_FAMILIES:
            return _NotRecorded()
        return super().register_metric(metric_cls, name, documentation, labelnames, **kwargs)


class PrometheusBeforeMiddleware(middleware.PrometheusBeforeMiddleware):  # type: ignore[misc]
    metrics_cls = Metrics


class PrometheusAfterMiddleware(middleware.PrometheusAfterMiddleware):  # type: ignore[misc]
    metrics_cls = Metrics

    def _get_view_name(self, request: HttpRequest) -> str:
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.namespaces:
            return ADMIN_VIEW
        return str(super()._get_view_name(request))

    def label_metric(
        self, metric: Any, request: HttpRequest, response: Any = None, **labels: Any
    ) -> Any:
        if "method" in labels and labels["method"] not in _METHODS:
            labels["method"] = "<invalid method>"
        if "view" in labels:
            labels["view"] = self._get_view_name(request)
        if metric is self.metrics.requests_latency_by_view_method:
            refused = getattr(response, "status_code", None) == 405
            if refused or labels.get("method") == "OPTIONS":
                return _NotRecorded()
            if labels.get("method") == "HEAD":
                labels["method"] = "GET"
        return super().label_metric(metric, request, response, **labels)

"""The URL map: operational endpoints here, the API under ``/api/v1/`` (CONTRACT.md §3–5)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from adapters.health import views as health
from adapters.metrics import exposition
from adapters.rest import problems
from adapters.rest.redoc_bundle import redoc_bundle

# Under /api/ these answer problem+json (CONTRACT.md §3); elsewhere Django's own pages.
handler404 = problems.page_not_found
handler500 = problems.server_error

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ReadyView.as_view(), name="health-ready"),
    # Prometheus text format, of every process of the deployment: requests and latencies
    # (django-prometheus's middleware), the workers' tasks and the provider calls of every process
    # (adapters/metrics/, docs/decisions/0021-metrics-from-every-process.md).
    path("metrics", exposition.metrics, name="prometheus-django-metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    # drf-spectacular's Redoc page links Google Fonts: the project's copy links nothing abroad.
    path(
        "api/v1/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api_docs/redoc.html"),
        name="redoc",
    ),
    path("api/v1/redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    path("api/v1/", include("adapters.rest.urls")),
    # Django's `set_language` (POST /i18n/setlang/): the language switch of every dashboard page.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("adapters.dashboard.urls")),
]

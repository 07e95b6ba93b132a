"""The URL map: operational endpoints here, the API under ``/api/v1/`` (CONTRACT.md §3–5)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from adapters.health import views as health
from adapters.rest import problems

# Under /api/ these answer problem+json (CONTRACT.md §3); elsewhere Django's own pages.
handler404 = problems.page_not_found
handler500 = problems.server_error

urlpatterns = [
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ReadyView.as_view(), name="health-ready"),
    # Prometheus text format: requests and latencies (django-prometheus), provider calls and
    # queued tasks (the adapters' own counters, in the same registry).
    path("", include("django_prometheus.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/v1/", include("adapters.rest.urls")),
    path("", include("adapters.dashboard.urls")),
]

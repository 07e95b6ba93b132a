"""The dashboard's routes, included at the site root by ``server_config.urls``."""

from __future__ import annotations

from django.urls import path

from adapters.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
]

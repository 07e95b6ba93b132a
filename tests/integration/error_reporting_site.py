"""Settings of a server like production's (`server_config.settings`, every middleware and
`SENTRY_DSN` from the environment), with one more API route, whose view raises as a bug would:
the `DJANGO_SETTINGS_MODULE` of the server `tests/integration/test_error_reporting.py` starts.

It is its own URLconf too: the project's routes and that one. They are made when Django first
asks for them (a module `__getattr__`), since the project's URLconf can only be imported once
the settings are loaded, and this module is the settings.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from server_config.settings import *  # noqa: F403

ROOT_URLCONF = __name__
BROKEN_PATH = "api/v1/broken/"


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug nobody mapped")


def __getattr__(name: str) -> Any:
    if name == "urlpatterns":
        return [path(BROKEN_PATH, _broken), path("", include("server_config.urls"))]
    raise AttributeError(name)

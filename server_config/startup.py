"""What every process does first: load the settings, or stop with one line saying why."""

from __future__ import annotations

import os

from server_config.environment import ConfigurationError

SETTINGS_MODULE = "server_config.settings"


def load_settings_or_exit() -> None:
    """Import the settings now, turning a configuration error into a one-line exit.

    Without this, a missing ``DJANGO_SECRET_KEY`` shows up as a long traceback from deep inside
    Django (or gunicorn, or Celery), and the line that matters is easy to miss.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - touching a setting imports the settings module
    except ConfigurationError as error:
        raise SystemExit(f"Configuration error: {error}") from None

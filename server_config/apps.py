"""Django start-up hook for the composition root."""

from __future__ import annotations

from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "server_config"
    label = "server_config"
    verbose_name = "F_BRAIN server configuration"

    def ready(self) -> None:
        # Importing the Celery app here makes it the current app of the web process too, so tasks
        # queued from a request go to the configured broker.
        from server_config import celery  # noqa: F401
        from server_config.container import container, wire

        wire(container)

"""ASGI entry point."""

from django.core.asgi import get_asgi_application
from django.urls import get_resolver

from server_config.startup import load_settings_or_exit

load_settings_or_exit()
application = get_asgi_application()
# A server process serves requests: load the URLs (and so import and wire the controllers) now,
# at boot, rather than on the first request, which would otherwise pay for it.
get_resolver().url_patterns  # noqa: B018

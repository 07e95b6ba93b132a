"""WSGI entry point (gunicorn ``server_config.wsgi``)."""

from django.core.wsgi import get_wsgi_application

from server_config.startup import load_settings_or_exit

load_settings_or_exit()
application = get_wsgi_application()

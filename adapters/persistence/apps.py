from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeatherConfig(AppConfig):
    name = "adapters.persistence"
    label = "weather"
    # The admin's heading of these models, in the language of the request (no migration
    # depends on an app's verbose name).
    verbose_name = _("Weather")
    default_auto_field = "django.db.models.BigAutoField"

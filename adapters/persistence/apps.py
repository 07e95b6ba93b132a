from django.apps import AppConfig


class WeatherConfig(AppConfig):
    name = "adapters.persistence"
    label = "weather"
    verbose_name = "Weather"
    default_auto_field = "django.db.models.BigAutoField"

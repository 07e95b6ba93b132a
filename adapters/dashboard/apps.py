from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The dashboard as a Django app, only so that its templates and stylesheet are found."""

    name = "adapters.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

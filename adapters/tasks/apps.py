from django.apps import AppConfig


class TasksConfig(AppConfig):
    """The Celery adapter as a Django app: its run lock and the default beat schedule."""

    name = "adapters.tasks"
    label = "tasks"
    verbose_name = "Background tasks"
    default_auto_field = "django.db.models.BigAutoField"

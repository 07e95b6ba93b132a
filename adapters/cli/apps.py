from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "adapters.cli"
    label = "cli"
    verbose_name = "Command line"

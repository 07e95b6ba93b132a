"""The product's settings, with the benchmark's URL map (which adds the framework-floor view)."""

from server_config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.api.urls"

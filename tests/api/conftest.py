from __future__ import annotations

import pytest
from pytest_django import Settings as SettingsWrapper


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings: SettingsWrapper) -> None:
    """Production uses whitenoise's manifest storage, which needs ``collectstatic``; tests don't."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

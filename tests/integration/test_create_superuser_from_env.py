"""``create_superuser_from_env``: the only way an administrator account appears."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django import Settings as SettingsWrapper

from tests.support.processes import child_environment, run_manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_settings(settings: SettingsWrapper) -> SettingsWrapper:
    settings.DJANGO_SUPERUSER_USERNAME = "ops"
    settings.DJANGO_SUPERUSER_EMAIL = "ops@example.org"
    settings.DJANGO_SUPERUSER_PASSWORD = "correct-horse-battery-staple"
    return settings


def test_creates_the_superuser_once_and_is_idempotent(superuser_settings: SettingsWrapper) -> None:
    call_command("create_superuser_from_env", stdout=StringIO())
    out = StringIO()
    call_command("create_superuser_from_env", stdout=out)

    user = get_user_model().objects.get()
    assert (user.username, user.is_superuser, user.is_staff) == ("ops", True, True)
    assert user.check_password("correct-horse-battery-staple")
    assert "already exists" in out.getvalue()


def test_missing_variables_are_an_error_with_exit_code_2(settings: SettingsWrapper) -> None:
    settings.DJANGO_SUPERUSER_USERNAME = "ops"
    settings.DJANGO_SUPERUSER_EMAIL = ""
    settings.DJANGO_SUPERUSER_PASSWORD = ""

    with pytest.raises(
        CommandError, match="DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD"
    ) as error:
        call_command("create_superuser_from_env")

    assert error.value.returncode == 2
    assert not get_user_model().objects.exists()


def test_if_configured_skips_quietly_without_variables(settings: SettingsWrapper) -> None:
    settings.DJANGO_SUPERUSER_USERNAME = ""

    call_command("create_superuser_from_env", "--if-configured", stdout=StringIO())

    assert not get_user_model().objects.exists()


def test_weak_password_is_refused(superuser_settings: SettingsWrapper) -> None:
    superuser_settings.DJANGO_SUPERUSER_PASSWORD = "admin"

    with pytest.raises(CommandError, match="too weak") as error:
        call_command("create_superuser_from_env")

    assert error.value.returncode == 2
    assert not get_user_model().objects.exists()


def test_on_a_database_never_migrated_it_fails_with_one_line_saying_so(tmp_path: Path) -> None:
    env = child_environment(
        tmp_path,
        DJANGO_SUPERUSER_USERNAME="ops",
        DJANGO_SUPERUSER_EMAIL="ops@example.org",
        DJANGO_SUPERUSER_PASSWORD="correct-horse-battery-staple",
    )

    result = run_manage(env, "create_superuser_from_env")

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("manage.py create_superuser_from_env: error: the database cannot")
    assert "make migrate" in lines[0]

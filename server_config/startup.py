"""What every process does first: load the settings (or stop with one line saying why), and wire
the adapters to the container as they are imported.

Wiring is lazy because a process uses a fraction of the adapters: ``manage.py help`` none of them,
a worker the tasks, the web process the controllers. Wiring the whole ``adapters`` package at
start-up imported every adapter (DRF, drf-spectacular, requests…) in every process, which was most
of a management command's start-up time. Instead ``ServerConfig.ready`` registers with
dependency-injector's own import hook (``register_loader_containers``), which hands every module
imported from then on to what is registered: `AdapterWiring` wires the modules of
`WIRED_PACKAGES` that use markers and ignores every other, so an ``@inject`` function receives its
dependencies whatever process imports it and whenever (the web process on its first request, a
worker when it loads the tasks, a command when Django loads it, a forked pool process afterwards).
Modules imported before ``ready`` are wired when it runs. The container itself is imported the
first time a module needs it: importing it imports every driven adapter.

This module stays cheap to import: every entry point (``manage.py``, WSGI/ASGI, Celery) imports it
before anything else.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from types import ModuleType

from server_config.environment import ConfigurationError

SETTINGS_MODULE = "server_config.settings"
#: The packages whose ``@inject`` functions and ``Provide["name"]`` markers are wired to the
#: container (``server_config.container``).
WIRED_PACKAGES = ("adapters",)
#: The composition root, imported the first time a module needs wiring (not before: importing it
#: imports dependency-injector and every driven adapter, which ``manage.py help`` does not need).
CONTAINER_MODULE = "server_config.container"


def load_settings_or_exit() -> None:
    """Import the settings now, turning a configuration error into a one-line exit.

    Without this, a missing ``DJANGO_SECRET_KEY`` shows up as a long traceback from deep inside
    Django (or gunicorn, or Celery), and the line that matters is easy to miss.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - touching a setting imports the settings module
    except ConfigurationError as error:
        raise SystemExit(f"Configuration error: {error}") from None


def static_files_collected_or_exit() -> None:
    """Stop with one line when the static files a manifest storage needs were never collected.

    With the production storage (whitenoise's manifest storage, whenever not debugging), a page
    that names a static file fails with a 500 until ``collectstatic`` has run and the server has
    restarted; a server should refuse to start instead (gunicorn's ``on_starting``)."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if isinstance(storage, ManifestFilesMixin) and not storage.exists(storage.manifest_name):
        raise SystemExit(
            "Static files are not collected: run `python manage.py collectstatic --noinput` "
            "before starting the server (the dashboard and the admin need them)."
        )


def in_packages(name: str, packages: Iterable[str]) -> bool:
    return any(name == package or name.startswith(f"{package}.") for package in packages)


def imported_modules(packages: Iterable[str]) -> list[ModuleType]:
    """The modules of `packages` imported so far."""
    packages = tuple(packages)
    return [
        module
        for name, module in list(sys.modules.items())
        if module is not None and in_packages(name, packages)
    ]


def uses_markers(module: ModuleType) -> bool:
    """Whether `module` can hold ``@inject`` functions: it imported dependency-injector's wiring
    names (every adapter that is wired does, ``from dependency_injector.wiring import …``)."""
    wiring = sys.modules.get("dependency_injector.wiring")
    return wiring is not None and any(
        vars(module).get(name) is getattr(wiring, name) for name in ("inject", "Provide")
    )


def wire_to_container(module: ModuleType) -> None:
    """Wire `module` to the container; the first time, import the container, which wires it."""
    if not uses_markers(module):
        return
    composition_root = sys.modules.get(CONTAINER_MODULE)
    if composition_root is None:
        importlib.import_module(CONTAINER_MODULE)  # wires every module imported so far
    elif hasattr(composition_root, "container"):
        composition_root.wire(composition_root.container, [module])
    # Otherwise the container module is being imported right now (it imports the driven adapters
    # itself): its last line wires every module imported by then, this one included.


class AdapterWiring:
    """What dependency-injector's import hook passes each imported module to, in the place of a
    container: the modules of `packages` are wired to the real one, the others ignored (the hook
    would otherwise inspect every module of Django, DRF and Celery imported after start-up)."""

    def __init__(self, packages: Sequence[str] = WIRED_PACKAGES) -> None:
        self.packages = tuple(packages)

    def wire(self, modules: Iterable[ModuleType]) -> None:
        for module in modules:
            if in_packages(module.__name__, self.packages):
                wire_to_container(module)


def wire_adapters_on_import(wiring: AdapterWiring | None = None) -> AdapterWiring:
    """What ``ServerConfig.ready`` calls: wire the adapters imported so far and those to come."""
    from dependency_injector.wiring import register_loader_containers

    wiring = wiring or AdapterWiring()
    register_loader_containers(wiring)  # type: ignore[arg-type]  # it only calls .wire(modules=…)
    wiring.wire(imported_modules(wiring.packages))
    return wiring

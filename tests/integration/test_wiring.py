"""Lazy wiring (``server_config/startup.py``): every ``Provide["name"]`` marker of the adapters
names a provider of the container, and a module is wired whenever it is imported, before or after
start-up, in this process or in a fresh one."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pytest
from dependency_injector import providers
from dependency_injector.wiring import (
    Closing,
    Provide,
    Provider,
    UnresolvedMarkerWarning,
    unregister_loader_containers,
)

import adapters
from adapters.health.views import ReadyView
from server_config.container import container
from server_config.startup import AdapterWiring, wire_adapters_on_import
from tests.support.processes import PROJECT_DIR, child_environment

#: The marker classes (typed as instances in dependency-injector's stubs, hence the cast).
MARKERS = cast("tuple[type[Any], ...]", (Provide, Provider, Closing))
#: How a marker is written in an adapter's source.
MARKER_IN_SOURCE = re.compile(r"(?<![\w.])(?:Provide|Provider|Closing)\[")


def adapter_modules() -> list[ModuleType]:
    """Every module of the ``adapters`` package, imported (and so wired)."""
    return [adapters] + [
        importlib.import_module(module.name)
        for module in pkgutil.walk_packages(adapters.__path__, prefix="adapters.")
    ]


def markers_in(module: ModuleType) -> Iterator[tuple[str, Any]]:
    """(where, marker) for each marker of the functions, methods and tasks `module` defines."""
    for name, member in list(vars(module).items()):
        if getattr(member, "__module__", None) != module.__name__:
            continue  # imported from elsewhere: checked where it is defined
        if inspect.isclass(member):
            for attribute, value in list(vars(member).items()):
                yield from _markers_of(f"{module.__name__}.{name}.{attribute}", value)
        else:
            yield from _markers_of(f"{module.__name__}.{name}", member)


def _markers_of(where: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, MARKERS):  # a class attribute
        yield where, value
        return
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    function = getattr(value, "run", value)  # a Celery task runs its function
    if not callable(function):
        return
    try:
        signature = inspect.signature(function)  # follows @inject's wrapper to the function
    except (TypeError, ValueError):
        return
    for parameter in signature.parameters.values():
        if isinstance(parameter.default, MARKERS):
            yield f"{where}({parameter.name})", parameter.default


def resolves(marker: Any) -> bool:
    """The marker names a provider of the container (``"name"`` or ``"name.attribute"``)."""
    if not isinstance(marker.provider, str):
        known: list[Any] = list(container.traverse())
        return any(marker.provider is provider for provider in known)
    target: Any = container
    for part in marker.provider.split("."):
        target = getattr(target, part, None)
    return isinstance(target, providers.Provider)


def test_every_provide_marker_names_a_provider_of_the_container() -> None:
    found = {where: marker for module in adapter_modules() for where, marker in markers_in(module)}

    unknown = sorted(
        f"{where}: {marker!r}" for where, marker in found.items() if not resolves(marker)
    )
    assert unknown == []
    # Not vacuous: the scan sees every marker the sources write, one for one.
    written = sum(
        len(MARKER_IN_SOURCE.findall(Path(str(module.__file__)).read_text(encoding="utf-8")))
        for module in adapter_modules()
    )
    assert len(found) == written
    assert written >= 30


def test_dependency_injector_resolves_every_marker_of_the_adapters() -> None:
    """The same question asked of dependency-injector itself (tasks and methods included)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnresolvedMarkerWarning)
        container.wire(modules=adapter_modules(), warn_unresolved=True)

    unresolved = [str(w.message) for w in caught if issubclass(w.category, UnresolvedMarkerWarning)]
    assert unresolved == []


# --- the import hook --------------------------------------------------------------------------


PROBE_SOURCE = """\
from dependency_injector.wiring import Provide, inject


@inject
def the_clock(clock=Provide["{name}"]):
    return clock


class Probe:
    @inject
    def clock(self, clock=Provide["{name}"]):
        return clock
"""


@pytest.fixture
def probe_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A throwaway package `wiring_probe`: `early` and `late` ask for the clock, `wrong` for a
    provider the container does not have."""
    package = tmp_path / "wiring_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, provider in (("early", "clock"), ("late", "clock"), ("wrong", "no_such_thing")):
        (package / f"{module}.py").write_text(PROBE_SOURCE.format(name=provider))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "wiring_probe"
    for name in [name for name in sys.modules if name.split(".")[0] == "wiring_probe"]:
        del sys.modules[name]


def test_both_checks_catch_a_marker_that_names_no_provider(probe_package: str) -> None:
    wrong = importlib.import_module(f"{probe_package}.wrong")

    assert {where: resolves(marker) for where, marker in markers_in(wrong)} == {
        "wiring_probe.wrong.the_clock(clock)": False,
        "wiring_probe.wrong.Probe.clock(clock)": False,
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnresolvedMarkerWarning)
        container.wire(modules=[wrong], warn_unresolved=True)
    unresolved = {str(w.message) for w in caught if issubclass(w.category, UnresolvedMarkerWarning)}
    assert unresolved == {
        "Unresolved marker clock in the_clock",
        "Unresolved marker clock in Probe.clock",
    }


def test_modules_imported_before_and_after_the_hook_are_wired(probe_package: str) -> None:
    early = importlib.import_module(f"{probe_package}.early")
    assert isinstance(early.the_clock(), MARKERS)  # nothing wired it yet

    wiring = wire_adapters_on_import(AdapterWiring([probe_package]))  # wires what is imported
    try:
        late = importlib.import_module(f"{probe_package}.late")  # wired as it is imported
    finally:
        unregister_loader_containers(wiring)  # type: ignore[arg-type]

    fake = object()
    with container.clock.override(providers.Object(fake)):
        for module in (early, late):
            assert module.the_clock() is fake
            assert module.Probe().clock() is fake
    # The module keeps what its real loader gives (its source, for tracebacks and inspect).
    assert "def the_clock" in inspect.getsource(late)


def test_an_adapter_receives_the_provider_that_a_test_overrides() -> None:
    class FakeCheck:
        pass

    fake = FakeCheck()
    with container.readiness_checks.override(providers.Object([fake])):
        assert list(ReadyView().get_checks()) == [fake]
    assert [type(check).__name__ for check in ReadyView().get_checks()] == ["Database", "Broker"]


PROBE = """
import json, sys
import django

django.setup()
facts = {"container imported by start-up": "server_config.container" in sys.modules}
from adapters.health.views import ReadyView  # imported after start-up, not wired by anyone else

from dependency_injector import providers
from server_config.container import container

with container.readiness_checks.override(providers.Object(["fake check"])):
    facts["overridden"] = list(ReadyView().get_checks())
facts["real"] = [type(check).__name__ for check in ReadyView().get_checks()]
print(json.dumps(facts))
"""


def test_a_fresh_process_wires_a_module_imported_after_start_up(tmp_path: Path) -> None:
    env = child_environment(tmp_path, CELERY_EMBEDDED_BROKER_DIR=str(tmp_path / "broker"))
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    # Start-up alone (every management command's) does not import the container…
    assert facts["container imported by start-up"] is False
    # …and the first module that needs it is wired all the same.
    assert facts["overridden"] == ["fake check"]
    assert facts["real"] == ["Database", "Broker"]

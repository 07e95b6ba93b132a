"""Start-up of a process: `manage.py help`, `manage.py check` and the WSGI application.

Each is started RUNS times in a fresh process (after one warm-up run that is not counted), with
DJANGO_DEBUG=true, no `.env` and a throwaway SQLite file, as a newcomer's checkout runs them, and
so are two floors: `python -c pass` (the interpreter) and `django.setup()` with no app installed
(Django itself). All of them take turns, so that a busy moment of the machine (2 shared cores)
falls on all alike. Prints the median and p90 of each, their ratios to the floors, and the
target (CONTRACT.md §1: `manage.py help` under 1.5 s). Then where the time goes:

- by phase, measured inside one process per command (`python -m benchmarks.startup phases
  help|check|wsgi`): the settings, importing the apps' modules, their models, every `ready()`,
  the wiring of the adapters (with the import of the container that the first wired module
  brings), the command itself, and what is left of the wall time (the interpreter's start and
  exit);
- the imports that cost most (`python -X importtime manage.py help`): those started outside any
  other import (Django importing an app, a `ready()`…), with the heaviest import of another
  package inside each. `-X importtime` slows imports down: compare these figures to each other.

`python -m benchmarks.startup` (or `make bench`). BENCH_STARTUP_RUNS changes the number of runs.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_STARTUP_RUNS", "10"))
TARGET_SECONDS = 1.5  # manage.py help
TOP_IMPORTS = 10

#: What is timed, each in a fresh process: label → arguments of the interpreter.
COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "django.setup(), no apps": [
        "-c",
        "import django; from django.conf import settings; settings.configure(); django.setup()",
    ],
    "manage.py help": ["manage.py", "help"],
    "manage.py check": ["manage.py", "check"],
    "import server_config.wsgi": ["-c", "import server_config.wsgi"],
}
INTERPRETER_FLOOR = "python -c pass"
DJANGO_FLOOR = "django.setup(), no apps"
TARGETED = "manage.py help"
#: The commands whose phases are measured (`python -m benchmarks.startup phases <name>`).
PHASED = ("help", "check", "wsgi")


def main(arguments: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if arguments is None else arguments
    if arguments[:1] == ["phases"]:
        print(json.dumps(_phases(arguments[1])))
        return
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        env = _environment(Path(folder))
        samples = _time_commands(env)
        phases = {name: _child_phases(env, name) for name in PHASED}
        imports = _top_imports(env)
    _report(samples, phases, imports)


# --- the environment of every child ---------------------------------------------------------------


def _environment(folder: Path) -> dict[str, str]:
    """A newcomer's checkout: debug on, no `.env`, nothing of this shell's DJANGO_* or URLs.

    Bytecode is written as usual (a developer does not set PYTHONDONTWRITEBYTECODE), so that the
    warm-up run compiles what changed and the counted runs measure start-up, not compilation.
    """
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(folder)),
        "DJANGO_SETTINGS_MODULE": "server_config.settings",
        "DJANGO_ENV_FILE": "",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CELERY_EMBEDDED_BROKER_DIR": str(folder / "broker"),
        "LOG_LEVEL": "WARNING",
    }


def _run(
    env: dict[str, str], arguments: list[str], *flags: str
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *flags, *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return done


def _time_commands(env: dict[str, str]) -> dict[str, list[float]]:
    for arguments in COMMANDS.values():
        _run(env, arguments)  # warm-up: bytecode written, files in the page cache
    samples: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for _ in range(RUNS):
        for label, arguments in COMMANDS.items():
            started = time.perf_counter()
            _run(env, arguments)
            samples[label].append(time.perf_counter() - started)
    return samples


# --- phases, measured inside one process ----------------------------------------------------------


@dataclass
class _Phases:
    """Seconds by phase, and within the app phases, by app label."""

    seconds: dict[str, float] = field(default_factory=dict)
    by_app: dict[str, dict[str, float]] = field(default_factory=dict)
    wired_modules: int = 0
    container_imported: bool = False

    def add(self, phase: str, seconds: float, app: str | None = None) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds
        if app is not None:
            apps = self.by_app.setdefault(phase, {})
            apps[app] = apps.get(app, 0.0) + seconds

    def timed(self, phase: str, function: Callable[..., Any], app: str | None = None) -> Any:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(phase, time.perf_counter() - started, app)

        return timed_call


def _phases(name: str) -> dict[str, Any]:
    """Run `name` (help, check or wsgi) in this process, timing each phase of its start-up."""
    started = time.perf_counter()
    phases = _Phases()
    _instrument(phases)
    from server_config.startup import load_settings_or_exit

    phases.timed("settings", load_settings_or_exit)()
    with _silenced():
        if name == "wsgi":
            import server_config.wsgi  # noqa: F401
        else:
            from django.core.management import ManagementUtility

            ManagementUtility(["manage.py", name]).execute()
    total = time.perf_counter() - started
    composition_root = sys.modules.get("server_config.container")
    if composition_root is not None:
        phases.container_imported = True
        wired = composition_root.container.wired_to_modules
        phases.wired_modules = len({module.__name__ for module in wired})
    return {
        "total": total,
        "seconds": phases.seconds,
        "by_app": phases.by_app,
        "wired_modules": phases.wired_modules,
        "container_imported": phases.container_imported,
    }


def _instrument(phases: _Phases) -> None:
    """Time each app's module import, models and ready(), and the wiring of the adapters."""
    from django.apps.config import AppConfig

    from server_config import startup

    create = AppConfig.create.__func__  # type: ignore[attr-defined]

    def timed_create(cls: type[AppConfig], entry: str) -> AppConfig:
        begun = time.perf_counter()
        config: AppConfig = create(cls, entry)
        phases.add("app modules", time.perf_counter() - begun, config.label)
        config.import_models = phases.timed("models", config.import_models, config.label)  # type: ignore[method-assign]
        config.ready = phases.timed("ready()", config.ready, config.label)  # type: ignore[method-assign]
        return config

    AppConfig.create = classmethod(timed_create)  # type: ignore[method-assign, assignment]

    wire = startup.wire_to_container
    depth = 0

    def timed_wire(module: Any) -> None:
        nonlocal depth
        depth += 1
        begun = time.perf_counter()
        try:
            wire(module)
        finally:
            depth -= 1
            if depth == 0:  # the first wiring imports the container, which wires others inside
                phases.add("wiring", time.perf_counter() - begun)

    startup.wire_to_container = timed_wire


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        yield


def _child_phases(env: dict[str, str], name: str) -> dict[str, Any]:
    done = _run(env, ["-m", "benchmarks.startup", "phases", name])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- -X importtime --------------------------------------------------------------------------------


@dataclass
class _Import:
    name: str
    cumulative: float  # seconds
    children: list[_Import] = field(default_factory=list)

    @property
    def package(self) -> str:
        return self.name.split(".")[0]

    def descendants(self) -> Iterator[_Import]:
        for child in self.children:
            yield child
            yield from child.descendants()


def _top_imports(env: dict[str, str]) -> list[_Import]:
    """The imports started outside any other import in `manage.py help`, costliest first."""
    done = _run(env, COMMANDS[TARGETED], "-X", "importtime")
    return sorted(_import_tree(done.stderr), key=lambda node: -node.cumulative)


def _import_tree(report: str) -> list[_Import]:
    """Parse ``-X importtime`` (children are printed before their parent, indented 2 more)."""
    pending: dict[int, list[_Import]] = {}
    for line in report.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        label = name[1:]
        level = (len(label) - len(label.lstrip(" "))) // 2
        node = _Import(label.strip(), int(cumulative) / 1e6, pending.pop(level + 1, []))
        pending.setdefault(level, []).append(node)
    return pending.get(0, [])


# --- the report -----------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def _report(
    samples: dict[str, list[float]],
    phases: dict[str, dict[str, Any]],
    imports: list[_Import],
) -> None:
    interpreter = _median(samples[INTERPRETER_FLOOR])
    django_floor = _median(samples[DJANGO_FLOOR])
    print(
        f"start-up in fresh processes, {RUNS} runs each after a warm-up "
        "(DJANGO_DEBUG=true, no .env, a throwaway SQLite):"
    )
    print(f"  {'':<28} {'median':>8} {'p90':>8}   {'× python':>9} {'× Django':>9}")
    for label, values in samples.items():
        median = _median(values)
        line = (
            f"  {label:<28} {median:7.2f}s {_p90(values):7.2f}s   "
            f"{median / interpreter:8.1f}× {median / django_floor:8.1f}×"
        )
        if label == TARGETED:
            verdict = "meets" if median < TARGET_SECONDS else "misses"
            line += f"   target < {TARGET_SECONDS:.1f} s: {verdict} it"
        print(line)
    _report_phases(samples, phases)
    _report_imports(imports)


def _report_phases(samples: dict[str, list[float]], phases: dict[str, dict[str, Any]]) -> None:
    columns = {
        "help": "manage.py help",
        "check": "manage.py check",
        "wsgi": "import server_config.wsgi",
    }

    def row(label: str, cells: list[str]) -> None:
        print(f"  {label:<30}" + "".join(f"{cell:>14}" for cell in cells))

    def seconds(name: str, phase: str) -> float:
        return float(phases[name]["seconds"].get(phase, 0.0))

    print("\nwhere the time goes, by phase (one run each, timed inside the process):")
    row("", list(PHASED))
    for phase in ("settings", "app modules", "models", "ready()"):
        row(phase, [f"{seconds(name, phase):.3f}s" for name in PHASED])
    counted = ("settings", "app modules", "models", "ready()")
    row(
        "the command itself",
        [
            f"{phases[name]['total'] - sum(seconds(name, p) for p in counted):.3f}s"
            for name in PHASED
        ],
    )
    row("total in process", [f"{phases[name]['total']:.3f}s" for name in PHASED])
    row(
        "interpreter start and exit",
        [f"{_median(samples[columns[name]]) - phases[name]['total']:.3f}s" for name in PHASED],
    )
    print("  of which, inside the phases above:")
    row("  wiring the adapters", [f"{seconds(name, 'wiring'):.3f}s" for name in PHASED])
    row(
        "  container imported, wired",
        [
            f"{phases[name]['wired_modules']} modules"
            if phases[name]["container_imported"]
            else "no"
            for name in PHASED
        ],
    )
    print(
        "  (wiring: importing the container and its driven adapters, then binding the markers; "
        "it happens when the first module with a marker is imported)"
    )
    for phase in ("app modules", "models", "ready()"):
        by_app = phases["help"]["by_app"].get(phase, {})
        costly = sorted(by_app.items(), key=lambda item: -item[1])[:4]
        shown = ", ".join(f"{label} {spent:.3f}s" for label, spent in costly)
        print(f"  help, {phase}, the costliest apps: {shown}")


def _report_imports(imports: list[_Import]) -> None:
    print(
        f"\nthe {TOP_IMPORTS} costliest imports of manage.py help that no other import started "
        "(-X importtime, which slows imports: compare them to each other):"
    )
    for node in imports[:TOP_IMPORTS]:
        foreign = [child for child in node.descendants() if child.package != node.package]
        heaviest = max(foreign, key=lambda child: child.cumulative, default=None)
        inside = f"   of which {heaviest.name} {heaviest.cumulative:.3f}s" if heaviest else ""
        print(f"  {node.name:<36} {node.cumulative:6.3f}s{inside}")

"""The core imports in a fresh interpreter where frameworks and HTTP clients cannot be imported,
and so do the fakes and builders the unit tests run on (``make test-unit`` runs without Django)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import application
import domain
from tests.support import fakes

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = [
    "django",
    "rest_framework",
    "celery",
    "kombu",
    "requests",
    "httpx",
    "urllib3",
    "psycopg2",
    "dependency_injector",
    "server_config",
    "adapters",
]

PROGRAM = """
import importlib, sys

sys.path.insert(0, sys.argv[1])
FORBIDDEN = set(sys.argv[2].split(","))

class Forbid:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in FORBIDDEN:
            raise ImportError(f"{name} must not be imported by the core")
        return None

sys.meta_path.insert(0, Forbid())
for module in sys.argv[3:]:
    importlib.import_module(module)
leaked = sorted({m.split(".")[0] for m in sys.modules} & FORBIDDEN)
assert not leaked, leaked
print(len(sys.argv) - 3)
"""


def core_modules() -> list[str]:
    names = []
    for package in (domain, application):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            names.append(info.name)
    return names


#: The scaffolding of `tests/support` that unit tests import.
UNIT_SCAFFOLDING = [
    "tests.support.builders",
    "tests.support.core",
    "tests.support.unit_of_work_contract",
]


def unit_test_scaffolding() -> list[str]:
    return [
        *UNIT_SCAFFOLDING,
        fakes.__name__,
        *(info.name for info in pkgutil.walk_packages(fakes.__path__, prefix=f"{fakes.__name__}.")),
    ]


def assert_imports_alone(modules: list[str]) -> None:
    """Each of `modules` imports in a fresh interpreter that refuses every FORBIDDEN package."""
    completed = subprocess.run(
        [sys.executable, "-I", "-c", PROGRAM, str(ROOT), ",".join(FORBIDDEN), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == str(len(modules))


def test_every_core_module_imports_without_django_celery_or_http_clients() -> None:
    modules = core_modules()
    assert len(modules) > 40
    assert_imports_alone(modules)


def test_the_fakes_and_builders_of_the_unit_tests_import_no_framework_either() -> None:
    modules = unit_test_scaffolding()
    assert len(modules) > 8
    assert_imports_alone(modules)

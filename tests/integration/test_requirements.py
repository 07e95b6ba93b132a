"""requirements.txt is poetry.lock's main dependencies, pinned and hashed, and never goes stale.

The export is one command, `make requirements` (Poetry's export plugin, installed beside Poetry
in .tools/poetry). The staleness test runs it into a temporary file; update-poetry-lock.sh runs it
after relocking, and its test runs the script for real (it asks PyPI, a few seconds) in a copy of
the project's Poetry files.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import in_ci
from tests.support.processes import PROJECT_DIR

REQUIREMENTS = PROJECT_DIR / "requirements.txt"
SCRIPT = PROJECT_DIR / "update-poetry-lock.sh"
POETRY = PROJECT_DIR / ".tools" / "poetry" / "bin" / "poetry"


def require_poetry() -> None:
    if not POETRY.exists():
        message = ".tools/poetry is absent (`make install` bootstraps Poetry and its export plugin)"
        if in_ci():
            pytest.fail(f"{message}: CI must check requirements.txt")
        pytest.skip(message)


def make_environment() -> dict[str, str]:
    """This process's environment without the variables of a calling make (`make test`).

    MAKEFLAGS would hand the inner make the outer one's command-line variables and job server.
    """
    return {
        name: value
        for name, value in os.environ.items()
        if name not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    }


def pinned_requirements(text: str) -> dict[str, tuple[Requirement, list[str]]]:
    """name -> (requirement, its hashes), from pip's requirements format as the export writes it."""
    found: dict[str, tuple[Requirement, list[str]]] = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        specification, *hashes = re.split(r"\s+--hash=", line)
        requirement = Requirement(specification)
        found[canonicalize_name(requirement.name)] = (requirement, hashes)
    return found


def locked_packages(lock: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, groups) of every package in a parsed poetry.lock."""
    return {
        canonicalize_name(package["name"]): (package["version"], package["groups"])
        for package in lock["package"]
    }


def read_toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


def test_requirements_txt_is_the_export_of_poetry_lock(tmp_path: Path) -> None:
    require_poetry()
    exported = tmp_path / "requirements.txt"

    result = subprocess.run(
        ["make", "--silent", "--no-print-directory", "requirements", f"REQUIREMENTS={exported}"],
        cwd=PROJECT_DIR,
        env=make_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert REQUIREMENTS.read_text() == exported.read_text(), (
        "requirements.txt is stale: run ./update-poetry-lock.sh (or `make requirements`)"
    )


def test_requirements_pin_exactly_the_locked_main_packages_with_hashes() -> None:
    requirements = pinned_requirements(REQUIREMENTS.read_text())
    locked = locked_packages(read_toml(PROJECT_DIR / "poetry.lock"))
    main = {name: version for name, (version, groups) in locked.items() if "main" in groups}

    assert set(requirements) == set(main)
    for name, (requirement, hashes) in requirements.items():
        assert str(requirement.specifier) == f"=={main[name]}", name
        assert hashes, f"{name} has no --hash: pip could not verify what it downloads"


def test_every_main_dependency_of_pyproject_is_pinned() -> None:
    requirements = pinned_requirements(REQUIREMENTS.read_text())
    declared = read_toml(PROJECT_DIR / "pyproject.toml")["project"]["dependencies"]

    for dependency in declared:
        name = canonicalize_name(Requirement(dependency).name)
        assert name in requirements, f"{name} is a main dependency but not in requirements.txt"
        assert str(requirements[name][0].specifier).startswith("=="), name


def test_no_development_only_package_is_in_requirements() -> None:
    requirements = pinned_requirements(REQUIREMENTS.read_text())
    locked = locked_packages(read_toml(PROJECT_DIR / "poetry.lock"))
    development_only = {name for name, (_, groups) in locked.items() if groups == ["dev"]}

    assert {"pytest", "ruff", "mypy", "pre-commit", "honcho"} <= development_only
    assert not development_only & set(requirements)


def test_update_poetry_lock_script_is_an_executable_strict_bash_script() -> None:
    text = SCRIPT.read_text()

    assert SCRIPT.stat().st_mode & stat.S_IXUSR
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert "make --no-print-directory requirements" in text  # the one export, not a copy of it


def test_update_poetry_lock_relocks_and_rewrites_requirements_unchanged(tmp_path: Path) -> None:
    require_poetry()
    for name in ("pyproject.toml", "poetry.lock", "Makefile", SCRIPT.name):
        shutil.copy2(PROJECT_DIR / name, tmp_path / name)
    (tmp_path / ".tools").symlink_to(
        PROJECT_DIR / ".tools"
    )  # the bootstrapped Poetry, not a new one

    result = subprocess.run(
        [str(tmp_path / SCRIPT.name)],
        cwd=tmp_path,
        env=make_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "requirements.txt").read_text() == REQUIREMENTS.read_text()
    relocked = read_toml(tmp_path / "poetry.lock")
    committed = read_toml(PROJECT_DIR / "poetry.lock")
    assert relocked["metadata"]["content-hash"] == committed["metadata"]["content-hash"]
    assert locked_packages(relocked) == locked_packages(committed)

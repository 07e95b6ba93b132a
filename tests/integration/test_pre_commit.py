""".pre-commit-config.yaml runs what `make lint` runs; `make pre-commit` installs it as a git hook.

The hooks and the Makefile's lint recipe are parsed and compared command for command, so neither
can change without the other. The last test installs the hook the way `make pre-commit` does into a
clone of HEAD and runs it there (a cold mypy run: about ten seconds).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.processes import PROJECT_DIR

MAKEFILE = PROJECT_DIR / "Makefile"
CONFIG = PROJECT_DIR / ".pre-commit-config.yaml"
HOOK_NAMES = ("ruff check", "ruff format --check", "mypy", "import-linter")


def makefile_variables(text: str) -> dict[str, str]:
    """The Makefile's simple assignments (`NAME := value`, `?=`, `=`), unexpanded."""
    pattern = re.compile(r"^(?:export\s+)?([A-Z_]+)\s*[:?]?=\s*(.*?)\s*$", re.M)
    return {match[1]: match[2] for match in pattern.finditer(text)}


def expand(value: str, variables: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match[1]
        assert name in variables, f"$({name}) is not a simple variable of the Makefile"
        return expand(variables[name], variables)

    return re.sub(r"\$\(([A-Z_]+)\)", replace, value)


def recipe(target: str) -> list[list[str]]:
    """The commands of a Makefile target, variables expanded, each split as a shell would."""
    text = MAKEFILE.read_text()
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"{target}:")]
    assert len(starts) == 1, f"the Makefile has no single `{target}:` rule"
    commands = []
    for line in lines[starts[0] + 1 :]:
        if not line.startswith("\t"):
            break
        commands.append(shlex.split(expand(line[1:].lstrip("@"), makefile_variables(text))))
    return commands


def hooks() -> list[dict[str, Any]]:
    config = yaml.safe_load(CONFIG.read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    found: list[dict[str, Any]] = config["repos"][0]["hooks"]
    return found


def hook_command(hook: dict[str, Any]) -> list[str]:
    """A hook's entry as make would run it: `env VAR=value tool` is make's `VAR=value tool`."""
    command = shlex.split(hook["entry"])
    if command[0] == "env":
        command = command[1:]
    return command


def pre_commit_environment(home: Path) -> dict[str, str]:
    """This environment with pre-commit's cache in the test's folder and no outer git state."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(home)
    return env


def test_the_hooks_run_make_lints_commands_in_its_order() -> None:
    assert [hook_command(hook) for hook in hooks()] == recipe("lint")


def test_every_hook_is_a_local_system_hook_on_the_whole_tree_at_every_commit() -> None:
    assert tuple(hook["name"] for hook in hooks()) == HOOK_NAMES
    for hook in hooks():
        assert hook["language"] == "system", hook["id"]
        assert hook["pass_filenames"] is False, hook["id"]
        assert hook["always_run"] is True, hook["id"]
        program = next(word for word in hook_command(hook) if "=" not in word)
        assert program.startswith(".venv/bin/"), hook["id"]


def test_pre_commit_accepts_the_config(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(PROJECT_DIR / ".venv" / "bin" / "pre-commit"), "validate-config", str(CONFIG)],
        env=pre_commit_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_make_pre_commit_is_a_listed_command_that_installs_the_hook() -> None:
    lines = MAKEFILE.read_text().splitlines()
    rule = next(line for line in lines if line.startswith("pre-commit:"))

    assert re.fullmatch(r"pre-commit: install ## \S.*", rule)
    assert recipe("pre-commit") == [[".venv/bin/pre-commit", "install"]]


def test_the_installed_hook_passes_on_a_clone_of_head(tmp_path: Path) -> None:
    if not (PROJECT_DIR / ".git").exists():
        pytest.skip("the project is not a git checkout")
    clone = tmp_path / "clone"
    env = pre_commit_environment(tmp_path / "pre-commit-home")

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            command, cwd=clone, env=env, capture_output=True, text=True, timeout=240, check=False
        )
        assert result.returncode == 0, f"{command}:\n{result.stdout}{result.stderr}"
        return result

    subprocess.run(
        ["git", "clone", "--quiet", str(PROJECT_DIR), str(clone)], env=env, check=True, timeout=60
    )
    (clone / ".pre-commit-config.yaml").write_text(CONFIG.read_text())
    (clone / ".venv").symlink_to(PROJECT_DIR / ".venv")
    run("git", "add", ".pre-commit-config.yaml")  # pre-commit refuses an unstaged config
    for command in recipe("pre-commit"):  # what `make pre-commit` runs after `install`
        run(*command)

    hook = run(str(clone / ".git" / "hooks" / "pre-commit"))

    for name in HOOK_NAMES:
        assert re.search(rf"^{re.escape(name)}\.+Passed$", hook.stdout, re.M), hook.stdout

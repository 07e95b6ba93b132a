"""Running Node.js tools from the tests (the TypeScript client, axe-core for the browser tests)."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

#: The oldest Node.js the tests that run Node tools accept.
MINIMUM_NODE = 20


def run_node_tool(
    arguments: Sequence[str | Path],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """Run a Node tool; its stdout, or a failure showing everything it said."""
    command = [str(argument) for argument in arguments]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=cwd,
        env=None if env is None else dict(env),
    )
    assert done.returncode == 0, (
        f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    )
    return done.stdout

"""The default set-up really runs tasks in a separate worker process, with no broker server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.processes import BIN_DIR, PROJECT_DIR, child_environment, run_manage

SEND_AND_WAIT = """
import django
django.setup()
from server_config.celery import app
result = app.send_task("celery.accumulate", args=(1, 2))
print(result.get(timeout=60))
"""


def test_a_task_queued_on_the_embedded_broker_runs_in_the_worker(tmp_path: Path) -> None:
    env = child_environment(tmp_path, CELERY_EMBEDDED_BROKER_DIR=str(tmp_path / "broker"))
    migrated = run_manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr

    worker = subprocess.Popen(
        [
            str(BIN_DIR / "celery"),
            "-A",
            "server_config.celery",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sent = subprocess.run(
            [sys.executable, "-c", SEND_AND_WAIT],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    finally:
        worker.terminate()
        worker_output, _ = worker.communicate(timeout=30)

    assert sent.returncode == 0, sent.stderr + worker_output
    assert sent.stdout.strip() == "[1, 2]"
    assert (tmp_path / "broker" / "queue").is_dir()

"""gunicorn refuses to start, in its master and with one line, what its workers could not serve
(gunicorn.conf.py): a configuration error, static files never collected. Started right, the pages
that need static files answer 200."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

from server_config.startup import static_files_collected_or_exit
from tests.support.processes import (
    BIN_DIR,
    PROJECT_DIR,
    child_environment,
    free_port,
    gunicorn_server,
    run_manage,
)

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_a_configuration_error_stops_gunicorn_at_once_instead_of_respawning_workers(
    tmp_path: Path,
) -> None:
    env = child_environment(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    started = time.monotonic()

    done = subprocess.run(
        [str(BIN_DIR / "gunicorn"), "server_config.wsgi", "--bind", f"127.0.0.1:{free_port()}"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert time.monotonic() - started < 15
    errors = [line for line in done.stderr.splitlines() if "Configuration error" in line]
    assert len(errors) == 1
    assert errors[0].startswith("Configuration error: DJANGO_SECRET_KEY is required")
    assert "Booting worker" not in done.stderr


def test_uncollected_static_files_are_refused_before_serving(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGE):
        with pytest.raises(SystemExit, match=r"^Static files are not collected: run `python"):
            static_files_collected_or_exit()

        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
        static_files_collected_or_exit()  # collected: nothing to say


def test_under_gunicorn_the_dashboard_and_the_admin_render(tmp_path: Path) -> None:
    env = child_environment(tmp_path)
    assert run_manage(env, "migrate", "--noinput").returncode == 0
    with gunicorn_server(env) as base_url:
        for path in ("/", "/admin/login/"):
            with urllib.request.urlopen(base_url + path, timeout=15) as response:
                assert response.status == 200, path
                assert b"/static/" in response.read(), path

"""docker/compose.yml is valid (per docker-compose itself) and says what deployment relies on."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import in_ci
from tests.support.processes import PROJECT_DIR

COMPOSE_FILE = PROJECT_DIR / "docker" / "compose.yml"
SECRETS = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "POSTGRES_PASSWORD": "pg-pass",
    "RABBITMQ_PASSWORD": "mq-pass",
}


def docker_compose() -> str:
    found = shutil.which("docker-compose")
    if found is None:
        if in_ci():
            pytest.fail("docker-compose is not installed: .ci/run must install it")
        pytest.skip("docker-compose is not installed")
    return found


def compose_config(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            docker_compose(),
            "--project-directory",
            str(PROJECT_DIR / "docker"),
            "-f",
            str(COMPOSE_FILE),
            "config",
        ],
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path), **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def config(tmp_path: Path) -> dict[str, Any]:
    result = compose_config(tmp_path, SECRETS)
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = yaml.safe_load(result.stdout)
    return parsed


def test_compose_defines_the_seed_services_with_healthchecks(config: dict[str, Any]) -> None:
    services = config["services"]

    assert set(services) == {"db", "rabbitmq", "web", "worker", "beat"}
    assert "healthcheck" in services["db"]
    assert "healthcheck" in services["rabbitmq"]


def test_web_serves_port_8000_on_postgres_after_healthy_dependencies(
    config: dict[str, Any],
) -> None:
    web = config["services"]["web"]

    assert [(int(port["published"]), int(port["target"])) for port in web["ports"]] == [
        (8000, 8000)
    ]
    assert web["environment"]["USE_POSTGRES"] == "true"
    for service in ("worker", "beat", "web"):
        depends = config["services"][service]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["rabbitmq"]["condition"] == "service_healthy"


def test_no_default_admin_account_is_created(config: dict[str, Any]) -> None:
    web = config["services"]["web"]
    command = " ".join(web["command"]) if isinstance(web["command"], list) else web["command"]

    assert "create_superuser_from_env --if-configured" in command
    assert "create_superuser(" not in command
    assert web["environment"]["DJANGO_SUPERUSER_PASSWORD"] in ("", None)


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_every_secret_is_required(tmp_path: Path, missing: str) -> None:
    env = {name: value for name, value in SECRETS.items() if name != missing}

    result = compose_config(tmp_path, env)

    assert result.returncode != 0
    assert f"set {missing}" in result.stderr

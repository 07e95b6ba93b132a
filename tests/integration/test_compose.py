"""The compose files are valid (per docker-compose itself) and say what deployment relies on:
docker/compose.yml (production-like: gunicorn) and docker/compose.dev.yml (the seed's development
set-up: the repository bind-mounted at /app, runserver). Neither runs in debug, reads a .env of
the checkout, or has a default password."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import in_ci
from tests.support.processes import PROJECT_DIR

COMPOSE_FILES = {
    "production": PROJECT_DIR / "docker" / "compose.yml",
    "development": PROJECT_DIR / "docker" / "compose.dev.yml",
}
BACKEND_SERVICES = ("web", "worker", "beat")
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


def compose_config(
    tmp_path: Path, env: dict[str, str], compose_file: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            docker_compose(),
            "--project-directory",
            str(PROJECT_DIR / "docker"),
            "-f",
            str(compose_file),
            "config",
        ],
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path), **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(params=sorted(COMPOSE_FILES))
def compose_file(request: pytest.FixtureRequest) -> Path:
    return COMPOSE_FILES[request.param]


@pytest.fixture
def config(tmp_path: Path, compose_file: Path) -> dict[str, Any]:
    result = compose_config(tmp_path, SECRETS, compose_file)
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = yaml.safe_load(result.stdout)
    return parsed


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else str(command)


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
    command = command_of(web)

    assert "create_superuser_from_env --if-configured" in command
    assert "create_superuser(" not in command
    assert web["environment"]["DJANGO_SUPERUSER_PASSWORD"] in ("", None)


def test_no_backend_service_runs_in_debug_or_reads_a_dotenv(config: dict[str, Any]) -> None:
    for name in BACKEND_SERVICES:
        environment = config["services"][name]["environment"]
        assert environment["DJANGO_DEBUG"] == "false", name
        assert environment["DJANGO_ENV_FILE"] in ("", None), name
        assert "env_file" not in config["services"][name], name


def test_production_serves_asgi_with_gunicorn() -> None:
    """ASGI (uvicorn workers, gunicorn.conf.py), as the image's own command: an open event stream
    holds no thread."""
    text = COMPOSE_FILES["production"].read_text()
    image = (COMPOSE_FILES["production"].parent / "Dockerfile").read_text()

    assert "exec gunicorn server_config.asgi" in text
    assert '"gunicorn", "server_config.asgi"' in image
    assert "server_config.wsgi" not in text + image
    assert "runserver" not in text


def mounts_of(service: dict[str, Any]) -> set[tuple[str, str]]:
    """(source, target) of each volume, in the short syntax (docker-compose 1) or the long one."""
    found = set()
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume["source"], volume["target"]
        found.add((str(Path(source).resolve()) if source.startswith("/") else source, target))
    return found


def test_development_mounts_the_repository_and_runs_runserver(tmp_path: Path) -> None:
    result = compose_config(tmp_path, SECRETS, COMPOSE_FILES["development"])
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]

    for name in BACKEND_SERVICES:
        assert (str(PROJECT_DIR.resolve()), "/app") in mounts_of(services[name]), name
    web = command_of(services["web"])
    assert re.findall(r"manage\.py (\w+)", web) == [
        "collectstatic",
        "migrate",
        "create_superuser_from_env",
        "runserver",
    ]
    assert "exec python manage.py runserver 0.0.0.0:8000" in web
    assert "worker" in command_of(services["worker"])
    assert "beat" in command_of(services["beat"])


def test_the_image_is_production_by_construction() -> None:
    dockerfile = (PROJECT_DIR / "docker" / "Dockerfile").read_text()
    ignored = (PROJECT_DIR / ".dockerignore").read_text().split()

    assert "DJANGO_DEBUG=false" in dockerfile
    assert 'DJANGO_ENV_FILE=""' in dockerfile
    assert {".env", "**/.env"} <= set(ignored)


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_every_secret_is_required(tmp_path: Path, compose_file: Path, missing: str) -> None:
    env = {name: value for name, value in SECRETS.items() if name != missing}

    result = compose_config(tmp_path, env, compose_file)

    assert result.returncode != 0
    assert f"set {missing}" in result.stderr

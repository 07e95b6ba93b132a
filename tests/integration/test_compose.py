"""The compose files are valid (per docker-compose itself) and say what deployment relies on:
docker/compose.yml (production-like: gunicorn) and docker/compose.dev.yml (the seed's development
set-up: the repository bind-mounted at /app, runserver). Neither runs in debug, reads a .env of
the checkout, or has a default password. compose.yml's optional services (Flower under the
profile `flower`, Prometheus and Grafana under `monitoring`) validate with their profiles on and
refuse to start without their passwords; web and worker share their metrics folders."""

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
    tmp_path: Path, env: dict[str, str], compose_file: Path, *profiles: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            docker_compose(),
            "--project-directory",
            str(PROJECT_DIR / "docker"),
            "-f",
            str(compose_file),
            *(f"--profile={profile}" for profile in profiles),
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
    always = {name for name, service in services.items() if not service.get("profiles")}

    assert always == {"db", "rabbitmq", "web", "worker", "beat"}
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


PROFILED = {"flower": ["flower"], "prometheus": ["monitoring"], "grafana": ["monitoring"]}


@pytest.fixture(scope="module")
def full_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """compose.yml with every profile on, none of the optional passwords set."""
    result = compose_config(
        tmp_path_factory.mktemp("profiles"),
        SECRETS,
        COMPOSE_FILES["production"],
        "flower",
        "monitoring",
    )
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = yaml.safe_load(result.stdout)
    return parsed


def shell_command(service: dict[str, Any], key: str = "command") -> str:
    """The `sh -c` script of a service, as the container's shell gets it (compose's `$$` is `$`)."""
    words = service[key]
    assert words[:2] == ["sh", "-c"], words
    return str(words[2]).replace("$$", "$")


def test_optional_services_are_under_their_profiles(full_config: dict[str, Any]) -> None:
    services = full_config["services"]

    assert {name: services[name]["profiles"] for name in PROFILED} == PROFILED


def test_flower_watches_the_broker_behind_a_password_from_the_environment(
    tmp_path: Path,
) -> None:
    result = compose_config(
        tmp_path, {**SECRETS, "FLOWER_BASIC_AUTH": "ops:a-long-one"}, COMPOSE_FILES["production"]
    )
    assert result.returncode == 0, result.stderr
    flower = yaml.safe_load(result.stdout)["services"]["flower"]
    environment = flower["environment"]

    assert "exec celery -A server_config.celery flower --port=5555" in shell_command(flower)
    assert environment["FLOWER_BASIC_AUTH"] == "ops:a-long-one"
    assert environment["CELERY_BROKER_URL"] == "amqp://f_brain:mq-pass@rabbitmq:5672//"
    assert environment["DJANGO_DEBUG"] == "false"
    assert environment["DJANGO_ENV_FILE"] in ("", None)
    # Short syntax from docker-compose 1 when an address is given, the long one from 2.
    hosts = [p.split(":")[0] if isinstance(p, str) else p["host_ip"] for p in flower["ports"]]
    assert hosts == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("service", "key", "variable", "message"),
    [
        ("flower", "command", "FLOWER_BASIC_AUTH", "set FLOWER_BASIC_AUTH"),
        ("grafana", "entrypoint", "GF_SECURITY_ADMIN_PASSWORD", "set GRAFANA_ADMIN_PASSWORD"),
    ],
)
def test_an_optional_service_refuses_to_start_without_its_password(
    full_config: dict[str, Any], service: str, key: str, variable: str, message: str
) -> None:
    """Compose cannot require them (it would of every stack, profiles on or off): the container's
    shell does, before anything starts. Run here up to that point, with and without the value."""
    script = shell_command(full_config["services"][service], key)
    check, _, _ = script.partition("&&")

    refused = subprocess.run(
        ["sh", "-c", script],
        env={"PATH": "/usr/bin:/bin", variable: ""},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    allowed = subprocess.run(
        ["sh", "-c", check],
        env={"PATH": "/usr/bin:/bin", variable: "secret"},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )

    assert refused.returncode != 0
    assert message in refused.stderr
    assert allowed.returncode == 0, allowed.stderr


def test_web_and_worker_share_the_metrics_volume_each_with_its_own_folder(
    config: dict[str, Any],
) -> None:
    services = config["services"]
    folders = {
        name: services[name]["environment"].get("PROMETHEUS_MULTIPROC_DIR")
        for name in BACKEND_SERVICES
    }

    assert folders["web"] == "/app/var/metrics"
    assert folders["worker"] == "/app/var/metrics/worker"  # read by web's /metrics
    for name in ("web", "worker"):
        assert ("metrics", "/app/var/metrics") in mounts_of(services[name]), name
    # Another container on the shared folder would write files named by its own process ids.
    if ("metrics", "/app/var/metrics") in mounts_of(services["beat"]):
        assert folders["beat"] not in (folders["web"], folders["worker"])
    assert config["volumes"]["metrics"]["driver_opts"]["type"] == "tmpfs"


def test_the_image_keeps_metrics_of_every_process() -> None:
    dockerfile = (PROJECT_DIR / "docker" / "Dockerfile").read_text()

    assert "PROMETHEUS_MULTIPROC_DIR=/app/var/metrics" in dockerfile


def test_prometheus_scrapes_web_and_grafana_is_provisioned(full_config: dict[str, Any]) -> None:
    services = full_config["services"]
    scrape = yaml.safe_load((PROJECT_DIR / "docker" / "prometheus" / "prometheus.yml").read_text())
    [job] = scrape["scrape_configs"]

    assert job["metrics_path"] == "/metrics"
    assert job["static_configs"] == [{"targets": ["web:8000"]}]
    assert "web" in services["web"]["environment"]["DJANGO_ALLOWED_HOSTS"].split(",")
    for name in ("prometheus", "grafana"):
        for source, _ in mounts_of(services[name]):
            if source.startswith("/"):
                assert Path(source).exists(), f"{name} mounts {source}, which is missing"
    assert (
        str((PROJECT_DIR / "docker" / "grafana" / "f-brain-dashboard.json").resolve()),
        "/var/lib/grafana/dashboards/f-brain-dashboard.json",
    ) in mounts_of(services["grafana"])
    datasources = yaml.safe_load(
        (PROJECT_DIR / "docker/grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    assert datasources["datasources"][0]["url"] == "http://prometheus:9090"
    assert services["grafana"]["environment"]["GF_AUTH_ANONYMOUS_ENABLED"] == "false"

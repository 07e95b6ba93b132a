"""The fault suite's services: a private PostgreSQL the tests stop and start, a database per test,
provider stand-ins that fail on demand, a queue per test on the shared RabbitMQ (deleted
afterwards), a proxy in front of it that can refuse or go silent, and the deployment's processes.

The machine's own PostgreSQL, RabbitMQ and Redis are never stopped: the database that goes down
is the private cluster (one per session, removed at the end), and the broker that goes down is
the proxy. Only processes started here are ever signalled.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import in_ci
from tests.support.broker_proxy import BrokerProxy, broker_proxy
from tests.support.deployment import FAST_RETRIES, Deployment
from tests.support.postgres_cluster import SERVER_USER, Database, PostgresCluster
from tests.support.postgres_cluster import binaries_directory as postgres_binaries
from tests.support.processes import child_environment, run_manage
from tests.support.provider_stubs import ProviderStubs, stub_server

TEMPLATE_DATABASE = "f_brain_faults_template"
FAULTS_DIR = Path(__file__).parent


def skip_or_fail(message: str) -> None:
    """Skip without the prerequisite, but fail in CI, where the suite must run whole."""
    if in_ci():
        pytest.fail(f"{message}: CI must run the fault suite")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    binaries = postgres_binaries()
    if binaries is None:
        skip_or_fail(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed "
            "(Debian: apt-get install postgresql; or set PG_BIN to their folder)"
        )
    assert binaries is not None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            skip_or_fail(f"running as root, and there is no {SERVER_USER!r} user to run initdb as")
    cluster = PostgresCluster.create(binaries)
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="session")
def migrated_template(
    postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database migrated once per session; every test's database is a copy of it."""
    postgres_cluster.create_database(TEMPLATE_DATABASE)
    folder = tmp_path_factory.mktemp("faults-template")
    env = child_environment(
        folder,
        DATABASE_URL=postgres_cluster.url(TEMPLATE_DATABASE),
        CELERY_EMBEDDED_BROKER_DIR=str(folder / "broker"),
    )
    migrated = run_manage(env, "migrate", "--noinput", timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    return TEMPLATE_DATABASE


@pytest.fixture
def database(postgres_cluster: PostgresCluster, migrated_template: str) -> Iterator[Database]:
    name = f"fault_{uuid.uuid4().hex[:12]}"
    postgres_cluster.create_database(name, template=migrated_template)
    try:
        yield Database(postgres_cluster, name)
    finally:
        if not postgres_cluster.is_running():  # a test that failed while it was down
            postgres_cluster.start()
        postgres_cluster.drop_database(name)


@pytest.fixture(scope="session")
def stub_http_server() -> Iterator[HTTPServer]:
    with stub_server() as server:
        yield server


@pytest.fixture
def providers(stub_http_server: HTTPServer) -> Iterator[ProviderStubs]:
    stubs = ProviderStubs(stub_http_server)
    try:
        yield stubs
    finally:
        stubs.open_meteo.release()
        stubs.met_norway.release()
        stub_http_server.clear()


@pytest.fixture
def deployment(
    tmp_path: Path, database: Database, providers: ProviderStubs
) -> Iterator[Deployment]:
    """The test's processes, on its database, with both providers pointed at the stubs."""
    deployed = Deployment(
        tmp_path, DATABASE_URL=database.url, **providers.environment(), **FAST_RETRIES
    )
    try:
        yield deployed
    finally:
        deployed.stop()


@pytest.fixture
def task_queue(broker_url: str, deployment: Deployment) -> Iterator[str]:
    """The shared RabbitMQ, with a queue of this test's own (deleted afterwards)."""
    queue = f"test-faults-{uuid.uuid4().hex[:12]}"
    deployment.env.update(CELERY_BROKER_URL=broker_url, CELERY_TASK_DEFAULT_QUEUE=queue)
    try:
        yield queue
    finally:
        deployment.stop()  # before the queue goes, so that no worker declares it again
        _delete_queue(broker_url, queue)


@pytest.fixture
def proxy(broker_url: str) -> Iterator[BrokerProxy]:
    """A switchable proxy in front of the shared RabbitMQ (forwarding at first)."""
    with broker_proxy(broker_url) as switchable:
        yield switchable


def _delete_queue(broker_url: str, queue: str) -> None:
    from kombu import Connection

    with contextlib.suppress(Exception), Connection(broker_url, connect_timeout=3) as connection:
        connection.default_channel.queue_delete(queue)  # type: ignore[attr-defined]

"""Every error under /api/ is RFC 9457 problem+json, never HTML nor a traceback (CONTRACT.md §3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dependency_injector import providers
from django.test import Client
from pytest_django import Settings as SettingsWrapper
from rest_framework.test import APIClient

from domain.errors import StorageUnavailable
from server_config.container import container
from tests.api.conftest import DATABASES, Stored, assert_problem

pytestmark = pytest.mark.django_db(databases=DATABASES)


class Exploding:
    """A use case with a bug in it."""

    def execute(self, query: object) -> object:
        raise RuntimeError("secret internals: password=hunter2")


class Unavailable:
    def execute(self, query: object) -> object:
        raise StorageUnavailable("The database cannot be reached right now.")


@pytest.fixture
def broken_listing() -> Iterator[None]:
    with container.list_locations.override(providers.Object(Exploding())):
        yield


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request: pytest.FixtureRequest, settings: SettingsWrapper) -> bool:
    settings.DEBUG = request.param
    return bool(request.param)


def test_an_unknown_api_path_is_a_404_problem(debug: bool, stored: Stored) -> None:
    response = Client().get("/api/v1/nowhere/")

    assert_problem(response, 404)


def test_a_path_outside_the_api_keeps_djangos_404_page(stored: Stored) -> None:
    response = Client().get("/nowhere/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unsupported_method_is_405_with_allow(debug: bool, user: APIClient) -> None:
    response = user.delete("/api/v1/locations/")

    assert_problem(response, 405)
    assert "GET" in response["Allow"]
    assert "POST" in response["Allow"]


def test_asking_for_something_else_than_json_is_406(stored: Stored) -> None:
    response = APIClient().get("/api/v1/locations/", HTTP_ACCEPT="text/html")

    assert_problem(response, 406)


@pytest.mark.usefixtures("broken_listing")
def test_a_bug_is_a_500_problem_without_traceback(debug: bool, stored: Stored) -> None:
    response = Client(raise_request_exception=False).get("/api/v1/locations/")

    body = assert_problem(response, 500)
    assert "hunter2" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()
    assert body["detail"] == "The server could not complete the request."


def test_storage_unavailable_is_503(stored: Stored) -> None:
    with container.list_locations.override(providers.Object(Unavailable())):
        response = APIClient().get("/api/v1/locations/")

    assert_problem(response, 503)


def test_a_validation_problem_lists_fields_and_says_what_is_wrong(stored: Stored) -> None:
    response = APIClient().get("/api/v1/locations/?page=x&page_size=0")

    body = assert_problem(response, 400, errors=["page", "page_size"])
    assert body["type"] == "urn:f-brain:problem:validation-error"
    assert body["errors"]["page"] == ["A valid integer is required."]
    assert "page:" in body["detail"]


def test_problems_of_the_core_keep_their_message(stored: Stored) -> None:
    response = APIClient().get("/api/v1/locations/00000000-0000-4000-8000-000000000000/")

    body = assert_problem(response, 404)
    assert body == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Location 00000000-0000-4000-8000-000000000000 was not found.",
    }

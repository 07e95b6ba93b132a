"""Request bodies through the API's JSON parser, and query strings through `parse_query` (which
remembers what each string validated to): malformed input is a 400 problem, never a 500."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from adapters.rest.parsers import MAX_JSON_DEPTH
from adapters.rest.parsing import parse_query
from adapters.rest.serializers.locations import LocationListQuerySerializer
from tests.api.conftest import DATABASES, Stored, assert_problem


def _query(string: str) -> Request:
    return Request(APIRequestFactory().get(f"/api/v1/locations/?{string}"))


def test_each_call_gets_its_own_dict() -> None:
    first = parse_query(LocationListQuerySerializer, _query("page=2&search=pa"))
    first.pop("page")
    second = parse_query(LocationListQuerySerializer, _query("page=2&search=pa"))

    assert second["page"] == 2
    assert second["search"] == "pa"


def test_of_a_repeated_parameter_the_last_one_counts() -> None:
    repeated = parse_query(LocationListQuerySerializer, _query("page=2&page=3"))

    assert repeated["page"] == 3


def test_a_bad_value_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValidationError) as refused:
            parse_query(LocationListQuerySerializer, _query("page=0"))
        assert "page" in refused.value.detail


def test_an_empty_value_is_a_value_and_must_be_valid() -> None:
    """`?page=` is not "no page": the contract answers 400 naming the parameter (CONTRACT.md §3);
    a parameter that may be blank (`search`) takes it as given."""
    with pytest.raises(ValidationError) as refused:
        parse_query(LocationListQuerySerializer, _query("page="))
    blank_search = parse_query(LocationListQuerySerializer, _query("search="))

    assert "page" in refused.value.detail
    assert blank_search["search"] == ""


# --- through HTTP: bodies and query strings of real endpoints ------------------------------------

MALFORMED = "urn:f-brain:problem:malformed-request"
PARIS = {"name": "Paris", "latitude": 48.85, "longitude": 2.35}


def _nested(depth: int) -> str:
    """A JSON value `depth` levels deep: `[[...[]...]]`."""
    return "[" * depth + "]" * depth


def _post_json(client: APIClient, text: str) -> Any:
    return client.generic("POST", "/api/v1/locations/", text, content_type="application/json")


@pytest.mark.django_db(databases=DATABASES)
def test_deeply_nested_json_is_a_400_malformed_request_and_logs_no_traceback(
    stored: Stored, user: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    response = _post_json(user, '{"name": ' + _nested(100_000) + "}")

    body = assert_problem(response, 400)
    assert body["type"] == MALFORMED
    assert not [record for record in caplog.records if record.exc_info]
    assert "Traceback" not in caplog.text


@pytest.mark.django_db(databases=DATABASES)
def test_json_deeper_than_the_parsers_limit_is_malformed_and_at_the_limit_is_read(
    stored: Stored, user: APIClient
) -> None:
    """The limit counts containers: `{"name": [...]}` with 31 arrays inside is 32 levels."""
    body = '{"latitude": 1, "longitude": 2, "name": '
    too_deep = _post_json(user, body + _nested(MAX_JSON_DEPTH) + "}")
    at_the_limit = _post_json(user, body + _nested(MAX_JSON_DEPTH - 1) + "}")

    assert assert_problem(too_deep, 400)["type"] == MALFORMED
    assert "deeper than 32" in too_deep.json()["detail"]
    assert assert_problem(at_the_limit, 400, errors=["name"])["type"] != MALFORMED


@pytest.mark.django_db(databases=DATABASES)
def test_a_body_over_the_upload_limit_is_413_and_nothing_is_stored(
    stored: Stored, user: APIClient, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    padded = '{"name": "Paris", "latitude": 48.85, "longitude": 2.35, "x": "' + "y" * 2000 + '"}'

    too_large = _post_json(user, padded)
    small = _post_json(user, '{"name": "Paris", "latitude": 48.85, "longitude": 2.35}')

    assert_problem(too_large, 413)
    assert small.status_code == 201


@pytest.mark.django_db(databases=DATABASES)
@pytest.mark.parametrize(
    "number", ["1" + "0" * 400, "-1" + "0" * 400, "1e400", "-1e400", "NaN", "Infinity"]
)
def test_a_number_no_float_can_hold_is_a_400_malformed_request(
    stored: Stored, user: APIClient, number: str
) -> None:
    response = _post_json(user, f'{{"name": "Paris", "latitude": {number}, "longitude": 2}}')

    assert assert_problem(response, 400)["type"] == MALFORMED


@pytest.mark.django_db(databases=DATABASES)
@pytest.mark.parametrize("charset", ["rot13", "zlib", "utf-16"])
def test_a_body_in_a_charset_that_is_not_text_or_not_its_own_is_a_400_problem(
    stored: Stored, user: APIClient, charset: str
) -> None:
    response = user.post(
        "/api/v1/locations/",
        json.dumps(PARIS).encode(),
        content_type=f"application/json; charset={charset}",
    )

    assert_problem(response, 400)


@pytest.mark.django_db(databases=DATABASES)
def test_a_body_in_a_declared_charset_is_read_in_it(stored: Stored, user: APIClient) -> None:
    body = json.dumps({**PARIS, "name": "Zürich"}, ensure_ascii=False).encode("latin-1")

    response = user.post(
        "/api/v1/locations/", body, content_type="application/json; charset=latin-1"
    )

    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Zürich"


@pytest.mark.django_db(databases=DATABASES)
@pytest.mark.parametrize(
    "path",
    [
        "weather/current/?units=",
        "weather/forecast/?units=",
        "weather/forecast/daily/?units=",
        "weather/history/?units=",
        "weather/daily/?units=",
        "weather/forecast/?hours=",
    ],
)
def test_an_empty_query_parameter_is_400_naming_it(
    stored: Stored, anonymous: APIClient, path: str
) -> None:
    samara = stored.location()
    stored.weather(samara)

    response = anonymous.get(f"/api/v1/locations/{samara.id}/{path}")

    assert_problem(response, 400, errors=[path.split("?")[1].rstrip("=")])

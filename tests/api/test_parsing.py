"""Query strings through `parse_query`, which remembers what each string validated to."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from adapters.rest.parsing import parse_query
from adapters.rest.serializers.locations import LocationListQuerySerializer


def _query(string: str) -> Request:
    return Request(APIRequestFactory().get(f"/api/v1/locations/?{string}"))


def test_each_call_gets_its_own_dict() -> None:
    first = parse_query(LocationListQuerySerializer, _query("page=2&search=pa"))
    first.pop("page")
    second = parse_query(LocationListQuerySerializer, _query("page=2&search=pa"))

    assert second["page"] == 2
    assert second["search"] == "pa"


def test_query_strings_read_as_drf_reads_them() -> None:
    """An empty value takes the default; of a repeated parameter, the last one counts."""
    empty = parse_query(LocationListQuerySerializer, _query("page="))
    repeated = parse_query(LocationListQuerySerializer, _query("page=2&page=3"))

    assert empty["page"] == 1
    assert repeated["page"] == 3


def test_a_bad_value_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValidationError) as refused:
            parse_query(LocationListQuerySerializer, _query("page=0"))
        assert "page" in refused.value.detail

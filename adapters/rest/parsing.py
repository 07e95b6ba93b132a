"""Reading a request's query string and JSON body through a serializer: a 400 on any bad value.

A query parameter given with an empty value (`?units=`, `?rule=`) is given: it is validated as
the empty string, so it is a 400 naming the parameter unless the parameter may be blank
(`?search=`), never a silent "use the default" or "no filter" (CONTRACT.md §3). HTML forms
send empty fields for "nothing", and DRF reads query strings as forms; an API client means what
it sends, and the OpenAPI schema (an integer, a UUID, one of the units) says so too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

QueryItems = tuple[tuple[str, tuple[str, ...]], ...]


def parse_query(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    """The validated query parameters of `request` (a 400 naming the parameter otherwise).

    A fresh dict each time: controllers take values out of it."""
    items = tuple((name, tuple(values)) for name, values in request.query_params.lists())
    return dict(_validated_query(serializer_class, items))


@functools.lru_cache(maxsize=1024)
def _validated_query(
    serializer_class: type[serializers.Serializer[Any]], items: QueryItems
) -> Mapping[str, Any]:
    """Remembered per query string: the same few (`?units=imperial`, `?page=2`, none at all)
    come back on most requests, and building a serializer deep-copies all its fields. The
    query serializers depend on nothing but the string (no callable defaults, no context),
    and their values are immutable; an invalid string raises, which is never remembered.

    A plain mapping, not the `QueryDict` itself: DRF reads a `QueryDict` as an HTML form, where
    an empty value means "absent". Of a repeated parameter the last value counts, as in a
    `QueryDict`, unless the field takes a list."""
    fields = serializer_class._declared_fields
    data = {
        name: list(values) if _takes_a_list(fields.get(name)) else values[-1]
        for name, values in items
    }
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _takes_a_list(field: serializers.Field[Any, Any, Any, Any] | None) -> bool:
    return isinstance(field, serializers.ListField | serializers.MultipleChoiceField)


def parse_body(
    serializer_class: type[serializers.Serializer[Any]], request: Request, *, partial: bool = False
) -> Any:
    """The validated JSON body of `request`; with `partial`, only the fields it contains."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data

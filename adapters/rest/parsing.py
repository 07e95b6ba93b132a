"""Reading a request's query string and JSON body through a serializer: a 400 on any bad value."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
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
    and their values are immutable; an invalid string raises, which is never remembered."""
    query = QueryDict(mutable=True)  # the very form DRF reads query strings in
    for name, values in items:
        query.setlist(name, list(values))
    serializer = serializer_class(data=query)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def parse_body(
    serializer_class: type[serializers.Serializer[Any]], request: Request, *, partial: bool = False
) -> Any:
    """The validated JSON body of `request`; with `partial`, only the fields it contains."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data

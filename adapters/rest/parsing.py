"""Reading a request's query string and JSON body through a serializer: a 400 on any bad value."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request


def parse_query(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    """The validated query parameters of `request` (a 400 naming the parameter otherwise)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def parse_body(
    serializer_class: type[serializers.Serializer[Any]], request: Request, *, partial: bool = False
) -> Any:
    """The validated JSON body of `request`; with `partial`, only the fields it contains."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data

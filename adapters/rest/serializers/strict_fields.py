"""Serializer fields that take exactly the JSON type the OpenAPI schema states, and nothing else.

DRF's fields are as lenient as HTML forms need: `FloatField` takes `true` (stored as 1.0) and
`"48.8"`, `CharField` takes `42`, `BooleanField` takes `"yes"`, `UUIDField` takes an integer or
32 hex digits without dashes. An API client sends real JSON types, the contract says numbers are
JSON numbers, not booleans or strings (CONTRACT.md §4), and the schema says `type: number`,
`type: string`, `format: uuid`: schemathesis holds the API to it, so these fields refuse the rest
with DRF's own messages (translated as DRF's are). Each keeps its parent's schema mapping.
"""

from __future__ import annotations

import math
import re
import uuid
from typing import Any

from rest_framework import serializers

#: `format: uuid` as JSON Schema checks it: 8-4-4-4-12 hex digits, either case.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class NumberField(serializers.FloatField):
    """A JSON number (an integer or a float, not a boolean), finite, as a float."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        try:
            value = float(data)
        except OverflowError:  # an integer beyond any float; the JSON parser refuses them first
            self.fail("invalid")
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class TextField(serializers.CharField):
    """A JSON string. Unlike DRF's default, not trimmed unless asked: the domain trims where its
    rules say so, and lengths are then those of what the client sent, as the schema states."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanField(serializers.BooleanField):
    """`true` or `false`, not `"yes"`, `1` or `"on"`."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


def uuid_of(text: object) -> uuid.UUID | None:
    """The UUID `text` spells as JSON Schema's `format: uuid` has it (8-4-4-4-12 hex digits,
    either case), or `None`: no braces, no `urn:uuid:`, no integers, no missing dashes."""
    if not isinstance(text, str) or not _UUID.fullmatch(text):
        return None
    return uuid.UUID(text)


class UUIDField(serializers.UUIDField):
    """A UUID as `uuid_of` reads it, in a body or a query string alike."""

    def to_internal_value(self, data: Any) -> uuid.UUID:
        value = uuid_of(data)
        if value is None:
            self.fail("invalid")
        return value

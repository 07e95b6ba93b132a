"""What the OpenAPI schema says beyond what drf-spectacular reads off the serializers, in one place.

- Every operation lists the statuses it can answer with; errors are problem+json documents.
- Links (`LinkedResponse`, `LinkedSchema`): which operations take an id from a response, so that a
  client, or schemathesis's stateful tests, can go from a created resource to its operations.
- The rules the serializers enforce that drf-spectacular cannot see: no NUL in any text field,
  the IANA zone names a `timezone` may be, and each metric's threshold range. The schema is held
  to the validation by schemathesis (`tests/api/test_schema_conformance.py`): a request the
  schema allows must not be refused as invalid, and one it forbids must be.
"""

from __future__ import annotations

import copy
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.extensions import (
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from adapters.rest.problems import PROBLEM_CONTENT_TYPE
from adapters.rest.serializers.problems import ProblemSerializer
from domain.alerts import Metric

_DESCRIPTIONS = {
    400: "Invalid input: `errors` names each offending field or query parameter.",
    401: "Not authenticated: send `Authorization: Token <key>` or a session cookie.",
    403: "Authenticated, but not allowed to do this.",
    404: "No such resource (or not yours to see).",
    406: "The `Accept` header asks for something other than JSON.",
    409: "Conflicts with stored data.",
    413: "The body is larger than the server accepts.",
    415: "The body is not `application/json`.",
    429: "Too many requests: retry after `Retry-After` seconds.",
    503: "A dependency (weather provider, database, task queue) is unavailable; retry after "
    "`Retry-After` seconds.",
}

_EXAMPLES = {
    400: OpenApiExample(
        "Invalid input",
        value={
            "type": "urn:f-brain:problem:validation-error",
            "title": "Invalid input",
            "status": 400,
            "detail": 'units: "kelvin" is not a valid choice.',
            "errors": {"units": ['"kelvin" is not a valid choice.']},
        },
        status_codes=["400"],
        media_type=PROBLEM_CONTENT_TYPE,
        response_only=True,
    ),
    404: OpenApiExample(
        "Not found",
        value={
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "Location 3f2c1b7e-8a51-4c1e-9f0a-2b8d6c4e5a10 was not found.",
        },
        status_codes=["404"],
        media_type=PROBLEM_CONTENT_TYPE,
        response_only=True,
    ),
}

#: Statuses any operation may answer with: content negotiation and throttling.
ALWAYS = (406, 429)

#: Statuses of an operation that needs an authenticated user.
AUTHENTICATED = (401, 403)

#: Statuses of an operation that reads a JSON body.
WITH_BODY = (400, 413, 415)


def problems(*statuses: int, descriptions: Mapping[int, str] | None = None) -> dict[Any, Any]:
    """`responses` entries for these error statuses (plus `ALWAYS`), as problem+json;
    `descriptions` says more than the generic text where an operation can (who may, say)."""
    described = {**_DESCRIPTIONS, **(descriptions or {})}
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer,
            description=described[status],
            examples=[_EXAMPLES[status]] if status in _EXAMPLES else None,
        )
        for status in sorted({*statuses, *ALWAYS})
    }


IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="An `ETag` from an earlier answer: 304 without a body if nothing changed.",
)

NOT_MODIFIED = {
    304: OpenApiResponse(description="Not modified since the `ETag` given in `If-None-Match`.")
}


# --- links ---------------------------------------------------------------------------------------

Link = dict[str, Any]


def link(
    operation_id: str,
    description: str,
    *,
    parameters: Mapping[str, str] | None = None,
    request_body: Mapping[str, str] | None = None,
) -> Link:
    """An OpenAPI Link object. `request_body` maps body fields to expressions: schemathesis
    fills those fields in and generates the rest (plain OpenAPI takes it as a literal)."""
    definition: Link = {"operationId": operation_id, "description": description}
    if parameters:
        definition["parameters"] = dict(parameters)
    if request_body:
        definition["requestBody"] = dict(request_body)
    return definition


class LinkedResponse(OpenApiResponse):
    """`OpenApiResponse` with the links of the response (drf-spectacular has no way to say them);
    the operation's view needs `schema = LinkedSchema()` for them to be written."""

    def __init__(
        self,
        response: Any = None,
        description: str = "",
        examples: Sequence[OpenApiExample] | None = None,
        *,
        links: Mapping[str, Link],
    ) -> None:
        super().__init__(response, description, examples)
        self.links = dict(links)


class LinkedSchema(AutoSchema):
    """drf-spectacular's `AutoSchema`, writing the links of each `LinkedResponse`."""

    def _get_response_for_code(
        self,
        serializer: Any,
        status_code: str,
        media_types: Any = None,
        direction: Any = "response",
    ) -> dict[str, Any]:
        response: dict[str, Any] = super()._get_response_for_code(  # type: ignore[no-untyped-call]
            serializer, status_code, media_types, direction
        )
        if isinstance(serializer, LinkedResponse):
            response["links"] = copy.deepcopy(serializer.links)
        return response


# --- rules of the validation that the fields do not show ------------------------------------------

#: Every text field refuses NUL (DRF's `ProhibitNullCharactersValidator`; PostgreSQL cannot store
#: it). A field that trims white space and may not be blank needs another character; any other
#: needs one character at least: the empty string is refused, or, where blank is allowed,
#: drf-spectacular offers it as the other branch of a `oneOf` (so it must not match this one).
NOT_EMPTY = r"^[^\u0000]+$"
NOT_BLANK = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


class TextFieldSchema(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """Request text (bodies and query strings) states the NUL and blank rules as a `pattern`,
    unless the field has a pattern of its own (a `RegexValidator`) or a `format`."""

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer_field(  # type: ignore[no-untyped-call]
            self.target, direction, bypass_extensions=True
        )
        field = self.target
        if (
            direction == "request"
            and schema.get("type") == "string"
            and not {"format", "enum", "pattern"} & schema.keys()
            and not any(isinstance(validator, RegexValidator) for validator in field.validators)
        ):
            trimmed_to_blank = field.trim_whitespace and not field.allow_blank
            schema["pattern"] = NOT_BLANK if trimmed_to_blank else NOT_EMPTY
        return schema


class TimezoneFieldSchema(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """A `timezone` is one of the IANA names the server knows (the domain checks it with
    `zoneinfo`); listed when the schema is built, from the same database."""

    target_class = "adapters.rest.serializers.locations.TimezoneField"
    priority = 1

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer_field(  # type: ignore[no-untyped-call]
            self.target, direction, bypass_extensions=True
        )
        if direction == "request":
            schema["enum"] = sorted(zoneinfo.available_timezones())
            if self.target.allow_null:
                schema["enum"].append(None)  # OpenAPI 3.0: `nullable` needs null in the enum
        return schema


class AlertRuleWriteSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """A threshold lies within its metric's range (`domain.alerts.THRESHOLD_RANGES`): `anyOf`
    one branch per range, each naming its metrics. A body with both fields must fit one branch;
    a threshold alone (PATCH) fits the union, and is checked against the rule's stored metric.
    The branches name metrics by `pattern`, not `enum`: drf-spectacular would make components of
    enums, three of them under one name."""

    target_class = "adapters.rest.serializers.alerts.AlertRuleWriteSerializer"

    def map_serializer(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(  # type: ignore[no-untyped-call]
            self.target, direction, bypass_extensions=True
        )
        by_range: dict[tuple[float, float], list[str]] = {}
        for metric in Metric:
            by_range.setdefault(metric.threshold_range, []).append(metric.value)
        schema["anyOf"] = [
            {
                "properties": {
                    "metric": {"pattern": f"^({'|'.join(metrics)})$"},
                    "threshold": {"minimum": low, "maximum": high},
                }
            }
            for (low, high), metrics in by_range.items()
        ]
        return schema

"""What the OpenAPI schema says about errors and conditional requests, in one place.

Every operation lists the statuses it can answer with; errors are problem+json documents.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from adapters.rest.problems import PROBLEM_CONTENT_TYPE
from adapters.rest.serializers.problems import ProblemSerializer

_DESCRIPTIONS = {
    400: "Invalid input: `errors` names each offending field or query parameter.",
    401: "Not authenticated: send `Authorization: Token <key>` or a session cookie.",
    403: "Authenticated, but not allowed to do this.",
    404: "No such resource (or not yours to see).",
    406: "The `Accept` header asks for something other than JSON.",
    409: "Conflicts with stored data.",
    415: "The body is not `application/json`.",
    429: "Too many requests: retry after `Retry-After` seconds.",
    503: "A dependency (weather provider, database) is unavailable; retry later.",
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
WITH_BODY = (400, 415)


def problems(*statuses: int) -> dict[Any, Any]:
    """`responses` entries for these error statuses (plus `ALWAYS`), as problem+json."""
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            ProblemSerializer,
            description=_DESCRIPTIONS[status],
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

"""``/events/``: the live event stream (Server-Sent Events), and the tickets that open it from a
browser (CONTRACT.md §4, "Live events").

The view is DRF's like every other, so a stream is authenticated (token, session, or a ticket),
throttled, validated and, when anything is wrong, answered with problem+json exactly as the rest
of the API: all of that happens before the first byte of the stream, in Django's thread pool for
a moment. What it returns is a `StreamingHttpResponse` over an async iterator
(``adapters/rest/event_stream.py``), which the ASGI server sends from its event loop: an open
stream holds no thread.

The resume point: the ``Last-Event-ID`` header wins over ``?last_event_id=``. A browser's
`EventSource` reconnects to the same URL (with the ``?last_event_id=`` it was opened with) and sends
the id of the last event it received in the header, which is the newer one.
"""

from __future__ import annotations

from typing import Any

import orjson
from dependency_injector.wiring import Provide, inject
from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.event_stream import CONTENT_TYPE, EventStream
from adapters.rest.openapi import AUTHENTICATED, problems
from adapters.rest.parsing import parse_query
from adapters.rest.requesters import account_of, requester_of
from application.ports.event_log import EventType, EventWakeups
from application.use_cases.issue_stream_ticket import IssueStreamTicket, IssueStreamTicketCommand
from application.use_cases.open_event_stream import (
    MAX_LOCATIONS,
    OpenEventStream,
    OpenEventStreamQuery,
)
from application.use_cases.read_events import ReadEvents
from application.use_cases.redeem_stream_ticket import (
    RedeemStreamTicket,
    RedeemStreamTicketCommand,
)
from domain.errors import InvalidInput

TAG = "events"
#: The largest id a log can give (a signed 64-bit integer, in both databases).
MAX_EVENT_ID = 2**63 - 1

_STREAM_DESCRIPTION = """\
A [Server-Sent Events](https://html.spec.whatwg.org/multipage/server-sent-events.html) stream.
Each event is `id: <increasing>`, `event: <type>`, `data: <one JSON object>`:

| event | data | who receives it |
| --- | --- | --- |
| `location.created`, `location.updated` | the Location | every stream |
| `location.deleted` | `{"location_id"}` | every stream |
| `weather.refreshed` | `{"location_ids", "provider", "refreshed_at"}` | every stream |
| `alert.raised` | the Alert | only a stream authenticated as the rule's owner |
| `reset` | `{"reason"}` | a stream whose `Last-Event-ID` is older than what is kept |

A `retry:` hint comes first, a `: keep-alive` comment at least every 15 seconds. Reconnect with
`Last-Event-ID` (header, or `?last_event_id=`) to receive every event after it, in order, then the
live ones. The stream ends after a while (and on server shutdown); reconnect with the last id.
Authentication as the rest of the API, or `?ticket=` from `POST /api/v1/events/tickets/`."""

_STREAM_EXAMPLE = (
    "retry: 3000\n\n"
    "id: 42\nevent: weather.refreshed\n"
    'data: {"location_ids":["3f2c1b7e-8a51-4c1e-9f0a-2b8d6c4e5a10"],"provider":"open-meteo",'
    '"refreshed_at":"2026-11-24T14:00:00Z"}\n\n'
    ": keep-alive\n\n"
)


#: One event of the stream (OpenAPI before 3.2 has a stream's `schema` describe each event;
#: comments such as the keep-alives and the `retry:` hint are not events).
_EVENT_SCHEMA = {
    "type": "object",
    "required": ["id", "event", "data"],
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9]+$", "description": "Resume after it."},
        "event": {"type": "string", "enum": [*(kind.value for kind in EventType), "reset"]},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": "One JSON object: what the table above says for its type.",
        },
        "retry": {"type": "integer", "minimum": 0},
    },
}


class EventStreamRenderer(BaseRenderer):
    """Lets a client ask for ``text/event-stream``; what it renders is only ever a problem (the
    stream itself is a `StreamingHttpResponse`), as JSON."""

    media_type = CONTENT_TYPE
    format = "event-stream"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return b"" if data is None else orjson.dumps(data)


class EventStreamQuerySerializer(serializers.Serializer[Any]):
    location = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=MAX_LOCATIONS,
        help_text="Only the events of these locations (repeatable); each must exist.",
    )
    last_event_id = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_EVENT_ID,
        help_text="Resume after this event id (the `Last-Event-ID` header wins over it).",
    )
    ticket = serializers.CharField(
        required=False,
        max_length=200,
        help_text="A ticket from `POST /api/v1/events/tickets/`: the stream is its account's.",
    )


class StreamTicketSerializer(serializers.Serializer[Any]):
    ticket = serializers.CharField(help_text="Single use: open the stream with `?ticket=`.")
    expires_at = serializers.DateTimeField(help_text="It is refused after this instant.")


_LAST_EVENT_ID = OpenApiParameter(
    "Last-Event-ID",
    {"type": "integer", "minimum": 0, "maximum": MAX_EVENT_ID},
    OpenApiParameter.HEADER,
    required=False,
    description="The id of the last event received: the stream resumes after it.",
)


def _last_event_id(request: Request, query: dict[str, Any]) -> int | None:
    header = request.headers.get("Last-Event-ID")
    if header is None:
        value: int | None = query.get("last_event_id")
        return value
    text = header.strip()
    if not text.isascii() or not text.isdigit() or int(text) > MAX_EVENT_ID:
        raise InvalidInput(
            "Last-Event-ID", "must be an integer from 0 to {maximum}.", maximum=MAX_EVENT_ID
        )
    return int(text)


class EventStreamController(APIView):
    permission_classes = (AllowAny,)
    renderer_classes = (EventStreamRenderer,)

    @extend_schema(
        tags=[TAG],
        summary="The live event stream (Server-Sent Events)",
        description=_STREAM_DESCRIPTION,
        parameters=[EventStreamQuerySerializer, _LAST_EVENT_ID],
        responses={
            (200, CONTENT_TYPE): OpenApiResponse(
                _EVENT_SCHEMA,
                description="The stream, until it ends; reconnect with `Last-Event-ID`.",
                examples=[OpenApiExample("Events", value=_STREAM_EXAMPLE, response_only=True)],
            ),
            **problems(400, 401, 503),
        },
    )
    @inject
    def get(
        self,
        request: Request,
        open_stream: OpenEventStream = Provide["open_event_stream"],
        redeem_ticket: RedeemStreamTicket = Provide["redeem_stream_ticket"],
        read_events: ReadEvents = Provide["read_events"],
        wakeups: EventWakeups = Provide["event_wakeups"],
    ) -> StreamingHttpResponse:
        query = parse_query(EventStreamQuerySerializer, request)
        requester_id = requester_of(request).user_id
        if "ticket" in query:
            redeemed = redeem_ticket.execute(RedeemStreamTicketCommand(query["ticket"]))
            if redeemed is None:
                raise AuthenticationFailed("This ticket is unknown, used already or expired.")
            requester_id = redeemed.owner_id
        start = open_stream.execute(
            OpenEventStreamQuery(
                last_event_id=_last_event_id(request, query),
                location_ids=frozenset(query.get("location", ())),
                requester_id=requester_id,
            )
        )
        stream = EventStream(
            start=start,
            read_events=read_events,
            wakeups=wakeups,
            keepalive_seconds=settings.EVENT_STREAM_KEEPALIVE_SECONDS,
            retry_milliseconds=settings.EVENT_STREAM_RETRY_MILLISECONDS,
            max_seconds=settings.EVENT_STREAM_MAX_SECONDS,
        )
        response = StreamingHttpResponse(stream.chunks(), content_type=CONTENT_TYPE)
        # Never stored or transformed on the way: a proxy that buffers holds every event back.
        response["Cache-Control"] = "no-cache, no-store"
        response["X-Accel-Buffering"] = "no"
        return response


class StreamTicketController(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=[TAG],
        summary="A single-use ticket to open the event stream as the caller (valid 60 s)",
        description=(
            "For a browser's `EventSource`, which cannot send `Authorization`: open "
            "`GET /api/v1/events/?ticket=<ticket>` within a minute; a ticket is accepted once."
        ),
        request=None,
        responses={201: StreamTicketSerializer, **problems(*AUTHENTICATED, 503)},
    )
    @inject
    def post(
        self,
        request: Request,
        issue_ticket: IssueStreamTicket = Provide["issue_stream_ticket"],
    ) -> Response:
        result = issue_ticket.execute(IssueStreamTicketCommand(account_of(request)))
        body = StreamTicketSerializer(
            {"ticket": result.ticket, "expires_at": result.expires_at}
        ).data
        return Response(body, status=201, headers={"Cache-Control": "no-store"})

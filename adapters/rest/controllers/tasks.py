"""Background work: queue a refresh of one location or of all (202), and poll a task's status.

Task ids are UUIDs (the queue makes them): anything else in `/tasks/{task_id}/` names no task and
is a 404, not a question for the queue, which would answer PENDING for any string at all.
"""

from __future__ import annotations

import uuid

from dependency_injector.wiring import Provide, inject
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.openapi import AUTHENTICATED, LinkedResponse, LinkedSchema, link, problems
from adapters.rest.serializers.strict_fields import uuid_of
from adapters.rest.serializers.tasks import TaskStatusSerializer, TaskTicketSerializer
from application.results.tasks import TaskTicket
from application.use_cases.get_task_status import GetTaskStatus, GetTaskStatusQuery
from application.use_cases.request_refresh import (
    RequestLocationRefresh,
    RequestLocationRefreshCommand,
    RequestRefreshAll,
    RequestRefreshAllCommand,
)

TAG = "tasks"
_TICKET_EXAMPLE = OpenApiExample(
    "Queued",
    value={
        "task_id": "9b0f6a52-1d7e-4a3b-8c55-0e2f4d6b8a19",
        "status_url": "https://weather.example/api/v1/tasks/9b0f6a52-1d7e-4a3b-8c55-0e2f4d6b8a19/",
    },
    response_only=True,
)
_QUEUED = LinkedResponse(
    TaskTicketSerializer,
    "Queued; poll `status_url` (or `Location`).",
    links={
        "GetTaskStatus": link(
            "tasks_retrieve",
            "Where the task stands.",
            parameters={"task_id": "$response.body#/task_id"},
        )
    },
)


def _accepted(request: Request, ticket: TaskTicket) -> Response:
    status_url = request.build_absolute_uri(
        reverse("api:task-status", kwargs={"task_id": ticket.task_id})
    )
    body = TaskTicketSerializer({"task_id": ticket.task_id, "status_url": status_url}).data
    return Response(body, status=202, headers={"Location": status_url})


class LocationRefreshController(APIView):
    permission_classes = (IsAuthenticated,)
    schema = LinkedSchema()

    @extend_schema(
        tags=[TAG],
        summary="Queue a fetch of the location's current weather and forecast",
        request=None,
        responses={202: _QUEUED, **problems(*AUTHENTICATED, 404)},
        examples=[_TICKET_EXAMPLE],
    )
    @inject
    def post(
        self,
        request: Request,
        location_id: uuid.UUID,
        request_refresh: RequestLocationRefresh = Provide["request_location_refresh"],
    ) -> Response:
        ticket = request_refresh.execute(RequestLocationRefreshCommand(location_id))
        return _accepted(request, ticket)


class RefreshAllController(APIView):
    permission_classes = (IsAdminUser,)
    schema = LinkedSchema()

    @extend_schema(
        tags=[TAG],
        summary="Queue a refresh of every location (staff only)",
        request=None,
        responses={202: _QUEUED, **problems(*AUTHENTICATED)},
        examples=[_TICKET_EXAMPLE],
    )
    @inject
    def post(
        self,
        request: Request,
        request_refresh: RequestRefreshAll = Provide["request_refresh_all"],
    ) -> Response:
        ticket = request_refresh.execute(RequestRefreshAllCommand())
        return _accepted(request, ticket)


class TaskStatusController(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=[TAG],
        summary="Where a queued task stands (a UUID the queue never issued is PENDING)",
        parameters=[OpenApiParameter("task_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={200: TaskStatusSerializer, **problems(*AUTHENTICATED, 404)},
    )
    @inject
    def get(
        self,
        request: Request,
        task_id: str,
        get_status: GetTaskStatus = Provide["get_task_status"],
    ) -> Response:
        identifier = uuid_of(task_id)
        if identifier is None:
            raise NotFound("No task has this id: task ids are UUIDs.")
        status = get_status.execute(GetTaskStatusQuery(str(identifier)))
        return Response(TaskStatusSerializer(status).data)

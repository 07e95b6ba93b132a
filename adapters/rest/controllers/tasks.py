"""Background work: queue a refresh of one location or of all (202), and poll a task's status."""

from __future__ import annotations

import uuid

from dependency_injector.wiring import Provide, inject
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.openapi import AUTHENTICATED, problems
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


def _accepted(request: Request, ticket: TaskTicket) -> Response:
    status_url = request.build_absolute_uri(
        reverse("api:task-status", kwargs={"task_id": ticket.task_id})
    )
    body = TaskTicketSerializer({"task_id": ticket.task_id, "status_url": status_url}).data
    return Response(body, status=202, headers={"Location": status_url})


class LocationRefreshController(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=[TAG],
        summary="Queue a fetch of the location's current weather and forecast",
        request=None,
        responses={202: TaskTicketSerializer, **problems(*AUTHENTICATED, 404)},
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

    @extend_schema(
        tags=[TAG],
        summary="Queue a refresh of every location (staff only)",
        request=None,
        responses={202: TaskTicketSerializer, **problems(*AUTHENTICATED)},
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
        summary="Where a queued task stands (unknown ids are PENDING)",
        responses={200: TaskStatusSerializer, **problems(*AUTHENTICATED)},
    )
    @inject
    def get(
        self,
        request: Request,
        task_id: str,
        get_status: GetTaskStatus = Provide["get_task_status"],
    ) -> Response:
        status = get_status.execute(GetTaskStatusQuery(task_id))
        return Response(TaskStatusSerializer(status).data)

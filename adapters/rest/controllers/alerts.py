"""`/alert-rules/` and `/alerts/`: the caller's own rules, and the alerts they raised.

The owner is always the authenticated user; someone else's rule is a 404, never a 403, so rule
ids cannot be probed.
"""

from __future__ import annotations

import uuid

from dependency_injector.wiring import Provide, inject
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.openapi import (
    AUTHENTICATED,
    WITH_BODY,
    LinkedResponse,
    LinkedSchema,
    link,
    problems,
)
from adapters.rest.pagination import paginated, paginated_serializer
from adapters.rest.parsing import parse_body, parse_query
from adapters.rest.requesters import account_of
from adapters.rest.serializers.alerts import (
    ALERT_RULE_OPTIONAL_DEFAULTS,
    AlertListQuerySerializer,
    AlertRuleListQuerySerializer,
    AlertRuleSerializer,
    AlertRuleWriteSerializer,
    AlertSerializer,
)
from application.use_cases.create_alert_rule import CreateAlertRule, CreateAlertRuleCommand
from application.use_cases.delete_alert_rule import DeleteAlertRule, DeleteAlertRuleCommand
from application.use_cases.get_alert_rule import GetAlertRule, GetAlertRuleQuery
from application.use_cases.list_alert_rules import ListAlertRules, ListAlertRulesQuery
from application.use_cases.list_alerts import ListAlerts, ListAlertsQuery
from application.use_cases.update_alert_rule import UpdateAlertRule, UpdateAlertRuleCommand

TAG = "alerts"
PaginatedAlertRuleSerializer = paginated_serializer(AlertRuleSerializer, "PaginatedAlertRuleList")
PaginatedAlertSerializer = paginated_serializer(AlertSerializer, "PaginatedAlertList")

_RULE_EXAMPLE = OpenApiExample(
    "Strong gusts",
    value={
        "location_id": "3f2c1b7e-8a51-4c1e-9f0a-2b8d6c4e5a10",
        "metric": "wind_gusts",
        "operator": "gt",
        "threshold": 70.0,
        "webhook_url": "https://hooks.example/weather",
    },
    request_only=True,
)


_RULE_ID = {"rule_id": "$response.body#/id"}
#: What a client can do with a rule it just created.
_RULE_LINKS = {
    "GetAlertRule": link("alert_rules_retrieve", "Read it.", parameters=_RULE_ID),
    "ReplaceAlertRule": link("alert_rules_update", "Replace its fields.", parameters=_RULE_ID),
    "ChangeAlertRule": link("alert_rules_partial_update", "Change some.", parameters=_RULE_ID),
    "DeleteAlertRule": link("alert_rules_destroy", "Delete it.", parameters=_RULE_ID),
    "GetAlerts": link(
        "alerts_list", "The alerts it raised.", parameters={"rule": "$response.body#/id"}
    ),
}


def owner_of(request: Request) -> str:
    """The rules' owner: the account asking (every view here needs one)."""
    return account_of(request)


class AlertRuleCollectionController(APIView):
    permission_classes = (IsAuthenticated,)
    schema = LinkedSchema()

    @extend_schema(
        tags=[TAG],
        operation_id="alert_rules_list",
        summary="The caller's alert rules, oldest first",
        parameters=[AlertRuleListQuerySerializer],
        responses={200: PaginatedAlertRuleSerializer, **problems(400, *AUTHENTICATED)},
    )
    @inject
    def get(
        self, request: Request, list_rules: ListAlertRules = Provide["list_alert_rules"]
    ) -> Response:
        query = parse_query(AlertRuleListQuerySerializer, request)
        page = list_rules.execute(ListAlertRulesQuery(owner_id=owner_of(request), **query))
        return Response(paginated(request, page, AlertRuleSerializer))

    @extend_schema(
        tags=[TAG],
        summary="Create an alert rule",
        request=AlertRuleWriteSerializer,
        responses={
            201: LinkedResponse(AlertRuleSerializer, "The rule, as created.", links=_RULE_LINKS),
            **problems(*WITH_BODY, *AUTHENTICATED),
        },
        examples=[_RULE_EXAMPLE],
    )
    @inject
    def post(
        self, request: Request, create: CreateAlertRule = Provide["create_alert_rule"]
    ) -> Response:
        fields = {**ALERT_RULE_OPTIONAL_DEFAULTS, **parse_body(AlertRuleWriteSerializer, request)}
        rule = create.execute(CreateAlertRuleCommand(owner_id=owner_of(request), **fields))
        return Response(AlertRuleSerializer(rule).data, status=201)


class AlertRuleController(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=[TAG],
        summary="Read one of the caller's alert rules",
        responses={200: AlertRuleSerializer, **problems(*AUTHENTICATED, 404)},
    )
    @inject
    def get(
        self,
        request: Request,
        rule_id: uuid.UUID,
        get_rule: GetAlertRule = Provide["get_alert_rule"],
    ) -> Response:
        rule = get_rule.execute(GetAlertRuleQuery(owner_id=owner_of(request), rule_id=rule_id))
        return Response(AlertRuleSerializer(rule).data)

    @extend_schema(
        tags=[TAG],
        summary="Replace every writable field of an alert rule",
        request=AlertRuleWriteSerializer,
        responses={200: AlertRuleSerializer, **problems(*WITH_BODY, *AUTHENTICATED, 404)},
        examples=[_RULE_EXAMPLE],
    )
    @inject
    def put(
        self,
        request: Request,
        rule_id: uuid.UUID,
        update: UpdateAlertRule = Provide["update_alert_rule"],
    ) -> Response:
        fields = {**ALERT_RULE_OPTIONAL_DEFAULTS, **parse_body(AlertRuleWriteSerializer, request)}
        rule = update.execute(
            UpdateAlertRuleCommand(owner_id=owner_of(request), rule_id=rule_id, **fields)
        )
        return Response(AlertRuleSerializer(rule).data)

    @extend_schema(
        tags=[TAG],
        summary="Change some fields of an alert rule",
        request=AlertRuleWriteSerializer(partial=True),
        responses={200: AlertRuleSerializer, **problems(*WITH_BODY, *AUTHENTICATED, 404)},
    )
    @inject
    def patch(
        self,
        request: Request,
        rule_id: uuid.UUID,
        update: UpdateAlertRule = Provide["update_alert_rule"],
    ) -> Response:
        fields = parse_body(AlertRuleWriteSerializer, request, partial=True)
        rule = update.execute(
            UpdateAlertRuleCommand(owner_id=owner_of(request), rule_id=rule_id, **fields)
        )
        return Response(AlertRuleSerializer(rule).data)

    @extend_schema(
        tags=[TAG],
        summary="Delete an alert rule and the alerts it raised",
        request=None,
        responses={204: None, **problems(*AUTHENTICATED, 404)},
    )
    @inject
    def delete(
        self,
        request: Request,
        rule_id: uuid.UUID,
        delete: DeleteAlertRule = Provide["delete_alert_rule"],
    ) -> Response:
        delete.execute(DeleteAlertRuleCommand(owner_id=owner_of(request), rule_id=rule_id))
        return Response(status=204)


class AlertCollectionController(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=[TAG],
        operation_id="alerts_list",
        summary="Alerts raised by the caller's rules, newest first",
        parameters=[AlertListQuerySerializer],
        responses={200: PaginatedAlertSerializer, **problems(400, *AUTHENTICATED)},
    )
    @inject
    def get(self, request: Request, list_alerts: ListAlerts = Provide["list_alerts"]) -> Response:
        query = parse_query(AlertListQuerySerializer, request)
        page = list_alerts.execute(
            ListAlertsQuery(
                owner_id=owner_of(request),
                rule_id=query.get("rule"),
                location_id=query.get("location"),
                page=query["page"],
                page_size=query["page_size"],
            )
        )
        return Response(paginated(request, page, AlertSerializer))

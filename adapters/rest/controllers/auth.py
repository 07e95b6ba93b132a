"""`/auth/token/`: exchange a username and password for an API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.openapi import WITH_BODY, problems
from adapters.rest.parsing import parse_body
from adapters.rest.serializers.auth import CredentialsSerializer, TokenSerializer
from adapters.rest.throttling import LoginFailureThrottle

#: One answer for every bad login: whether the username exists is nobody's business.
BAD_CREDENTIALS = _("Unable to log in with the provided credentials.")
#: One answer for every login past the limit, for the same reason.
TOO_MANY_FAILURES = _("Too many failed logins for this username or from this address.")


class TokenController(APIView):
    """Token keys live in DRF's own table: authentication is the framework's business, not the
    core's, so this controller talks to Django's auth directly instead of through a use case.

    Failed logins are limited per username and per address (`LoginFailureThrottle`): past the
    limit the answer is 429, whatever the password, until the window closes."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=["auth"],
        summary="Get the API token of a user (created on first use)",
        description=(
            "Failed logins are limited per username and per client address "
            "(`API_THROTTLE_LOGIN_FAILURES`, 10 a minute by default): past the limit the answer "
            "is 429 with `Retry-After`, even for the right password. Successful logins do not "
            "count."
        ),
        request=CredentialsSerializer,
        responses={200: TokenSerializer, **problems(*WITH_BODY)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = parse_body(CredentialsSerializer, request)
        throttle = LoginFailureThrottle()
        if not throttle.allow_attempt(request, credentials["username"]):
            raise Throttled(wait=throttle.wait(), detail=str(TOO_MANY_FAILURES))
        try:
            user = authenticate(request=request._request, **credentials)
        except Exception:
            throttle.forget_attempt()  # no password was found wrong (storage down, say)
            raise
        if user is None or not user.is_active:
            raise ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        throttle.forget_attempt()
        token, _ = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data)

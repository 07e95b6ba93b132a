"""`/auth/token/`: exchange a username and password for an API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.openapi import WITH_BODY, problems
from adapters.rest.parsing import parse_body
from adapters.rest.serializers.auth import CredentialsSerializer, TokenSerializer


class TokenController(APIView):
    """Token keys live in DRF's own table: authentication is the framework's business, not the
    core's, so this controller talks to Django's auth directly instead of through a use case."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=["auth"],
        summary="Get the API token of a user (created on first use)",
        request=CredentialsSerializer,
        responses={200: TokenSerializer, **problems(*WITH_BODY)},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = parse_body(CredentialsSerializer, request)
        user = authenticate(request=request._request, **credentials)
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": ["Unable to log in with the provided credentials."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data)

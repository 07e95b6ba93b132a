"""The RFC 9457 problem document, for the OpenAPI schema (`adapters.rest.problems` builds it)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ProblemSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(
        help_text="A URI naming the kind of problem; `about:blank` when the status says it all."
    )
    title = serializers.CharField(help_text="A short summary of the kind of problem.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request.")
    # The metaclass moves declared fields aside, so this does not shadow `Serializer.errors`.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation failures only: field or query parameter → messages.",
    )

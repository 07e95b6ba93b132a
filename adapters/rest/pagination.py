"""The contract's list envelope, `{"count", "next", "previous", "results"}`, from a core `Page`.

The core cuts the page (and caps `page_size`); this module only writes the links, keeping every
other query parameter of the request as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from application.pagination import Page


def paginated(
    request: Request,
    page: Page[Any],
    item_serializer: type[serializers.Serializer[Any]],
    envelope: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    url = request.build_absolute_uri()
    next_url = replace_query_param(url, "page", page.page + 1) if page.has_next else None
    previous_url = None
    if page.has_previous:
        previous_url = (
            remove_query_param(url, "page")
            if page.page == 2
            else replace_query_param(url, "page", page.page - 1)
        )
    return {
        **(envelope or {}),
        "count": page.count,
        "next": next_url,
        "previous": previous_url,
        "results": item_serializer(page.items, many=True).data,
    }


def paginated_serializer(
    item_serializer: type[serializers.Serializer[Any]],
    name: str,
    envelope: type[serializers.Serializer[Any]] = serializers.Serializer,
) -> type[serializers.Serializer[Any]]:
    """The schema of a page of `item_serializer` (documentation only; `paginated` builds it)."""
    fields: dict[str, Any] = {
        "count": serializers.IntegerField(min_value=0, help_text="Items across all pages."),
        "next": serializers.URLField(allow_null=True, help_text="The next page, if any."),
        "previous": serializers.URLField(allow_null=True, help_text="The previous page, if any."),
        "results": item_serializer(many=True),
        "__module__": __name__,
    }
    return type(name, (envelope,), fields)

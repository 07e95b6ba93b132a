"""How every repository cuts an ordered queryset into a `Page`: the rows, then the count."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models as django_models
from django.db.models import QuerySet

from application.pagination import Page, PageRequest

Row = TypeVar("Row", bound=django_models.Model)
Item = TypeVar("Item")


def page_of(
    queryset: QuerySet[Row], page: PageRequest, to_domain: Callable[[Row], Item]
) -> Page[Item]:
    """One page of an ordered queryset: the rows of the page, then the total count."""
    rows = list(queryset[page.offset : page.offset + page.limit])
    # A short first page is the whole list: its length is the count, no second query needed.
    count = len(rows) if page.offset == 0 and len(rows) < page.limit else queryset.count()
    return Page(
        items=tuple(to_domain(row) for row in rows),
        count=count,
        page=page.page,
        page_size=page.page_size,
    )

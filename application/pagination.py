"""Page requests and pages: how every list in the API is cut.

`page_size` is capped rather than refused, as the contract asks; a page beyond the last one is
simply empty, with the true `count` so a client can find its way back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import attrs

from domain.errors import InvalidInput

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def _page_size(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput("page_size", "must be a positive integer.")
    return min(value, MAX_PAGE_SIZE)


def _page_number(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput("page", "must be a positive integer.")
    return value


@attrs.frozen
class PageRequest:
    """Which slice of an ordered list the caller wants (1-based page number)."""

    page: int = attrs.field(default=1, converter=_page_number)
    page_size: int = attrs.field(default=DEFAULT_PAGE_SIZE, converter=_page_size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def limit(self) -> int:
        return self.page_size

    def slice(self, items: Sequence[T]) -> Page[T]:
        """The page of an already ordered, fully loaded list (in-memory stores use this)."""
        return Page(
            items=tuple(items[self.offset : self.offset + self.limit]),
            count=len(items),
            page=self.page,
            page_size=self.page_size,
        )


@attrs.frozen
class Page(Generic[T]):
    """One page of results, with the total `count` across all pages."""

    items: tuple[T, ...]
    count: int
    page: int
    page_size: int

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.count

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    def map(self, transform: Callable[[T], U]) -> Page[U]:
        """The same page with every item transformed (domain object → DTO)."""
        return Page(
            items=tuple(transform(item) for item in self.items),
            count=self.count,
            page=self.page,
            page_size=self.page_size,
        )

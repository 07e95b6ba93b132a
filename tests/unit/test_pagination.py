"""Page requests and pages."""

from __future__ import annotations

import pytest

from application.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageRequest
from application.partial import UNSET, updated
from domain.errors import InvalidInput


def test_a_page_request_defaults_and_caps_its_size() -> None:
    assert PageRequest().page_size == DEFAULT_PAGE_SIZE
    assert PageRequest(1, 10_000).page_size == MAX_PAGE_SIZE
    assert (PageRequest(3, 20).offset, PageRequest(3, 20).limit) == (40, 20)


@pytest.mark.parametrize(("page", "size"), [(0, 1), (-1, 1), (1, 0), (True, 1), (1, "10")])
def test_a_page_request_refuses_what_is_not_a_positive_integer(page: object, size: object) -> None:
    with pytest.raises(InvalidInput):
        PageRequest(page, size)  # type: ignore[arg-type]


def test_slicing_a_list_gives_the_page_and_the_total() -> None:
    page = PageRequest(2, 3).slice(list(range(8)))
    assert (page.items, page.count, page.has_next, page.has_previous) == ((3, 4, 5), 8, True, True)
    assert page.map(str).items == ("3", "4", "5")


def test_unset_means_keep_the_current_value_and_none_is_a_value() -> None:
    assert updated(UNSET, "kept") == "kept"
    assert updated(None, "kept") is None
    assert repr(UNSET) == "UNSET"

"""Query-string parsing shared by several endpoints: units, pages, instants and dates.

A bad value is a 400 whose `errors` name the parameter, as the contract asks. The bounds here are
only the ones that keep arithmetic on the parsed values representable (a year-1 datetime minus a
day overflows); business ranges (`hours`, `days`, 366-day windows) are the use cases' to check.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from application.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from domain.units import UnitSystem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: Far enough from `datetime.min`/`max` that any range the API computes stays representable.
_MARGIN = timedelta(days=800)
EARLIEST_INSTANT = datetime.min.replace(tzinfo=UTC) + _MARGIN
LATEST_INSTANT = datetime.max.replace(tzinfo=UTC) - _MARGIN
EARLIEST_DATE = EARLIEST_INSTANT.date()
LATEST_DATE = LATEST_INSTANT.date()
MAX_PAGE = 10_000_000


@extend_schema_field(OpenApiTypes.DATETIME)
class InstantField(serializers.Field[datetime, str, str, Any]):
    """An ISO 8601 date-time with an offset (`Z` or `+02:00`), as an aware UTC datetime.

    A naive value is refused rather than guessed, like the core does.
    """

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "invalid": _("must be an ISO 8601 date-time, e.g. 2026-11-24T14:00:00Z."),
        "naive": _("must include a time zone offset, e.g. 2026-11-24T14:00:00Z."),
        "range": _("is out of range."),
    }

    def to_internal_value(self, data: Any) -> datetime:
        try:
            parsed = parse_datetime(data) if isinstance(data, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        if parsed.utcoffset() is None:
            self.fail("naive")
        try:
            value = parsed.astimezone(UTC)
        except OverflowError:
            self.fail("range")
        if not EARLIEST_INSTANT <= value <= LATEST_INSTANT:
            self.fail("range")
        return value

    def to_representation(self, value: datetime) -> str:
        return instant_text(value)


def in_utc(value: datetime) -> datetime:
    """The core's instants are UTC already (the fast path); anything else is converted."""
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def instant_text(value: datetime) -> str:
    """The contract's timestamp: ISO 8601 in UTC with a `Z` suffix."""
    return in_utc(value).isoformat()[:-6] + "Z"  # a UTC isoformat always ends with +00:00


@extend_schema_field(OpenApiTypes.DATE)
class CalendarDateField(serializers.Field[date, str, str, Any]):
    """A `YYYY-MM-DD` date."""

    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "invalid": _("must be a date in the format YYYY-MM-DD."),
        "range": _("is out of range."),
    }

    def to_internal_value(self, data: Any) -> date:
        try:
            parsed = parse_date(data) if isinstance(data, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        if not EARLIEST_DATE <= parsed <= LATEST_DATE:
            self.fail("range")
        return parsed

    def to_representation(self, value: date) -> str:
        return value.isoformat()


class UnitsQuerySerializer(serializers.Serializer[Any]):
    units = serializers.ChoiceField(
        choices=[system.value for system in UnitSystem],
        default=UnitSystem.METRIC.value,
        help_text="Unit system of the numbers in the response.",
    )


class PageQuerySerializer(serializers.Serializer[Any]):
    page = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, default=1, help_text="1-based page number."
    )
    page_size = serializers.IntegerField(
        min_value=1,
        default=DEFAULT_PAGE_SIZE,
        help_text=f"Items per page; values above {MAX_PAGE_SIZE} are capped to {MAX_PAGE_SIZE}.",
    )

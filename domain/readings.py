"""Field definitions for the optional numeric readings of observations and forecasts.

Every metric a provider reports may be missing, so each is `float | None`; when present it must be
a finite number inside the physically possible range, in the metric unit the core stores
(°C, km/h, mm, hPa, %, degrees).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Sequence
from typing import Any, Final, Protocol, cast

import attrs

from domain.errors import InvalidInput

ABSOLUTE_ZERO_CELSIUS = -273.15


def to_optional_float(value: float | None) -> float | None:
    """attrs converter: ints become floats so equal readings compare and hash equal."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


RULE: Final = "reading_rule"
"""The key of a reading field's `ReadingRule` in its attrs metadata."""


class ReadingRule(Protocol):
    """What a reading field accepts, checked one value at a time (the field's validator) or a
    whole column at once (`check_column`, for the columnar constructors of `domain.forecasts`).
    Both say the same: a column passes exactly when each of its values would."""

    def check(self, name: str, value: object) -> None: ...

    def column(self, name: str, values: Sequence[object]) -> list[Any]:
        """`values` as the field stores them (its converter applied), or `InvalidInput` for the
        first value the field would refuse."""
        ...


def _present(values: Sequence[object]) -> list[object]:
    """The values that are not `None`, in a C loop."""
    return list(filter(_is_not_none, values))


_is_not_none = functools.partial(operator.is_not, None)


@attrs.frozen
class Bounds:
    """An optional finite float within `[minimum, maximum]` (either end open when `None`)."""

    minimum: float | None = None
    maximum: float | None = None

    def check(self, name: str, value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, float):
            raise InvalidInput(name, "must be a number.")
        if not math.isfinite(value):
            raise InvalidInput(name, "must be a finite number.")
        if self.minimum is not None and value < self.minimum:
            raise InvalidInput(name, "must be at least {minimum}.", minimum=self.minimum)
        if self.maximum is not None and value > self.maximum:
            raise InvalidInput(name, "must be at most {maximum}.", maximum=self.maximum)

    def column(self, name: str, values: Sequence[object]) -> list[Any]:
        """Checked in C loops: the types in one pass, finiteness by the sum (NaN and infinities
        spread through it; an overflow only sends the column to the exact check), the range by
        its ends. Whatever fails a quick test is checked value by value, for the exact error."""
        present = _present(values)
        kinds = set(map(type, present))
        if int in kinds:  # the converter's work: ints become floats
            values = [to_optional_float(value) for value in values]  # type: ignore[arg-type]
            present = _present(values)
            kinds = set(map(type, present))
        if present and not (kinds == {float} and self._holds(cast(list[float], present))):
            for value in values:
                self.check(name, value)
        return list(values)

    def _holds(self, floats: list[float]) -> bool:
        return (
            math.isfinite(sum(floats))
            and (self.minimum is None or min(floats) >= self.minimum)
            and (self.maximum is None or max(floats) <= self.maximum)
        )


@attrs.frozen
class WeatherCodes:
    """An optional WMO weather code: an integer 0 to 99."""

    def check(self, name: str, value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99:
            raise InvalidInput(name, "must be a WMO weather code (0 to 99).")

    def column(self, name: str, values: Sequence[object]) -> list[Any]:
        present = _present(values)
        if present and not (
            set(map(type, present)) == {int}
            and min(cast(list[int], present)) >= 0
            and max(cast(list[int], present)) <= 99
        ):
            for value in values:
                self.check(name, value)
        return list(values)


def optional_reading(*, minimum: float | None = None, maximum: float | None = None) -> Any:
    """An optional float field, refused at construction when outside `[minimum, maximum]`."""
    rule = Bounds(minimum, maximum)

    def check(_instance: object, attribute: Any, value: object) -> None:
        rule.check(attribute.name, value)

    return attrs.field(
        default=None, converter=to_optional_float, validator=check, metadata={RULE: rule}
    )


def optional_weather_code() -> Any:
    """An optional WMO weather code: an integer 0 to 99."""
    rule = WeatherCodes()

    def check(_instance: object, attribute: Any, value: object) -> None:
        rule.check(attribute.name, value)

    return attrs.field(default=None, validator=check, metadata={RULE: rule})


def rule_of(field: attrs.Attribute[Any]) -> ReadingRule:
    """The `ReadingRule` of a reading field; `KeyError` for any other field."""
    rule: ReadingRule = field.metadata[RULE]
    return rule


def celsius_reading() -> Any:
    """An optional temperature in °C, never below absolute zero."""
    return optional_reading(minimum=ABSOLUTE_ZERO_CELSIUS)


def percent_reading() -> Any:
    """An optional share in % (humidity, cloud cover, probability)."""
    return optional_reading(minimum=0.0, maximum=100.0)


def amount_reading() -> Any:
    """An optional amount that cannot be negative (speed in km/h, precipitation in mm)."""
    return optional_reading(minimum=0.0)


def degrees_reading() -> Any:
    """An optional compass direction in degrees."""
    return optional_reading(minimum=0.0, maximum=360.0)

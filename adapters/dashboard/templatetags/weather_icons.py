"""``weather_icon``: the static icon that pictures a WMO weather code.

The icons are the dashboard's own SVG files (``static/dashboard/icons/``), one per family of
codes rather than one per code: a person reads "rain" from a picture, and "moderate rain" from
the words beside it. Which family a code belongs to is a matter of drawing, so it lives here and
not in the domain's code table.
"""

from __future__ import annotations

from django import template

register = template.Library()

#: The upper bound (inclusive) of each family of WMO 4677 codes, in ascending order.
_FAMILIES = (
    (0, "clear"),
    (2, "partly-cloudy"),
    (3, "cloudy"),
    (48, "fog"),
    (57, "drizzle"),
    (67, "rain"),
    (77, "snow"),
    (82, "rain"),
    (86, "snow"),
    (99, "thunderstorm"),
)


def icon_name(code: int | None, is_day: bool | None = None) -> str:
    """The icon's file name without ``.svg``; ``unknown`` without a code or outside the table.
    A clear or partly cloudy sky at night shows the moon (``is_day`` unknown counts as day)."""
    if code is None or code < 0:
        return "unknown"
    for upper, name in _FAMILIES:
        if code <= upper:
            if is_day is False and name in ("clear", "partly-cloudy"):
                return f"{name}-night"
            return name
    return "unknown"


@register.filter
def weather_icon(code: int | None, is_day: bool | None = None) -> str:
    """The icon's path for ``{% static %}``: ``{% static reading.weather_code|weather_icon %}``."""
    return f"dashboard/icons/{icon_name(code, is_day)}.svg"

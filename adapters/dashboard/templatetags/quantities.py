"""``amount``: a reading rounded as people read it in its unit, in the page's number format.

Temperatures and wind speeds read well with one decimal in either system, so the templates use
``floatformat:1`` for them. Precipitation and pressure do not: a tenth of a millimetre is the
rain gauge's step, but a tenth of an inch is a downpour; hectopascals need no decimal, inches of
mercury need two. The unit label (from the result's ``units``) decides.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

DECIMALS = {"mm": 1, "inch": 2, "hPa": 0, "inHg": 2}


@register.filter
def amount(value: float | None, unit: str) -> str:
    """``1.2`` mm → ``1.2``, ``0.047`` inch → ``0.05``, ``1017.3`` hPa → ``1017``; none: ``—``."""
    if value is None:
        return "—"
    return str(floatformat(value, DECIMALS.get(unit, 1)))

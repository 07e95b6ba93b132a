"""``account_name``: who is signed in, for the header every page shares.

The templates must not read ``user`` from the auth context processor themselves: that reads the
database, and a page rendered because the database is down would then fail itself
(`adapters.dashboard.viewers`).
"""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from adapters.dashboard.viewers import account_name_of

register = template.Library()


@register.filter
def account_name(request: HttpRequest) -> str:
    """The username, or an empty string when nobody is signed in."""
    return account_name_of(request) or ""

"""Who is looking at a dashboard page: the signed-in account's id, or `None`.

Reading ``request.user`` reads the session and the user from the database; when that database is
down the page must still answer its 503 (or, on ``/``, whatever it can), never a 500. So a
database error here counts as "nobody signed in", and the use case that runs next meets the same
outage and says so.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpRequest


def viewer_id_of(request: HttpRequest) -> str | None:
    try:
        user = request.user
        if not user.is_authenticated:
            return None
        return str(user.pk)
    except DatabaseError:
        return None


def account_name_of(request: HttpRequest) -> str | None:
    """The signed-in account's username for the page header, or `None` (also when the database
    is down: the header must not turn a 503 page into a 500)."""
    try:
        user = request.user
        if not user.is_authenticated:
            return None
        return str(user.get_username())
    except DatabaseError:
        return None

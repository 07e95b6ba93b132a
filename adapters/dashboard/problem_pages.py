"""The dashboard's error pages: what went wrong, in the page's language and the site's style.

The API answers problem+json (``adapters/rest/problems.py``); a person's pages answer HTML with
the same status codes, so that a browser, a crawler and a monitoring probe all read the outcome
the same way. Every view of the dashboard goes through these, never through Django's plain pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from domain.errors import InvalidInput

#: As the API's 503s say (adapters/rest/problems.py): outages last seconds to minutes.
OUTAGE_RETRY_AFTER_SECONDS = 10


def problem_page(
    request: HttpRequest,
    status: int,
    title: str | Promise,
    reason: str,
    *,
    field: str | None = None,
) -> HttpResponse:
    """A plain error page: what went wrong and, for a bad parameter, which one, in the language
    of the request (the field name stays as the query string spells it)."""
    context = {"title": title, "reason": reason, "field": field}
    return render(request, "dashboard/problem.html", context, status=status)


def bad_parameter_page(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    reason = error.reason_in(gettext)
    return problem_page(request, 400, gettext_lazy("Bad request"), reason, field=error.field)


def storage_unavailable_page(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``: the database is down, which a reload fixes once it is back."""
    page = problem_page(
        request,
        503,
        gettext_lazy("Service unavailable"),
        gettext("The database cannot be reached."),
    )
    page["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
    return page

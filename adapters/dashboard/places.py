"""``POST /places/``: a signed-in person adds the place they chose among the geocoder's matches.

The form on ``/`` (``/?name=…``) carries the match's fields; this view hands them to the same
`RegisterLocation` use case the API's ``POST /api/v1/locations/`` uses, as the signed-in account,
then lands on the new location's page (303, so a reload does not post again). A place that is
already tracked lands on that location's page instead: the person wanted to see it, and it is
there. Django's CSRF middleware guards the POST like every other form of the site.
"""

from __future__ import annotations

import uuid

from dependency_injector.wiring import Provide, inject
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from adapters.dashboard.problem_pages import (
    bad_parameter_page,
    problem_page,
    storage_unavailable_page,
)
from adapters.dashboard.viewers import viewer_id_of
from application.use_cases.register_location import RegisterLocation, RegisterLocationCommand
from domain.errors import Conflict, InvalidInput, StorageUnavailable


class SeeOther(HttpResponseRedirect):
    status_code = 303


@require_POST
@inject
def add_place(
    request: HttpRequest,
    register_location: RegisterLocation = Provide["register_location"],
) -> HttpResponse:
    viewer = viewer_id_of(request)
    if viewer is None:
        return problem_page(
            request,
            403,
            gettext_lazy("Sign in first"),
            gettext("Only signed-in users can add places."),
        )
    try:
        command = _command_of(request.POST, viewer)
        location = register_location.execute(command)
    except InvalidInput as error:
        return bad_parameter_page(request, error)
    except Conflict as error:
        existing = error.params.get("id")
        if isinstance(existing, uuid.UUID):
            return SeeOther(reverse("dashboard:location", args=[existing]))
        return problem_page(request, 409, gettext_lazy("Already tracked"), error.render(gettext))
    except StorageUnavailable:
        return storage_unavailable_page(request)
    return SeeOther(reverse("dashboard:location", args=[location.id]))


def _command_of(form: QueryDict, viewer: str) -> RegisterLocationCommand:
    """The chosen match, as the form on ``/`` posts it; `InvalidInput` names a bad field."""
    return RegisterLocationCommand(
        name=form.get("name", "").strip(),
        latitude=_number(form, "latitude"),
        longitude=_number(form, "longitude"),
        timezone=form.get("timezone") or None,
        country_code=form.get("country_code") or None,
        admin1=form.get("admin1") or None,
        elevation=_number(form, "elevation") if form.get("elevation") else None,
        created_by=viewer,
    )


def _number(form: QueryDict, field: str) -> float:
    """A float as Python parses it; whether it is a usable coordinate is the domain's rule."""
    try:
        return float(form.get(field, ""))
    except ValueError:
        raise InvalidInput(field, "must be a number.") from None

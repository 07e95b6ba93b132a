"""Who is asking: the authenticated caller of a request, as the core knows accounts.

The core names an account by its primary key as text (an alert rule's `owner_id`, a location's
`created_by`) and needs to know whether it is staff; this is the one place that reads them off
`request.user`, for every controller.
"""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from application.requesters import Requester


def requester_of(request: Request) -> Requester:
    """The caller as a `Requester`; an anonymous one has no account and is not staff."""
    user = request.user
    if user is None or not user.is_authenticated:
        return Requester(user_id=None, is_staff=False)
    return Requester(user_id=str(user.pk), is_staff=bool(user.is_staff))


def account_of(request: Request) -> str:
    """The caller's account id, for views that let only authenticated users in (401 otherwise,
    should one forget to)."""
    user_id = requester_of(request).user_id
    if user_id is None:
        raise NotAuthenticated()
    return user_id

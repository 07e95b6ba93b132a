"""``/sign-in/`` and ``/sign-out/``: a person's session for the dashboard, with Django's own views.

The admin's login page takes staff only; these take every account, since every account may
refresh a place, add one and keep alert rules (CONTRACT.md §3). The session they open is the one
the API's session authentication reads, so the location page's "refresh now" (a POST to the API
with the CSRF token) runs as the same person. Django's views bring what a sign-in page needs:
the CSRF check, `next` limited to this site, a new session key on sign-in, `POST`-only sign-out.
A database that cannot be reached is the dashboard's 503 page, not a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from adapters.dashboard.problem_pages import storage_unavailable_page


class SignInView(auth_views.LoginView):
    template_name = "dashboard/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Without a safe ``next``: the overview, not Django's ``/accounts/profile/``."""
        return reverse("dashboard:overview")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except DatabaseError:
            return storage_unavailable_page(request)


class SignOutView(auth_views.LogoutView):
    def get_default_redirect_url(self) -> str:
        """Without a safe ``next``: the overview (Django's default is its own logged-out page)."""
        return reverse("dashboard:overview")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except DatabaseError:
            return storage_unavailable_page(request)

"""The dashboard's routes, included at the site root by ``server_config.urls``."""

from __future__ import annotations

from django.urls import path

from adapters.dashboard import accounts, location_page, places, views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("locations/<uuid:location_id>/", location_page.location_page, name="location"),
    path("places/", places.add_place, name="add-place"),
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("favicon.ico", views.favicon, name="favicon"),
]

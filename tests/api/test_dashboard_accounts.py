"""`/sign-in/` and `/sign-out/`: any account (not only staff) opens a dashboard session, which
the API's session authentication then reads (the location page's "refresh now")."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from tests.api.conftest import DATABASES, Stored
from tests.support.fakes.task_queue import FakeTaskQueue

pytestmark = pytest.mark.django_db(databases=DATABASES)


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_of(browser: Client, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200
    return str(browser.cookies["csrftoken"].value)


def test_the_sign_in_page_is_a_labelled_form_in_the_dashboards_frame(browser: Client) -> None:
    html = browser.get("/sign-in/?next=/").content.decode()

    assert '<form method="post" action="/sign-in/" data-testid="sign-in">' in html
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert 'data-testid="language-switch"' in html


def test_a_plain_account_signs_in_lands_on_next_and_may_refresh_a_place(
    stored: Stored, browser: Client, alice: Any, tasks: FakeTaskQueue
) -> None:
    location = stored.location()
    page = f"/locations/{location.id}/"
    token = csrf_of(browser, f"/sign-in/?next={page}")

    signed = browser.post(
        "/sign-in/",
        {"username": "alice", "password": "correct horse battery", "next": page},
        headers={"X-CSRFToken": token},
    )

    assert signed.status_code == 302
    assert signed["Location"] == page
    html = browser.get(page).content.decode()
    assert 'data-testid="refresh-now"' in html
    assert "Signed in as alice" in html
    queued = browser.post(
        f"/api/v1/locations/{location.id}/refresh/",
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )
    assert queued.status_code == 202, queued.content


def test_a_wrong_password_says_so_and_signs_nobody_in(
    stored: Stored, browser: Client, alice: Any
) -> None:
    token = csrf_of(browser, "/sign-in/")

    response = browser.post(
        "/sign-in/",
        {"username": "alice", "password": "wrong"},
        headers={"X-CSRFToken": token, "Accept-Language": "fr"},
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in browser.session


def test_next_never_leads_to_another_host(stored: Stored, browser: Client, alice: Any) -> None:
    token = csrf_of(browser, "/sign-in/")

    signed = browser.post(
        "/sign-in/",
        {"username": "alice", "password": "correct horse battery", "next": "https://evil.test/"},
        headers={"X-CSRFToken": token},
    )

    assert signed.status_code == 302
    assert signed["Location"] == "/"


def test_sign_out_is_a_post_that_ends_the_session(stored: Stored, alice: Any) -> None:
    browser = Client()
    browser.force_login(alice)

    assert browser.get("/sign-out/").status_code == 405
    out = browser.post("/sign-out/")

    assert out.status_code == 302
    assert "_auth_user_id" not in browser.session
    assert "Sign in" in browser.get("/").content.decode()


def test_an_unreachable_database_at_sign_in_is_the_503_page(
    stored: Stored, browser: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = csrf_of(browser, "/sign-in/")

    def unreachable(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.contrib.auth.forms.authenticate", unreachable)
    response = browser.post(
        "/sign-in/", {"username": "alice", "password": "x"}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 503
    assert "The database cannot be reached." in response.content.decode()

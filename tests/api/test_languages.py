"""English and French, chosen by `Accept-Language` (CONTRACT.md §3, "Languages").

The language reaches problem titles and details, validation messages, `condition_label`, the
dashboard and the admin; `type`, field names, enum values and `condition` never change, so a
client matches on them whatever it reads. The French expected here is spelt out, not read from
the catalogue, so that a lost or broken `.mo` fails these tests.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from adapters.rest.conditional import entity_tag
from domain.locations import Location
from tests.api.conftest import DATABASES, Stored, assert_problem, random_id
from tests.support.builders import NOW

pytestmark = pytest.mark.django_db(databases=DATABASES)

FRENCH = {"Accept-Language": "fr"}
ENGLISH = {"Accept-Language": "en"}
#: Every way of not asking for French: English by name, a language the API does not speak, none.
NOT_FRENCH = [ENGLISH, {"Accept-Language": "de-DE,de;q=0.9"}, {}]


@pytest.fixture
def samara(stored: Stored) -> Location:
    location = stored.location()
    stored.weather(location)  # the fake provider reports weather code 3 (Overcast) throughout
    return location


def weather(location: Location, path: str) -> str:
    return f"/api/v1/locations/{location.id}/weather/{path}"


def assert_says_language(response: Any, language: str) -> None:
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


# --- problems ------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["fr", "fr-CA", "de-DE, fr;q=0.8, en;q=0.5"])
def test_a_not_found_problem_is_in_french_when_asked(
    stored: Stored, anonymous: APIClient, accept: str
) -> None:
    missing = random_id()

    response = anonymous.get(f"/api/v1/locations/{missing}/", headers={"Accept-Language": accept})

    body = assert_problem(response, 404)

    assert body["title"] == "Introuvable"
    assert body["detail"] == f"Le lieu {missing} est introuvable."
    assert body["type"] == "about:blank"
    assert_says_language(response, "fr")


@pytest.mark.parametrize("headers", NOT_FRENCH)
def test_a_not_found_problem_is_english_otherwise(
    stored: Stored, anonymous: APIClient, headers: dict[str, str]
) -> None:
    missing = random_id()

    response = anonymous.get(f"/api/v1/locations/{missing}/", headers=headers)

    body = assert_problem(response, 404)
    assert body["title"] == "Not Found"
    assert body["detail"] == f"Location {missing} was not found."
    assert_says_language(response, "en")


def test_a_core_validation_problem_translates_messages_not_field_names(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    too_long = weather(samara, "history/?start=2024-01-01T00:00:00Z&end=2026-01-01T00:00:00Z")
    english = assert_problem(anonymous.get(too_long), 400)
    response = anonymous.get(too_long, headers=FRENCH)

    french = assert_problem(response, 400, errors=["start"])
    assert french["title"] == "Données invalides"
    assert french["errors"] == {"start": ["la période ne doit pas dépasser 366 jours."]}
    assert french["detail"] == "start: la période ne doit pas dépasser 366 jours."
    assert english["errors"] == {"start": ["the range must not exceed 366 days."]}
    assert english["title"] == "Invalid input"
    assert french["type"] == english["type"] == "urn:f-brain:problem:validation-error"
    assert_says_language(response, "fr")


def test_a_serializer_validation_problem_is_in_french(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    response = anonymous.get(weather(samara, "history/?start=yesterday"), headers=FRENCH)

    body = assert_problem(response, 400, errors=["start"])
    assert body["errors"]["start"] == [
        "doit être une date et heure ISO 8601, par exemple 2026-11-24T14:00:00Z."
    ]


def test_drf_own_messages_come_from_its_french_catalogue(stored: Stored, user: APIClient) -> None:
    response = user.post(
        "/api/v1/locations/",
        {"name": "Nowhere", "latitude": "north"},
        format="json",
        headers=FRENCH,
    )

    body = assert_problem(response, 400)
    assert set(body["errors"]) == {"latitude", "longitude"}
    assert body["errors"]["longitude"] == ["Ce champ est obligatoire."]
    assert body["errors"]["latitude"] == ["Un nombre valide est requis."]


def test_a_malformed_body_is_a_french_problem(stored: Stored, user: APIClient) -> None:
    response = user.post(
        "/api/v1/locations/", b"{", content_type="application/json", headers=FRENCH
    )

    body = assert_problem(response, 400)
    assert body["title"] == "Requête malformée"
    assert body["detail"].startswith("Erreur d’analyse JSON - ")
    assert body["type"] == "urn:f-brain:problem:malformed-request"


def test_an_unknown_path_is_a_french_problem_that_says_its_language(
    stored: Stored, anonymous: APIClient
) -> None:
    response = anonymous.get("/api/v1/nothing-here/", headers=FRENCH)

    body = assert_problem(response, 404)
    assert body["title"] == "Introuvable"
    assert body["detail"] == "Rien n’est servi à l’adresse /api/v1/nothing-here/."
    assert_says_language(response, "fr")


def test_an_error_django_answers_itself_is_rewritten_in_french(stored: Stored) -> None:
    """A host outside `ALLOWED_HOSTS` is refused by Django before any view, with its own 400."""
    response = Client().get("/api/v1/locations/", headers={"Host": "evil.example", **FRENCH})

    body = assert_problem(response, 400)
    assert body["title"] == "Requête incorrecte"
    assert body["detail"] == "Syntaxe de requête incorrecte ou méthode non prise en charge"
    assert_says_language(response, "fr")


def test_an_authentication_problem_is_in_french(stored: Stored, samara: Location) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    body = assert_problem(client.get("/api/v1/alert-rules/", headers=FRENCH), 401)

    assert body["title"] == "Non authentifié"
    assert body["detail"] == "Token non valide."  # DRF's own catalogue


# --- condition_label -----------------------------------------------------------------------------


#: Where a response's objects with a `condition` are, past the current reading (the body).
ITEMS = {"forecast/": "hourly", "forecast/daily/": "daily", "history/": "results"}


def labels_and_conditions(body: dict[str, Any], path: str) -> list[tuple[Any, Any]]:
    """(`condition`, `condition_label`) of every object of `body` that has a `condition`."""
    items: list[dict[str, Any]] = [body] if path == "current/" else body[ITEMS[path]]
    assert items
    return [(item["condition"], item["condition_label"]) for item in items]


@pytest.mark.parametrize("path", ["current/", "forecast/", "forecast/daily/", "history/"])
def test_every_condition_has_its_label_in_the_language_of_the_response(
    stored: Stored, anonymous: APIClient, samara: Location, path: str
) -> None:
    stored.observations(samara, NOW - timedelta(hours=3), 3, timedelta(hours=1), weather_code=3)

    french = anonymous.get(weather(samara, path), headers=FRENCH)
    english = anonymous.get(weather(samara, path), headers=ENGLISH)
    default = anonymous.get(weather(samara, path))

    assert set(labels_and_conditions(french.json(), path)) == {("Overcast", "Couvert")}
    assert set(labels_and_conditions(english.json(), path)) == {("Overcast", "Overcast")}
    assert default.json() == english.json()
    assert_says_language(french, "fr")
    assert_says_language(english, "en")


def test_only_labels_differ_between_the_languages(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    french = anonymous.get(weather(samara, "forecast/daily/"), headers=FRENCH).json()
    english = anonymous.get(weather(samara, "forecast/daily/"), headers=ENGLISH).json()

    for day in (*french["daily"], *english["daily"]):
        del day["condition_label"]
    assert french == english


def test_enum_values_and_field_names_stay_english(
    stored: Stored, alice: Any, user: APIClient, samara: Location
) -> None:
    stored.rule(alice, samara)

    french = user.get("/api/v1/alert-rules/", headers=FRENCH)
    english = user.get("/api/v1/alert-rules/", headers=ENGLISH)

    assert french.json() == english.json()
    (rule,) = french.json()["results"]
    assert (rule["metric"], rule["operator"]) == ("temperature", "gt")
    assert_says_language(french, "fr")


def test_the_list_with_current_weather_labels_its_conditions(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    body = anonymous.get("/api/v1/locations/?include=current", headers=FRENCH).json()

    (item,) = body["results"]
    assert item["current"]["condition"] == "Overcast"
    assert item["current"]["condition_label"] == "Couvert"


# --- caching -------------------------------------------------------------------------------------


def test_etags_differ_per_language_and_a_304_says_its_language(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    english = anonymous.get(weather(samara, "current/"), headers=ENGLISH)
    french = anonymous.get(weather(samara, "current/"), headers=FRENCH)

    assert english["ETag"] != french["ETag"]
    cross = anonymous.get(
        weather(samara, "current/"), HTTP_IF_NONE_MATCH=english["ETag"], headers=FRENCH
    )
    assert cross.status_code == 200
    assert cross.json()["condition_label"] == "Couvert"
    unchanged = anonymous.get(
        weather(samara, "current/"), HTTP_IF_NONE_MATCH=french["ETag"], headers=FRENCH
    )
    assert unchanged.status_code == 304
    assert_says_language(unchanged, "fr")


def test_the_tag_covers_the_language_even_when_the_body_has_no_label() -> None:
    """A body the same in both languages (no `condition_label` in it, a `null` condition) still
    gets one tag per language: the answer varies on `Accept-Language`, and a cache keyed on the
    tag must not serve one language's answer for the other."""
    body = {"condition": None, "condition_label": None, "temperature": 18.5}

    assert entity_tag(body, "en") != entity_tag(body, "fr")
    assert entity_tag(body, "fr") == entity_tag(dict(body), "fr")


# --- the dashboard and the admin -----------------------------------------------------------------


def test_the_dashboard_is_in_french_when_asked(stored: Stored, samara: Location) -> None:
    stored.observations(samara, NOW - timedelta(minutes=5), 1, timedelta(minutes=1), weather_code=3)
    response = Client().get("/", headers=FRENCH)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert "Lieux suivis" in html
    assert "<td>Couvert</td>" in html
    assert "Tracked locations" not in html
    assert_says_language(response, "fr")


def test_the_dashboard_stays_english_by_default(stored: Stored, samara: Location) -> None:
    stored.observations(samara, NOW - timedelta(minutes=5), 1, timedelta(minutes=1), weather_code=3)

    html = Client().get("/").content.decode()

    assert '<html lang="en">' in html
    assert "Tracked locations" in html
    assert "<td>Overcast</td>" in html


def test_a_bad_dashboard_parameter_is_explained_in_french(stored: Stored) -> None:
    response = Client().get("/?page=abc", headers=FRENCH)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête incorrecte" in html
    assert "Le paramètre <code>page</code> doit être un entier positif." in html


def test_the_admin_is_in_french_with_the_projects_own_labels(
    stored: Stored, samara: Location
) -> None:
    if stored.alias != "default":
        pytest.skip("the admin reads the default database; once is enough")
    admin = get_user_model()._default_manager.create_superuser("admin-fr", password="x" * 20)
    browser = Client()
    browser.force_login(admin)

    login = Client().get("/admin/login/", headers=FRENCH).content.decode()
    index = browser.get("/admin/", headers=FRENCH).content.decode()
    forecasts = browser.get("/admin/weather/forecast/", headers=FRENCH)

    assert "Nom d’utilisateur" in login  # Django's own catalogue
    assert "Déconnexion" in index
    assert "Météo" in index  # the project's: the app's name, its models' names
    assert "Lieux" in index
    assert "Règles d’alerte" in index
    assert "Locations" not in index
    assert forecasts.status_code == 200
    columns = forecasts.content.decode()
    assert "Récupéré le" in columns  # a field's label
    assert "Points" in columns  # an admin column's own label
    assert_says_language(forecasts, "fr")

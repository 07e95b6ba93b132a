"""The admin an operator expects, through HTTP: actions on locations that queue the real tasks
(through the application's use cases, onto the task queue port, a fake here: the tests with a
real worker are ``tests/integration/tasks/test_admin_actions.py``), readable numbers, the
project's name, search, filters, and no query per row.

The admin reads Django's default database, so every test here runs on it alone.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from domain.alerts import Metric
from domain.locations import Coordinates, Location
from server_config.container import container
from tests.api.conftest import Stored
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.task_queue import FakeTaskQueue

pytestmark = pytest.mark.django_db

LOCATIONS = "/admin/weather/location/"
FRENCH = {"Accept-Language": "fr"}
#: NOW (builders) is 2026-11-24 14:00 UTC: already the 25th in Kiritimati (UTC+14), still the
#: morning of the 24th in Los Angeles.
KIRITIMATI = ("Kiritimati", Coordinates(1.8721, -157.4278), "Pacific/Kiritimati")
LOS_ANGELES = ("Los Angeles", Coordinates(34.0522, -118.2437), "America/Los_Angeles")


@pytest.fixture
def here(clock: FakeClock, tasks: FakeTaskQueue) -> Iterator[Stored]:
    with container.config.database.alias.override("default"):
        yield Stored(alias="default", clock=clock)


@pytest.fixture
def operator() -> Client:
    """A superuser's browser, signed in."""
    user = get_user_model()._default_manager.create_superuser("operator", password="x" * 20)
    browser = Client()
    browser.force_login(user)
    return browser


def place(here: Stored, name: str, coordinates: Coordinates, timezone: str) -> Location:
    return here.location(name, coordinates=coordinates, timezone=timezone)


def act(
    browser: Client,
    action: str,
    locations: list[Location],
    headers: dict[str, str] | None = None,
    **fields: str,
) -> Any:
    """The changelist's action form, as the browser posts it (with the index of the action bar),
    or, with `apply`, the intermediate page's form (without)."""
    data = {"action": action, "_selected_action": [str(loc.id) for loc in locations], **fields}
    if "apply" not in fields:
        data["index"] = "0"
    return browser.post(LOCATIONS, data, headers=headers)


def messages_of(browser: Client, response: Any) -> str:
    """The text of the messages the action left, as the list it redirects to shows them."""
    assert response.status_code == 302, response.content.decode()[:2000]
    page = browser.get(response["Location"]).content.decode()
    return " ".join(re.findall(r'<li class="(?:success|error)">(.*?)</li>', page, re.S))


# --- "Refresh now" ------------------------------------------------------------------------------


def test_refresh_now_queues_the_refresh_task_of_each_selected_location_and_names_the_tasks(
    here: Stored, operator: Client, tasks: FakeTaskQueue
) -> None:
    samara = here.location("Samara")
    paris = here.location("Paris", coordinates=Coordinates(48.8534, 2.3488))
    here.location("Oslo", coordinates=Coordinates(59.9127, 10.7461))  # not selected

    response = act(operator, "refresh_now", [samara, paris])

    assert sorted((task.name, task.arguments) for task in tasks.queued) == sorted(
        [("refresh_location", (samara.id,)), ("refresh_location", (paris.id,))]
    )
    said = messages_of(operator, response)
    assert "Refresh queued for 2 locations" in said
    for task in tasks.queued:
        assert task.task_id in said


def test_refresh_now_reports_a_broker_that_cannot_be_reached_and_crashes_nothing(
    here: Stored, operator: Client, tasks: FakeTaskQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from domain.errors import QueueUnavailable

    def unreachable(location_id: uuid.UUID) -> str:
        raise QueueUnavailable("The task queue cannot be reached right now ({error}).", error="x")

    monkeypatch.setattr(tasks, "enqueue_refresh_location", unreachable)
    samara = here.location("Samara")

    said = messages_of(operator, act(operator, "refresh_now", [samara]))

    assert "The task queue cannot be reached right now" in said
    assert tasks.queued == []


def test_the_actions_are_offered_to_staff_who_may_change_locations_only(
    here: Stored, operator: Client
) -> None:
    here.location("Samara")
    viewer = get_user_model()._default_manager.create_user("viewer", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_location"))
    browser = Client()
    browser.force_login(viewer)

    offered = operator.get(LOCATIONS).content.decode()
    seen = browser.get(LOCATIONS).content.decode()

    assert 'value="refresh_now"' in offered
    assert 'value="backfill_recent_days"' in offered
    assert 'value="refresh_now"' not in seen
    assert 'value="backfill_recent_days"' not in seen


# --- "Backfill the last N days" -----------------------------------------------------------------


def test_backfill_first_asks_how_many_days_and_queues_nothing_yet(
    here: Stored, operator: Client, tasks: FakeTaskQueue
) -> None:
    kiritimati = place(here, *KIRITIMATI)

    page = act(operator, "backfill_recent_days", [kiritimati])

    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<input type="number" name="days" value="7"[^>]*min="1"[^>]*max="366"', html)
    assert f'name="_selected_action" value="{kiritimati.id}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Kiritimati (Pacific/Kiritimati)" in html
    assert tasks.queued == []


def test_backfill_queues_one_task_per_location_over_its_own_last_n_days(
    here: Stored, operator: Client, tasks: FakeTaskQueue
) -> None:
    kiritimati = place(here, *KIRITIMATI)
    los_angeles = place(here, *LOS_ANGELES)

    response = act(operator, "backfill_recent_days", [kiritimati, los_angeles], days="7", apply="1")

    queued = {task.arguments[0]: task for task in tasks.queued}
    assert tasks.names() == ["backfill", "backfill"]
    assert queued[kiritimati.id].arguments[1:] == (date(2026, 11, 19), date(2026, 11, 25))
    assert queued[los_angeles.id].arguments[1:] == (date(2026, 11, 18), date(2026, 11, 24))
    said = messages_of(operator, response)
    assert "Backfill of the last 7 days queued" in said
    assert f"Kiritimati, 2026-11-19 to 2026-11-25 (task {queued[kiritimati.id].task_id})" in said
    assert f"Los Angeles, 2026-11-18 to 2026-11-24 (task {queued[los_angeles.id].task_id})" in said


@pytest.mark.parametrize("days", ["1", "366"])
def test_backfill_takes_every_n_from_1_to_366(
    here: Stored, operator: Client, tasks: FakeTaskQueue, days: str
) -> None:
    kiritimati = place(here, *KIRITIMATI)

    act(operator, "backfill_recent_days", [kiritimati], days=days, apply="1")

    ((_, start, end),) = [task.arguments for task in tasks.queued]
    assert isinstance(start, date)
    assert isinstance(end, date)
    assert end == date(2026, 11, 25)
    assert (end - start) + timedelta(days=1) == timedelta(days=int(days))


@pytest.mark.parametrize("days", ["0", "367", "-3", "7.5", "seven", ""])
def test_backfill_refuses_a_number_of_days_outside_1_to_366_and_queues_nothing(
    here: Stored, operator: Client, tasks: FakeTaskQueue, days: str
) -> None:
    samara = here.location("Samara")

    page = act(operator, "backfill_recent_days", [samara], days=days, apply="1")

    assert page.status_code == 400
    html = page.content.decode()
    assert 'class="errorlist' in html
    assert 'name="days"' in html  # asked again, with the reason
    assert tasks.queued == []


def test_the_backfill_page_and_its_refusal_speak_french(
    here: Stored, operator: Client, tasks: FakeTaskQueue
) -> None:
    samara = here.location("Samara")

    asked = act(operator, "backfill_recent_days", [samara], headers=FRENCH)
    refused = act(operator, "backfill_recent_days", [samara], FRENCH, days="400", apply="1")

    assert "Compléter l’historique des N derniers jours" in asked.content.decode()
    assert "Jours" in asked.content.decode()
    assert "inférieure ou égale à 366" in refused.content.decode()  # Django's own French
    assert tasks.queued == []


def test_the_actions_and_their_messages_speak_french(
    here: Stored, operator: Client, tasks: FakeTaskQueue
) -> None:
    samara = here.location("Samara")
    paris = here.location("Paris", coordinates=Coordinates(48.8534, 2.3488))

    def said(response: Any) -> str:
        return str(operator.get(response["Location"], headers=FRENCH).content.decode())

    offered = operator.get(LOCATIONS, headers=FRENCH).content.decode()
    one = said(act(operator, "refresh_now", [samara], headers=FRENCH))
    two = said(act(operator, "refresh_now", [samara, paris], headers=FRENCH))

    assert ">Actualiser maintenant</option>" in offered
    assert ">Compléter l’historique des N derniers jours</option>" in offered
    first = tasks.queued[0].task_id
    assert f"Actualisation demandée pour 1 lieu : Samara (tâche {first})." in one
    assert "Actualisation demandée pour 2 lieux : " in two  # French has three plural forms


# --- what an operator reads ----------------------------------------------------------------------


def test_readings_are_rounded_with_their_units_in_the_list_and_the_detail(
    here: Stored, operator: Client
) -> None:
    samara = here.location("Samara")
    here.observations(
        samara,
        here.clock.now(),
        1,
        timedelta(hours=1),
        temperature=3.8880000000000003,
        wind_speed=12.04,
        precipitation=0.35000000000000003,
        pressure=1013.2499999,
        relative_humidity=81.4,
        weather_code=3,
    )
    from adapters.persistence.models import Observation

    stored_id = Observation.objects.get().pk

    listed = operator.get("/admin/weather/observation/").content.decode()
    detail = operator.get(f"/admin/weather/observation/{stored_id}/change/").content.decode()
    in_french = operator.get("/admin/weather/observation/", headers=FRENCH).content.decode()

    for page in (listed, detail):
        assert "3.9 °C" in page
        assert "12.0 km/h" in page
        assert "0.4 mm" in page
        assert "Overcast" in page
        assert "3.888" not in page
        assert "0.35000000000000003" not in page
    assert "1013.2 hPa" in detail
    assert "81 %" in detail
    assert '<div class="readonly">-</div>' in detail  # a reading the provider did not give
    assert '<div class="readonly">None</div>' not in detail
    assert "3,9 °C" in in_french
    assert "Couvert" in in_french


def test_alert_thresholds_and_values_carry_their_metrics_unit(
    here: Stored, operator: Client
) -> None:
    samara = here.location("Samara")
    owner = here.account("alice")
    windy = here.rule(owner, samara, metric=Metric.WIND_SPEED, threshold=50.0)
    here.rule(owner, samara, metric=Metric.RELATIVE_HUMIDITY, threshold=90.0)
    here.alert(windy, here.clock.now(), value=61.2345)

    rules = operator.get("/admin/weather/alertrule/").content.decode()
    alerts = operator.get("/admin/weather/alert/").content.decode()

    assert "50.0 km/h" in rules
    assert "90.0 %" in rules
    assert '<td class="field-value_shown">61.2 km/h</td>' in alerts
    assert '<td class="field-threshold_shown">50.0 km/h</td>' in alerts


def test_the_admin_wears_the_projects_name_in_english_and_french(operator: Client) -> None:
    english = operator.get("/admin/").content.decode()
    french = operator.get("/admin/", headers=FRENCH).content.decode()
    login = Client().get("/admin/login/").content.decode()

    assert "F_BRAIN weather administration" in english
    assert "<title>Tracked places, readings and alerts | F_BRAIN weather admin</title>" in english
    assert "Django administration" not in english
    assert "F_BRAIN weather administration" in login
    assert "Administration de la météo F_BRAIN" in french
    assert "Lieux suivis, relevés et alertes" in french


# --- search, filters, and no query per row -------------------------------------------------------

BIG_TABLES = ["location", "observation", "forecast", "alertrule", "alert", "outboxevent"]


def _fill(here: Stored, first: int, count: int) -> None:
    """`count` more places, each with its weather, a rule and an alert."""
    owner = here.account(f"owner-{first}")
    for index in range(first, first + count):
        location = here.location(f"Place {index:03}", coordinates=Coordinates(10 + index / 100, 20))
        here.weather(location)
        rule = here.rule(owner, location)
        here.alert(rule, here.clock.now())


@pytest.mark.parametrize("table", BIG_TABLES)
def test_every_big_table_has_a_search_box_and_filters(
    here: Stored, operator: Client, table: str
) -> None:
    _fill(here, 0, 2)

    page = operator.get(f"/admin/weather/{table}/", {"q": "Place"})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="searchbar"' in html
    assert 'id="changelist-filter"' in html


def test_searching_observations_by_place_finds_that_place_only(
    here: Stored, operator: Client
) -> None:
    samara = here.location("Samara")
    oslo = here.location("Oslo", coordinates=Coordinates(59.9127, 10.7461))
    here.weather(samara)
    here.weather(oslo)

    page = operator.get("/admin/weather/observation/", {"q": "oslo"}).content.decode()

    assert "Oslo" in page
    assert "Samara" not in page


@pytest.mark.parametrize("table", BIG_TABLES)
def test_a_list_costs_the_same_queries_for_2_rows_as_for_12(
    here: Stored, operator: Client, table: str
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert operator.get(f"/admin/weather/{table}/").status_code == 200
        return len(captured.captured_queries)

    _fill(here, 0, 2)
    few = queries()
    _fill(here, 2, 10)

    assert queries() == few

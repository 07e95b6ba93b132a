"""Every weather table has a working admin: list, search, filters and a detail page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from adapters.persistence import models
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from domain.forecasts import HourlyForecast, HourlyPoint
from tests.support.accounts import the_builders_accounts
from tests.support.builders import NOW, OWNER, a_location, a_rule, an_observation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Settings) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def stored() -> None:
    the_builders_accounts()
    location = a_location(created_by=OWNER)
    with DjangoUnitOfWork() as uow:
        uow.locations.add(location)
        reading = an_observation(location.id, temperature=35.0)
        uow.observations.add_many([reading])
        uow.forecasts.save_many(
            hourly=[
                HourlyForecast(
                    location_id=location.id,
                    provider="open-meteo",
                    fetched_at=NOW,
                    points=[HourlyPoint(time=NOW + timedelta(hours=h)) for h in range(3)],
                )
            ],
            daily=[],
        )
        rule = a_rule(location.id)
        uow.alerts.add_rule(rule)
        alert = rule.evaluate(reading, raised_at=NOW)
        assert alert is not None
        uow.alerts.add_alerts([alert])
        uow.commit()


@pytest.mark.parametrize(
    "model",
    [models.Location, models.Observation, models.Forecast, models.AlertRule, models.Alert],
)
def test_staff_can_list_search_and_open_every_weather_table(
    admin_client: Client, stored: None, model: type[models.Location]
) -> None:
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")

    listed = admin_client.get(changelist)
    searched = admin_client.get(changelist, {"q": "Samara"})
    first = model._default_manager.first()
    assert first is not None
    detail = admin_client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
    )

    assert listed.status_code == 200
    assert searched.status_code == 200
    assert detail.status_code == 200


def test_readings_cannot_be_added_by_hand(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:weather_observation_add"))

    assert response.status_code == 403


def test_the_admin_shows_who_registered_a_location_and_who_owns_a_rule(
    admin_client: Client, stored: None
) -> None:
    locations = admin_client.get(reverse("admin:weather_location_changelist"))
    rules = admin_client.get(reverse("admin:weather_alertrule_changelist"))
    location = models.Location.objects.get()
    location_page = admin_client.get(reverse("admin:weather_location_change", args=[location.pk]))

    username = models.AlertRule.objects.get().owner.get_username()
    assert f'<td class="field-created_by nowrap">{username}</td>' in locations.content.decode()
    assert f'<td class="field-owner nowrap">{username}</td>' in rules.content.decode()
    assert username in location_page.content.decode()

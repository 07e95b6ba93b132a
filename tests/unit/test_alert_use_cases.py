"""Managing alert rules, raising alerts from refreshes, listing and delivering them."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from application.events import AlertRaised
from application.ports.notifier import DeliveryFailed, DeliveryRefused
from application.use_cases.create_alert_rule import CreateAlertRule, CreateAlertRuleCommand
from application.use_cases.delete_alert_rule import DeleteAlertRule, DeleteAlertRuleCommand
from application.use_cases.deliver_alert import DeliverAlert, DeliverAlertCommand
from application.use_cases.evaluate_alert_rules import (
    EvaluateAlertRules,
    EvaluateAlertRulesCommand,
)
from application.use_cases.get_alert_rule import GetAlertRule, GetAlertRuleQuery
from application.use_cases.list_alert_rules import ListAlertRules, ListAlertRulesQuery
from application.use_cases.list_alerts import ListAlerts, ListAlertsQuery
from application.use_cases.refresh_location import RefreshLocation, RefreshLocationCommand
from application.use_cases.update_alert_rule import UpdateAlertRule, UpdateAlertRuleCommand
from domain.alerts import Metric, Operator
from domain.errors import InvalidInput, NotFound
from domain.locations import Coordinates, Location
from tests.support.builders import NOW, OTHER_OWNER, OWNER, a_location, an_observation
from tests.support.core import Core, a_core

HOOK = "https://hooks.example.com/f-brain"


def core_with_location() -> tuple[Core, Location]:
    core = a_core()
    location = a_location()
    core.add(location)
    return core, location


def create(core: Core, location: Location, **fields: object) -> uuid.UUID:
    command = CreateAlertRuleCommand(
        **{  # type: ignore[arg-type]
            "owner_id": OWNER,
            "location_id": location.id,
            "metric": "temperature",
            "operator": "gt",
            "threshold": 30.0,
            **fields,
        }
    )
    return CreateAlertRule(core.uow, core.clock, webhook_targets=core.notifier).execute(command).id


def refresh(core: Core, location: Location, **metrics: float) -> None:
    core.clock.advance(timedelta(minutes=15))
    core.provider.set_metrics(location.id, **metrics)
    RefreshLocation(core.pipeline()).execute(RefreshLocationCommand(location.id))


def test_creating_a_rule_stores_it_for_its_owner() -> None:
    core, location = core_with_location()
    rule_id = create(core, location, webhook_url=HOOK)
    rule = GetAlertRule(core.uow).execute(GetAlertRuleQuery(owner_id=OWNER, rule_id=rule_id))
    assert (rule.metric, rule.operator, rule.threshold) == (Metric.TEMPERATURE, Operator.GT, 30.0)
    assert (rule.webhook_url, rule.active, rule.created_at) == (HOOK, True, NOW)


def test_a_rule_for_an_unknown_location_is_invalid_input() -> None:
    core = a_core()
    with pytest.raises(InvalidInput) as raised:
        create(core, a_location())
    assert raised.value.field == "location_id"


def test_a_rule_cannot_target_what_the_notifier_would_refuse() -> None:
    core, location = core_with_location()
    core.notifier.refuse("http://127.1:9000/hook", "webhook host 127.1 resolves to 127.0.0.1")
    with pytest.raises(InvalidInput) as raised:
        create(core, location, webhook_url="  http://127.1:9000/hook ")
    assert raised.value.errors == {"webhook_url": ["webhook host 127.1 resolves to 127.0.0.1"]}
    assert core.store.alerts.rules == {}
    core.notifier.allow("http://127.1:9000/hook")
    rule_id = create(core, location, webhook_url="http://127.1:9000/hook")
    assert core.store.alerts.rules[rule_id].webhook_url == "http://127.1:9000/hook"


def test_a_blank_webhook_is_none_and_asks_nothing() -> None:
    core, location = core_with_location()
    rule_id = create(core, location, webhook_url="   ")
    assert core.store.alerts.rules[rule_id].webhook_url is None
    assert core.notifier.checked == []


def test_another_owners_rule_is_not_found_for_every_action() -> None:
    core, location = core_with_location()
    rule_id = create(core, location)
    with pytest.raises(NotFound):
        GetAlertRule(core.uow).execute(GetAlertRuleQuery(owner_id=OTHER_OWNER, rule_id=rule_id))
    with pytest.raises(NotFound):
        UpdateAlertRule(core.uow, webhook_targets=core.notifier).execute(
            UpdateAlertRuleCommand(owner_id=OTHER_OWNER, rule_id=rule_id, threshold=1.0)
        )
    with pytest.raises(NotFound):
        DeleteAlertRule(core.uow).execute(
            DeleteAlertRuleCommand(owner_id=OTHER_OWNER, rule_id=rule_id)
        )
    assert core.store.alerts.rules[rule_id].threshold == 30.0


def test_listing_rules_shows_only_the_callers_oldest_first() -> None:
    core, location = core_with_location()
    first = create(core, location)
    core.clock.advance(timedelta(minutes=1))
    second = create(core, location, metric="wind_speed")
    create(core, location, owner_id=OTHER_OWNER)
    page = ListAlertRules(core.uow).execute(ListAlertRulesQuery(owner_id=OWNER))
    assert [rule.id for rule in page.items] == [first, second]


def test_a_partial_update_changes_only_the_given_fields() -> None:
    core, location = core_with_location()
    rule_id = create(core, location, webhook_url=HOOK)
    result = UpdateAlertRule(core.uow, webhook_targets=core.notifier).execute(
        UpdateAlertRuleCommand(owner_id=OWNER, rule_id=rule_id, operator="lt", active=False)
    )
    assert (result.operator, result.threshold, result.active) == (Operator.LT, 30.0, False)
    assert result.webhook_url == HOOK
    cleared = UpdateAlertRule(core.uow, webhook_targets=core.notifier).execute(
        UpdateAlertRuleCommand(
            owner_id=OWNER, rule_id=rule_id, webhook_url=None, metric="wind_gusts"
        )
    )
    assert (cleared.webhook_url, cleared.metric) == (None, Metric.WIND_GUSTS)


def test_an_update_refuses_unknown_locations_and_private_webhooks() -> None:
    core, location = core_with_location()
    rule_id = create(core, location)
    update = UpdateAlertRule(core.uow, webhook_targets=core.notifier)
    with pytest.raises(InvalidInput) as raised:
        update.execute(
            UpdateAlertRuleCommand(owner_id=OWNER, rule_id=rule_id, location_id=uuid.uuid4())
        )
    assert raised.value.field == "location_id"
    core.notifier.refuse("http://0x0a000001/", "webhook host 0x0a000001 resolves to 10.0.0.1")
    with pytest.raises(InvalidInput) as raised:
        update.execute(
            UpdateAlertRuleCommand(
                owner_id=OWNER, rule_id=rule_id, webhook_url="http://0x0a000001/"
            )
        )
    assert raised.value.errors == {"webhook_url": ["webhook host 0x0a000001 resolves to 10.0.0.1"]}
    assert core.store.alerts.rules[rule_id].webhook_url is None
    with pytest.raises(InvalidInput):
        update.execute(UpdateAlertRuleCommand(owner_id=OWNER, rule_id=rule_id, operator="eq"))


def test_an_update_that_leaves_the_webhook_alone_does_not_check_it_again() -> None:
    """The rule was valid when written; its host resolving elsewhere now is the delivery's
    business (final there), not a reason to refuse a new threshold."""
    core, location = core_with_location()
    rule_id = create(core, location, webhook_url=HOOK)
    core.notifier.refuse(HOOK)
    result = UpdateAlertRule(core.uow, webhook_targets=core.notifier).execute(
        UpdateAlertRuleCommand(owner_id=OWNER, rule_id=rule_id, threshold=35.0)
    )
    assert (result.threshold, result.webhook_url) == (35.0, HOOK)
    assert core.notifier.checked == [HOOK]  # when the rule was created, not since


def test_an_update_may_move_a_rule_to_another_location() -> None:
    core, location = core_with_location()
    other = a_location(name="Elsewhere", coordinates=Coordinates(1.0, 1.0))
    core.add(other)
    rule_id = create(core, location)
    result = UpdateAlertRule(core.uow, webhook_targets=core.notifier).execute(
        UpdateAlertRuleCommand(owner_id=OWNER, rule_id=rule_id, location_id=other.id)
    )
    assert result.location_id == other.id


def test_deleting_a_rule_removes_it_and_its_alerts() -> None:
    core, location = core_with_location()
    rule_id = create(core, location)
    refresh(core, location, temperature=35.0)
    DeleteAlertRule(core.uow).execute(DeleteAlertRuleCommand(owner_id=OWNER, rule_id=rule_id))
    assert core.store.alerts.rules == {}
    assert core.store.alerts.alerts == {}


def test_a_stored_reading_beyond_a_threshold_raises_one_alert_and_queues_its_webhook() -> None:
    core, location = core_with_location()
    rule_id = create(core, location, webhook_url=HOOK)
    refresh(core, location, temperature=35.0)
    refresh(core, location, temperature=36.0)

    alerts = ListAlerts(core.uow).execute(ListAlertsQuery(owner_id=OWNER)).items
    assert [(a.rule_id, a.value, a.delivered) for a in alerts] == [(rule_id, 35.0, False)]
    assert len(core.published(AlertRaised)) == 1
    assert [(t.name, t.arguments) for t in core.tasks.queued] == [
        ("deliver_alert", (alerts[0].id,))
    ]


def test_a_rule_raises_again_after_the_reading_went_back() -> None:
    core, location = core_with_location()
    create(core, location)
    for temperature in (35.0, 20.0, 31.0):
        refresh(core, location, temperature=temperature)
    alerts = ListAlerts(core.uow).execute(ListAlertsQuery(owner_id=OWNER)).items
    assert [alert.value for alert in alerts] == [31.0, 35.0]  # newest first


def test_an_alert_without_webhook_queues_no_delivery() -> None:
    core, location = core_with_location()
    create(core, location)
    refresh(core, location, temperature=35.0)
    assert core.tasks.queued == []
    assert len(core.store.alerts.alerts) == 1


def test_listing_alerts_shows_only_the_callers_filtered_by_rule_and_location() -> None:
    core, location = core_with_location()
    mine = create(core, location)
    also_mine = create(core, location, metric="wind_speed", threshold=5.0)
    create(core, location, owner_id=OTHER_OWNER)
    refresh(core, location, temperature=35.0)
    list_alerts = ListAlerts(core.uow)
    assert list_alerts.execute(ListAlertsQuery(owner_id=OWNER)).count == 2
    by_rule = list_alerts.execute(ListAlertsQuery(owner_id=OWNER, rule_id=mine)).items
    assert [a.rule_id for a in by_rule] == [mine]
    assert list_alerts.execute(ListAlertsQuery(owner_id=OWNER, location_id=uuid.uuid4())).count == 0
    assert list_alerts.execute(ListAlertsQuery(owner_id=OTHER_OWNER)).count == 1
    assert also_mine in {
        a.rule_id for a in list_alerts.execute(ListAlertsQuery(owner_id=OWNER)).items
    }


def test_evaluating_a_reading_for_a_location_without_rules_raises_nothing() -> None:
    core = a_core()
    result = EvaluateAlertRules(core.uow, core.clock).execute(
        EvaluateAlertRulesCommand((an_observation(temperature=50.0),))
    )
    assert result.alerts == ()


def raised_alert(core: Core, **rule_fields: object) -> uuid.UUID:
    location = a_location()
    core.add(location)
    create(core, location, **rule_fields)
    refresh(core, location, temperature=35.0)
    (alert_id,) = core.store.alerts.alerts
    return alert_id


def test_delivering_an_alert_posts_it_once_and_marks_it_delivered() -> None:
    core = a_core()
    alert_id = raised_alert(core, webhook_url=HOOK)
    deliver = DeliverAlert(core.uow, core.notifier)
    assert deliver.execute(DeliverAlertCommand(alert_id)).delivered
    assert deliver.execute(DeliverAlertCommand(alert_id)).delivered
    assert [(alert.id, url) for alert, url in core.notifier.delivered] == [(alert_id, HOOK)]
    assert core.store.alerts.alerts[alert_id].delivered


def test_a_failed_delivery_raises_for_a_retry_and_leaves_the_alert_undelivered() -> None:
    core = a_core()
    alert_id = raised_alert(core, webhook_url=HOOK)
    core.notifier.fail()
    with pytest.raises(DeliveryFailed):
        DeliverAlert(core.uow, core.notifier).execute(DeliverAlertCommand(alert_id))
    stored = core.store.alerts.alerts[alert_id]
    assert (stored.delivered, stored.delivery_error) == (False, None)
    core.notifier.recover()
    assert DeliverAlert(core.uow, core.notifier).execute(DeliverAlertCommand(alert_id)).delivered


def test_a_refused_target_is_final_and_the_alert_records_why() -> None:
    core = a_core()
    alert_id = raised_alert(core, webhook_url=HOOK)
    core.notifier.refuse(HOOK, "webhook host hooks.example.com resolves to 127.0.0.1; refused")

    with pytest.raises(DeliveryRefused) as raised:
        DeliverAlert(core.uow, core.notifier).execute(DeliverAlertCommand(alert_id))

    assert not isinstance(raised.value, DeliveryFailed)  # nothing that retries those retries it
    assert len(core.notifier.attempts) == 1
    stored = core.store.alerts.alerts[alert_id]
    assert not stored.delivered
    assert stored.delivery_error == (
        "webhook host hooks.example.com resolves to 127.0.0.1; refused"
    )


def test_a_delivery_that_succeeds_after_a_refusal_clears_its_reason() -> None:
    core = a_core()
    alert_id = raised_alert(core, webhook_url=HOOK)
    core.notifier.refuse(HOOK)
    with pytest.raises(DeliveryRefused):
        DeliverAlert(core.uow, core.notifier).execute(DeliverAlertCommand(alert_id))
    core.notifier.allow(HOOK)
    assert DeliverAlert(core.uow, core.notifier).execute(DeliverAlertCommand(alert_id)).delivered
    stored = core.store.alerts.alerts[alert_id]
    assert (stored.delivered, stored.delivery_error) == (True, None)


def test_an_alert_whose_rule_lost_its_webhook_is_not_delivered() -> None:
    core = a_core()
    alert_id = raised_alert(core)
    result = DeliverAlert(core.uow, core.notifier).execute(DeliverAlertCommand(alert_id))
    assert not result.delivered
    assert core.notifier.delivered == []


def test_delivering_an_unknown_alert_is_not_found() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        DeliverAlert(core.uow, core.notifier).execute(DeliverAlertCommand(uuid.uuid4()))

"""Stop tracking a location; its readings, forecasts, rules and alerts go with it."""

from __future__ import annotations

import uuid

import attrs

from application.events import LocationDeleted
from application.lookups import require_location
from application.message_bus import MessageBus
from application.ports.unit_of_work import UnitOfWork


@attrs.frozen
class DeleteLocationCommand:
    location_id: uuid.UUID


class DeleteLocation:
    def __init__(self, uow: UnitOfWork, bus: MessageBus) -> None:
        self._uow = uow
        self._bus = bus

    def execute(self, command: DeleteLocationCommand) -> None:
        with self._uow as uow:
            require_location(uow, command.location_id)
            uow.alerts.remove_for_location(command.location_id)
            uow.forecasts.remove_for_location(command.location_id)
            uow.observations.remove_for_location(command.location_id)
            uow.locations.remove(command.location_id)
            uow.commit()
        self._bus.publish(LocationDeleted(command.location_id))

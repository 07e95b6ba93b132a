"""What a refresh answers, and the JSON form of each answer: the one shape that tasks store and
the command line prints (no adapter rebuilds it).

- `LocationRefreshed`: one location (``weather.refresh_location``, ``refresh_weather
  --location``).
- `BatchRefreshed | BatchFailed`: one batch (``weather.refresh_batch``): stored, or no provider
  could serve it. A failed batch is an outcome, not an error, so that one bad batch does not sink
  the others of a refresh-all.
- `RefreshSummary`: a refresh-all, summed over its batches in batch order (``weather.refresh_all``
  and ``refresh_weather --sync`` alike).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import assert_never

import attrs

from domain.errors import InvalidInput, ProviderUnavailable

JSON = dict[str, object]


def _ids(values: Iterable[uuid.UUID]) -> list[str]:
    return [str(value) for value in values]


@attrs.frozen(kw_only=True)
class LocationRefreshed:
    location_id: uuid.UUID
    provider: str
    """The provider that answered."""
    observations_stored: int
    """Readings that were news to the storage (0 when the provider repeated the stored one)."""

    def to_json(self) -> JSON:
        return {
            "location_id": str(self.location_id),
            "provider": self.provider,
            "observations_stored": self.observations_stored,
        }


@attrs.frozen(kw_only=True)
class BatchRefreshed:
    provider: str
    """The provider that answered."""
    location_ids: tuple[uuid.UUID, ...]
    """The locations refreshed: those of the batch still stored as they were fetched, in order."""
    observations_stored: int

    def to_json(self) -> JSON:
        return {
            "provider": self.provider,
            "location_ids": _ids(self.location_ids),
            "observations_stored": self.observations_stored,
            "failed_location_ids": [],
        }


@attrs.frozen(kw_only=True)
class BatchFailed:
    location_ids: tuple[uuid.UUID, ...]
    """The batch's locations, none of them refreshed."""
    failure: ProviderUnavailable = attrs.field(eq=False)
    """Why: usually `AllProvidersUnavailable`, naming each provider's reason."""

    def to_json(self) -> JSON:
        return {
            "failed_location_ids": _ids(self.location_ids),
            "error": str(self.failure),
            "provider": self.failure.provider,
            "reason": self.failure.reason,
        }


BatchOutcome = BatchRefreshed | BatchFailed


def batch_outcome_from_json(data: Mapping[str, object]) -> BatchOutcome:
    """The outcome whose `to_json` gave `data` (the failure comes back as a
    `ProviderUnavailable` with the same provider, reason and text)."""
    try:
        if "error" in data:
            return BatchFailed(
                location_ids=_uuids(data["failed_location_ids"]),
                failure=ProviderUnavailable(str(data["provider"]), str(data["reason"])),
            )
        count = data["observations_stored"]
        if not isinstance(count, int):
            raise TypeError(f"observations_stored is {count!r}")
        return BatchRefreshed(
            provider=str(data["provider"]),
            location_ids=_uuids(data["location_ids"]),
            observations_stored=count,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(
            "batch", "is not the outcome of a batch ({error!r}).", error=error
        ) from None


def _uuids(values: object) -> tuple[uuid.UUID, ...]:
    if not isinstance(values, list):
        raise TypeError(f"{values!r} is not a list of ids")
    return tuple(uuid.UUID(str(value)) for value in values)


@attrs.frozen(kw_only=True)
class RefreshSummary:
    locations_refreshed: int
    observations_stored: int
    batches: int
    providers: tuple[str, ...]
    """The provider that answered each stored batch, in batch order."""
    failed_location_ids: tuple[uuid.UUID, ...]
    """The locations of the batches no provider could serve."""

    @classmethod
    def of(cls, outcomes: Sequence[BatchOutcome]) -> RefreshSummary:
        refreshed: list[uuid.UUID] = []
        failed: list[uuid.UUID] = []
        providers: list[str] = []
        stored = 0
        for outcome in outcomes:
            match outcome:
                case BatchRefreshed():
                    refreshed.extend(outcome.location_ids)
                    providers.append(outcome.provider)
                    stored += outcome.observations_stored
                case BatchFailed():
                    failed.extend(outcome.location_ids)
                case _:
                    assert_never(outcome)
        return cls(
            locations_refreshed=len(refreshed),
            observations_stored=stored,
            batches=len(outcomes),
            providers=tuple(providers),
            failed_location_ids=tuple(failed),
        )

    def to_json(self) -> JSON:
        return {
            "locations_refreshed": self.locations_refreshed,
            "observations_stored": self.observations_stored,
            "batches": self.batches,
            "providers": list(self.providers),
            "failed_location_ids": _ids(self.failed_location_ids),
        }

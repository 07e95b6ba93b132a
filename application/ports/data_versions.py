"""The `DataVersions` port: a stamp of the stored data that the hottest public reads show.

The core never asks it; a driving adapter does, to keep what it derives from those reads (the
REST adapter's rendered answers, `adapters/rest/representations.py`) exactly as long as the
data is what it was, like the `Clock` the controllers read for the freshness they announce.
"""

from __future__ import annotations

from typing import Protocol


class DataVersions(Protocol):
    def stamp(self) -> str | None:
        """A value that changes whenever a location or a location's latest reading is added,
        changed or removed through a unit of work of this storage, as soon as the change is
        visible (and again once it commits); `None` when this storage cannot tell, in which
        case nothing derived from those reads may be kept."""
        ...

"""The real `Clock`: the system's time, always as an aware UTC datetime."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

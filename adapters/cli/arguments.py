"""Argument types shared by the commands: a bad value is an argparse error (one line, exit 2)."""

from __future__ import annotations

import argparse
import uuid
from datetime import date


def location_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a location id (a UUID)") from None


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None

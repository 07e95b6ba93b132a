"""Acquire and release a `RunLock` (see `models.py` for why it lives in the database)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from adapters.tasks.models import RunLock


def acquire(name: str, holder: str, ttl: timedelta) -> str | None:
    """Take the lock for `holder` and return None, or return the id of the run holding it.

    Re-entrant for the same holder: a redelivered task (same id) takes its own lock again.
    An expired lock is taken over.
    """
    now = timezone.now()
    with transaction.atomic():
        RunLock.objects.filter(name=name, expires_at__lte=now).exclude(holder=holder).delete()
        lock, created = RunLock.objects.get_or_create(
            name=name, defaults={"holder": holder, "acquired_at": now, "expires_at": now + ttl}
        )
        if not created and lock.holder != holder:
            return lock.holder
        if not created:
            RunLock.objects.filter(name=name, holder=holder).update(expires_at=now + ttl)
    return None


def release(name: str, holder: str) -> None:
    RunLock.objects.filter(name=name, holder=holder).delete()

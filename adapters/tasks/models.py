"""`RunLock`: at most one run of a named task at a time, across every worker and machine.

Kept in the database because it is the one store every process of every deployment shares: the
default cache is per-process local memory, so a cache lock would not see the other worker. A
lock expires on its own, so a worker killed in the middle of a run blocks the next ones only until
`expires_at`, never for ever.
"""

from __future__ import annotations

from django.db import models


class RunLock(models.Model):
    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=255, help_text="the task id of the run holding it")
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "task run lock"

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S}"

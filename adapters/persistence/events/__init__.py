"""The live events at rest: the outbox the unit of work writes, the log the streams read, and
the wake-ups that tell a waiting stream to read it (``application/ports/event_log.py``).

- ``outbox.py``: `Outbox`, the unit of work's writer: the events its commit collects become rows
  of ``weather_event`` in the same transaction, with ids in commit order (the reasons are there).
- ``log.py``: `DjangoEventLog`, the `EventLog` port: reads after an id, and the retention purge.
- ``wakeups.py``: the `EventWakeups` port: PostgreSQL's ``LISTEN`` on one connection per process,
  or a short shared poll of the newest id on SQLite; `event_wakeups_for` picks by database.
- ``hub.py``: `WakeupHub`, the streams of a process waiting in their asyncio loops, woken from
  the wake-ups' thread.

Nothing here is imported by the repositories or the cache: events are the unit of work's.
"""

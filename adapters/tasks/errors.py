"""`TaskFailed`: how a task's failure is stored, so that anyone can read it back.

Results are JSON, and Celery rebuilds a stored exception by calling its class with the stored
arguments. The core's errors take structured arguments (`AllProvidersUnavailable(failures)`), so
they would come back garbled; a task therefore re-raises them as `TaskFailed`, whose one argument
is the readable text ("AllProvidersUnavailable: open-meteo is unavailable: timed out").
"""

from __future__ import annotations


class TaskFailed(Exception):
    """A task gave up; the message names the original error and says why."""

    @classmethod
    def from_error(cls, error: BaseException) -> TaskFailed:
        text = str(error)
        return cls(f"{type(error).__name__}: {text}" if text else type(error).__name__)

"""`Session`: the repositories' one way into the database, and the unit of work's transaction.

Every storage operation of a repository runs inside ``session.access()``, which translates
database errors into the domain's and, when a unit of work is open, first opens its transaction.
So the transaction starts when the unit of work first needs the database, not when it is
entered: a unit of work answered entirely by the cache costs no round trip at all (no connection
health check, no BEGIN, no ROLLBACK), and all of one that does reach the database still runs in
one transaction. A session with no unit of work open (a repository on its own) runs each
operation in autocommit, as Django does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import TracebackType

from django.db import transaction

from adapters.persistence.errors import translated_database_errors


class Session:
    def __init__(self, using: str = "default") -> None:
        self.using = using
        self._in_unit_of_work = False
        self._atomic: transaction.Atomic | None = None

    @contextlib.contextmanager
    def access(self) -> Iterator[None]:
        """One storage operation: in the unit of work's transaction, errors translated."""
        with translated_database_errors():
            self.ensure_transaction()
            yield

    def ensure_transaction(self) -> None:
        """Open the unit of work's transaction now, if it is open and this has not been done.

        Also for what must be tied to the transaction before it touches the database, such as
        `transaction.on_commit` callbacks (outside a transaction they would run at once)."""
        if self._in_unit_of_work and self._atomic is None:
            with translated_database_errors():
                atomic = transaction.atomic(using=self.using)
                atomic.__enter__()
            self._atomic = atomic

    def begin(self) -> None:
        """A unit of work starts: its transaction opens at its first storage operation."""
        self._in_unit_of_work = True

    def end(
        self,
        *,
        commit: bool,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        """Close the transaction, if one was opened: committed, or rolled back."""
        atomic, self._atomic = self._atomic, None
        self._in_unit_of_work = False
        if atomic is None:
            return
        if not commit:
            transaction.set_rollback(True, using=self.using)
        atomic.__exit__(exc_type, exc, traceback)

"""Database errors, translated into the domain's: no ``IntegrityError`` ever reaches a use case.

Unique and foreign-key violations mean the request collides with stored state (``Conflict``);
check violations and out-of-range values mean a value the database refuses (``InvalidInput``); a
lost or refused connection is ``StorageUnavailable``. Programming errors are left alone: they are
bugs. SQLite and PostgreSQL word these differently, so both the SQLSTATE code (PostgreSQL) and the
message (SQLite) are read.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.db import DataError, IntegrityError, InterfaceError, OperationalError

from domain.errors import Conflict, InvalidInput, StorageUnavailable

logger = logging.getLogger(__name__)

_UNIQUE = ("23505", "UNIQUE constraint failed")
_FOREIGN_KEY = ("23503", "FOREIGN KEY constraint failed")
_CHECK = ("23514", "CHECK constraint failed")


def _matches(error: IntegrityError, signature: tuple[str, str]) -> bool:
    code, sqlite_text = signature
    return getattr(error.__cause__, "pgcode", None) == code or sqlite_text in str(error)


def _constraint(error: IntegrityError) -> str:
    diag = getattr(error.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    return str(error).rsplit(":", 1)[-1].strip() or "a constraint"


@contextlib.contextmanager
def translated_database_errors() -> Iterator[None]:
    """Run a storage operation, re-raising database errors as domain errors."""
    try:
        yield
    except IntegrityError as error:
        if _matches(error, _UNIQUE):
            raise Conflict(
                "Stored data already holds this ({constraint}).", constraint=_constraint(error)
            ) from error
        if _matches(error, _FOREIGN_KEY):
            raise Conflict(
                "A referenced record does not exist ({constraint}).",
                constraint=_constraint(error),
            ) from error
        if _matches(error, _CHECK):
            raise InvalidInput(_constraint(error), "is refused by the database.") from error
        raise Conflict("The change breaks a rule of the stored data.") from error
    except (OperationalError, InterfaceError) as error:
        logger.warning("storage unavailable: %s", error)
        raise StorageUnavailable("The database cannot be reached right now.") from error
    except DataError as error:
        raise InvalidInput("value", "does not fit the stored column.") from error

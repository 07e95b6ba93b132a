"""What every management command of ours shares: how it fails, in one place.

A mistake is one line on stderr, shaped like argparse's own errors, whatever found it: the parser
(a bad or missing value), the command itself (`CommandError`) or the core (a domain error).

    manage.py backfill_history: error: argument --start: '2026-13-01' is not a date (YYYY-MM-DD)
    manage.py backfill_history: error: argument --end: must not be after today (2026-11-24, UTC).
    manage.py add_location: error: No place matches 'Atlantis'.

So the shape is ``<prog>: error: <message>`` for every error, never Django's
``CommandError: <message>``, and the usage is printed only on ``--help``: Django's
`CommandParser` prints the whole usage before argparse's error line when run from a shell.

Exit codes: **2** when the user's input is wrong — a bad value, anything not found, a conflict with
what is stored, a date in the future, a change the user may not make (`InvalidInput`, `NotFound`,
`Conflict`, `Forbidden`, or a `CommandError` raised with ``returncode=2``); **1** only when the
system fails — a provider or the storage is unavailable (`ProviderUnavailable`,
`StorageUnavailable`). Commands raise and never catch these; the translation happens here, so no
two commands can disagree.

Through `call_command` nothing is printed and nothing exits: every failure is raised as a
`CommandError` with the same one-line message and the same exit code in ``returncode``, so a
test (or a caller) sees what a person at a terminal would.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser, SystemCheckError
from django.db import DatabaseError

from application.ports.rate_budget import RefreshDeferred
from domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

USER_ERROR = 2
"""The input is wrong: the same command, run again as it is, fails again."""
SYSTEM_ERROR = 1
"""Something the command depends on failed: running it again later may work."""


def exit_code(error: DomainError) -> int:
    user_errors = InvalidInput | NotFound | Conflict | Forbidden
    return USER_ERROR if isinstance(error, user_errors) else SYSTEM_ERROR


def one_line(message: str) -> str:
    return " ".join(message.split())


class OneLineErrorParser(CommandParser):
    """Django's parser, failing with one line and exit code 2 instead of usage plus error."""

    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            self.exit(USER_ERROR, f"{self.prog}: error: {one_line(message)}\n")
        raise CommandError(one_line(message), returncode=USER_ERROR)


class CliCommand(BaseCommand):
    """The base of every command in ``adapters/cli``: subclasses write `add_arguments` and
    `handle` as usual, and let errors fly."""

    _prog = ""
    _argument_names: Mapping[str, str] = MappingProxyType({})  # set by `create_parser`

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds its `CommandParser` itself, with no hook for another class; re-classing
        # the finished parser keeps every base option (--verbosity, --traceback...) it added.
        parser.__class__ = OneLineErrorParser
        self._prog = parser.prog
        self._argument_names = {action.dest: _argument_name(action) for action in parser._actions}
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            try:
                return super().execute(*args, **options)
            except DomainError as error:
                raise CommandError(self._describe(error), returncode=exit_code(error)) from error
            except RefreshDeferred as error:
                # Not a failure: the provider's call budget is spent for now (decision 0024).
                raise CommandError(
                    f"{error}; nothing was asked, try again in {error.retry_after_seconds:.0f} s",
                    returncode=SYSTEM_ERROR,
                ) from error
            except DatabaseError as error:
                # Met outside the repositories (which translate it): Django's own models, such
                # as the users of create_superuser_from_env, on a database not migrated or down.
                raise CommandError(
                    f"the database cannot be used ({one_line(str(error))}); is it running and "
                    "migrated (make migrate)?",
                    returncode=SYSTEM_ERROR,
                ) from error
        except SystemCheckError:
            raise  # Django formats the system checks' report itself (several lines, by nature)
        except CommandError as error:
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"{self._prog}: error: {one_line(str(error))}")
            sys.exit(error.returncode)

    def _describe(self, error: DomainError) -> str:
        """A domain error about one of this command's arguments names it as argparse would
        (``argument --end: must not be after today``); others keep their own message."""
        if isinstance(error, InvalidInput) and error.field in self._argument_names:
            return one_line(f"argument {self._argument_names[error.field]}: {error.reason}")
        return one_line(error.message)


def _argument_name(action: argparse.Action) -> str:
    """As argparse names an argument in its errors: ``--start``, or a positional's metavar."""
    if action.option_strings:
        return "/".join(action.option_strings)
    return str(action.metavar or action.dest)

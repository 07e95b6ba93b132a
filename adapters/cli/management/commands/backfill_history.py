"""``backfill_history --location ID --start YYYY-MM-DD --end YYYY-MM-DD``: fill a location's
history from the archive API, inline, with a progress bar on a terminal and plain lines otherwise
(logs and CI keep one readable line per chunk instead of carriage-return noise)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO, cast

from dependency_injector.wiring import Provide, inject
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from adapters.cli.arguments import iso_date, location_id
from application.use_cases.backfill_history import (
    BackfillHistory,
    BackfillHistoryCommand,
    BackfillHistoryResult,
    ProgressCallback,
)
from domain.errors import InvalidInput, NotFound, ProviderUnavailable


class Command(BaseCommand):
    help = "Fetch a location's past observations from the archive API (both dates included)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--location", type=location_id, required=True, help="location id")
        parser.add_argument("--start", type=iso_date, required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", type=iso_date, required=True, help="last day, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        command = BackfillHistoryCommand(
            location_id=options["location"], start=options["start"], end=options["end"]
        )
        bar: Any = None  # a tqdm bar on a terminal
        if self.stdout.isatty():
            total = (command.end - command.start).days + 1
            terminal = cast(TextIO, self.stdout._out)  # the real stream behind OutputWrapper
            bar = tqdm(total=total, unit="day", desc="backfill", file=terminal)
        try:
            result = backfill(command, self._progress(bar))
        except (NotFound, InvalidInput) as error:
            raise CommandError(error.message, returncode=2) from None
        except ProviderUnavailable as error:
            raise CommandError(str(error), returncode=1) from None
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            f"Stored {result.observations_stored} observations over {result.days} days "
            f"from {result.provider} for location {result.location_id}."
        )

    def _progress(self, bar: Any) -> ProgressCallback:
        def on_progress(done: int, total: int) -> None:
            if bar is not None:
                bar.update(done - bar.n)
            else:
                self.stdout.write(f"backfill: {done}/{total} days")

        return on_progress


@inject
def backfill(
    command: BackfillHistoryCommand,
    on_progress: Callable[[int, int], None],
    use_case: BackfillHistory = Provide["backfill_history"],
) -> BackfillHistoryResult:
    return use_case.execute(command, on_progress=on_progress)

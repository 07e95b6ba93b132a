"""``backfill_history --location ID --start YYYY-MM-DD --end YYYY-MM-DD``: fill a location's
history from the archive API, inline. The dates are the location's local dates, as those of its
daily summaries: each day is filled from its local midnight to the next (23 or 25 hours when the
clocks change), and a day is reported once all of it is stored.

On a terminal, a progress bar that advances as each day is stored; log lines written meanwhile go
through tqdm (`logging_redirect_tqdm`), which clears the bar, prints the line and redraws the bar
below it, so neither breaks the other. Off a terminal (logs, CI, a pipe), one plain line per stored
day instead of carriage-return noise. Dates after the location's today are refused by the use
case before the provider is asked anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

from dependency_injector.wiring import Provide, inject
from django.core.management.base import CommandParser
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from adapters.cli.arguments import iso_date, location_id
from adapters.cli.base_command import CliCommand
from application.use_cases.backfill_history import (
    BackfillHistory,
    BackfillHistoryCommand,
    BackfillHistoryResult,
    BackfillProgress,
    ProgressCallback,
)


class Command(CliCommand):
    help = (
        "Fetch a location's past observations from the archive API, by its local days (both "
        "dates included, none after today at the location, at most 366 days)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--location", type=location_id, required=True, help="location id")
        parser.add_argument(
            "--start", type=iso_date, required=True, help="first local day, YYYY-MM-DD"
        )
        parser.add_argument(
            "--end", type=iso_date, required=True, help="last local day, YYYY-MM-DD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        command = BackfillHistoryCommand(
            location_id=options["location"], start=options["start"], end=options["end"]
        )
        if self.stdout.isatty():
            with self._progress_bar(command) as on_progress:
                result = backfill(command, on_progress)
        else:
            result = backfill(command, self._plain_line)
        self.stdout.write(
            f"Stored {result.observations_stored} observations over {result.days} days "
            f"from {result.provider} for location {result.location_id}."
        )

    def _plain_line(self, progress: BackfillProgress) -> None:
        self.stdout.write(
            f"backfill: {progress.days_done}/{progress.days_total} days, {progress.day} stored "
            f"({progress.observations_stored} observations so far)"
        )

    @contextmanager
    def _progress_bar(self, command: BackfillHistoryCommand) -> Iterator[ProgressCallback]:
        terminal = cast(TextIO, self.stdout._out)  # the real stream behind Django's OutputWrapper
        total = max((command.end - command.start).days + 1, 0)
        # Redrawn on every stored day (tqdm's default waits 0.1 s between draws, and the days of
        # one fetched chunk are stored faster than that: the bar would jump a month at a time).
        bar = tqdm(
            total=total,
            unit="day",
            desc="backfill",
            file=terminal,
            dynamic_ncols=True,
            mininterval=0,
            miniters=1,
        )

        def advance(progress: BackfillProgress) -> None:
            bar.set_postfix_str(
                f"{progress.day.isoformat()}, {progress.observations_stored} obs.", refresh=False
            )
            bar.update(progress.days_done - bar.n)

        try:
            with logging_redirect_tqdm():
                yield advance
        except BaseException:
            # A refusal before the first day (a date in the future, an unknown location) leaves
            # no empty bar above its one-line error; a failure later keeps the bar where it
            # stopped, which says how far the backfill got.
            bar.leave = bar.n > 0
            raise
        finally:
            bar.close()


@inject
def backfill(
    command: BackfillHistoryCommand,
    on_progress: ProgressCallback,
    use_case: BackfillHistory = Provide["backfill_history"],
) -> BackfillHistoryResult:
    return use_case.execute(command, on_progress=on_progress)

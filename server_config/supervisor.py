"""``make run``'s supervisor: the processes of ``Procfile.dev`` in the foreground, one log stream.

``python -m server_config.supervisor [Procfile.dev]``. honcho runs the processes, each in a
session of its own, and on SIGINT or SIGTERM sends SIGTERM to every one of those sessions (so
the runserver reloader's child and the Celery pool go too), then SIGKILL to what is left
5 seconds after the first one stopped. ``make run`` starts this module with ``exec``, so that a
SIGTERM sent to ``make`` alone (an IDE's stop button, ``timeout``, a process manager) reaches it:
``make`` forwards SIGTERM to its child, and without ``exec`` that child would be a shell that
dies and leaves everything running.

What it adds to ``honcho start``: the lines come out in ``LOG_FORMAT``. On the console, a
process's name and then its line as it wrote it (the line's own timestamp, no second one); in
JSON, every line is a JSON object: the processes' own log records get a ``process`` field, and
whatever else they print (the runserver banner, Celery's) is wrapped into a record, as are the
supervisor's own messages. Settings are loaded first, so a configuration error stops ``make run``
with one line before anything starts.

Metrics from every process (prometheus-client's multiprocess mode): unless the environment names
another, the supervisor gives its processes ``var/metrics`` as ``PROMETHEUS_MULTIPROC_DIR``, emptied
before they start; ``Procfile.dev`` gives the worker, which empties its own folder when it starts,
the folder ``worker`` inside it. The web's ``/metrics`` reads both
(``docs/decisions/0021-metrics-from-every-process.md``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from honcho.environ import parse_procfile
from honcho.manager import SYSTEM_PRINTER_NAME, Manager
from honcho.printer import Message

from server_config.log_format import ConsoleFormatter, UtcJsonFormatter
from server_config.startup import load_settings_or_exit

SUPERVISOR_NAME = "supervisor"
DEFAULT_PROCFILE = Path(__file__).resolve().parent.parent / "Procfile.dev"
DEFAULT_METRICS_FOLDER = Path(__file__).resolve().parent.parent / "var" / "metrics"


class ConsolePrinter:
    """``name | line``, the name coloured on a terminal. A process's line is left as it wrote it
    (a log record carries its own timestamp); the supervisor's own lines get the log layout."""

    def __init__(self, output: TextIO) -> None:
        self.output = output
        self.width = 0  # honcho's Manager sets it to the longest process name
        self._formatter = ConsoleFormatter()
        self._colour = output.isatty()

    def write(self, message: Message) -> None:
        own = message.name == SYSTEM_PRINTER_NAME
        name = SUPERVISOR_NAME if own else message.name
        for line in _text(message.data).splitlines():
            text = self._formatter.format(_own_record(line)) if own else line
            prefix = f"{name.ljust(self.width)} | "
            if self._colour and message.colour:
                prefix = f"\033[0m\033[{message.colour}m{prefix}\033[0m"
            print(prefix + text, file=self.output, flush=True)


class JsonPrinter:
    """One JSON object per line, whoever wrote it, each naming its ``process``."""

    def __init__(self, output: TextIO) -> None:
        self.output = output
        self.width = 0
        self._formatter = UtcJsonFormatter()

    def write(self, message: Message) -> None:
        own = message.name == SYSTEM_PRINTER_NAME
        name = SUPERVISOR_NAME if own else message.name
        for line in _text(message.data).splitlines():
            record = None if own else _parsed_record(line)
            if record is None:
                if not line.strip():
                    continue
                # The supervisor's message, or a process's plain print: made a record of.
                record = json.loads(self._formatter.format(_own_record(line.rstrip(), name)))
            record.setdefault("process", name)
            print(json.dumps(record, ensure_ascii=False), file=self.output, flush=True)


def _own_record(line: str, logger: str = SUPERVISOR_NAME) -> logging.LogRecord:
    return logging.makeLogRecord(
        {"name": logger, "levelname": "INFO", "levelno": logging.INFO, "msg": line}
    )


def _text(data: Any) -> str:
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)


def _parsed_record(line: str) -> dict[str, Any] | None:
    if not line.startswith("{"):
        return None
    try:
        parsed = json.loads(line)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def supervise(procfile: Path, output: TextIO = sys.stdout) -> int:
    """Run every process of `procfile` until one stops or a signal comes; their return code."""
    load_settings_or_exit()
    from django.conf import settings

    from adapters.metrics.multiprocess import empty_folder

    metrics_folder = Path(settings.PROMETHEUS_MULTIPROC_DIR or DEFAULT_METRICS_FOLDER)
    empty_folder(metrics_folder)
    # For the processes (honcho copies the environment when a process is added): prometheus-client
    # reads it from there.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_folder)
    printer = JsonPrinter(output) if settings.LOG_FORMAT == "json" else ConsolePrinter(output)
    manager = Manager(printer=printer)
    for name, command in parse_procfile(procfile.read_text()).processes.items():
        manager.add_process(name, command)
    printer.width = max(printer.width, len(SUPERVISOR_NAME))
    manager.loop()
    return int(manager.returncode or 0)


def main(argv: list[str]) -> int:
    procfile = Path(argv[1]) if len(argv) > 1 else DEFAULT_PROCFILE
    if not procfile.is_file():
        print(f"supervisor: error: no Procfile at {procfile}", file=sys.stderr)
        return 2
    return supervise(procfile)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

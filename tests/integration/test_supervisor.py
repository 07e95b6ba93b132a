"""make run's supervisor prints every process's lines in LOG_FORMAT (the whole run is covered by
test_make_run.py; these pin what each kind of line becomes)."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

import pytest
from honcho.manager import SYSTEM_PRINTER_NAME
from honcho.printer import Message

from server_config.supervisor import ConsolePrinter, JsonPrinter, main


def a_message(name: str, data: str) -> Message:
    return Message(type="line", data=data.encode(), time=datetime.now(), name=name, colour=None)


def test_json_printer_keeps_records_wraps_plain_lines_and_its_own() -> None:
    output = io.StringIO()
    printer = JsonPrinter(output)
    record = {"time": "2026-12-01T10:00:00.000Z", "level": "INFO", "logger": "x", "message": "m"}

    printer.write(a_message("web", json.dumps(record) + "\n"))
    printer.write(a_message("web", "Starting development server at http://0.0.0.0:8000/\n\n"))
    printer.write(a_message(SYSTEM_PRINTER_NAME, "web started (pid=42)\n"))

    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    assert lines[0] == {**record, "process": "web"}
    assert lines[1]["message"] == "Starting development server at http://0.0.0.0:8000/"
    assert (lines[1]["logger"], lines[1]["process"], lines[1]["level"]) == ("web", "web", "INFO")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", lines[1]["time"])
    assert (lines[2]["logger"], lines[2]["process"]) == ("supervisor", "supervisor")
    assert lines[2]["message"] == "web started (pid=42)"
    assert len(lines) == 3, "blank lines are dropped"


def test_console_printer_prefixes_the_name_and_adds_no_second_timestamp() -> None:
    output = io.StringIO()
    printer = ConsolePrinter(output)
    printer.width = len("supervisor")

    printer.write(a_message("web", "2026-12-01 10:00:00,000 INFO    [-] django.server: GET /\n"))
    printer.write(a_message(SYSTEM_PRINTER_NAME, "SIGTERM received\n"))

    web, own = output.getvalue().splitlines()
    assert web == "web        | 2026-12-01 10:00:00,000 INFO    [-] django.server: GET /"
    assert own.startswith("supervisor | ")
    assert own.endswith(" INFO    [-] supervisor: SIGTERM received")
    assert len(re.findall(r"\d\d:\d\d:\d\d", own)) == 1


def test_a_missing_procfile_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["supervisor", "/nonexistent/Procfile"]) == 2

    assert capsys.readouterr().err == "supervisor: error: no Procfile at /nonexistent/Procfile\n"

"""The benchmark's writer, a process of its own as a Celery worker or ``manage.py`` would be:
``python -m benchmarks.events.child COUNT PAUSE`` registers COUNT locations, PAUSE seconds
apart, each in its own unit of work, and prints ``<location id> <commit instant>`` after each
commit (the instant as ``time.time()``, which the streams' side compares with its own)."""

from __future__ import annotations

import sys
import time

import django


def main(count: int, pause: float) -> None:
    django.setup()
    from application.use_cases.register_location import RegisterLocationCommand
    from server_config.container import container

    register = container.register_location()
    for index in range(count):
        command = RegisterLocationCommand(
            name=f"Bench {index:04d}", latitude=-60.0 + index * 0.05, longitude=30.0
        )
        location = register.execute(command)
        print(f"{location.id} {time.time():.6f}", flush=True)
        time.sleep(pause)


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))

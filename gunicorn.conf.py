"""gunicorn's configuration file, which gunicorn reads from its working directory (the repository
root, `/app` in the image). Hooks only: the command line (Dockerfile, compose files) says where to
bind and how many workers.

The master process checks what every worker would otherwise find out on its own, at boot: a
configuration error (a missing secret, a malformed variable) and static files that were never
collected. Found by a worker, the first made gunicorn respawn workers for ever; the second made
every dashboard and admin page answer 500 until the workers restarted after `collectstatic`.
Found here, gunicorn exits at once with one line saying what to do.
"""

from __future__ import annotations

from typing import Any

from server_config.startup import load_settings_or_exit, static_files_collected_or_exit


def on_starting(server: Any) -> None:
    load_settings_or_exit()
    static_files_collected_or_exit()

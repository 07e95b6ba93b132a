"""An operator in the admin, outside the worker: ``python -m tests.integration.tasks.admin_driver
<days> <timeout>`` with the test's environment (its own database and broker). It registers two
locations, signs in as a superuser, runs "Refresh now" and then "Backfill the last <days> days"
on both through the admin's pages (HTTP, with Django's test client), reads the task ids the
admin's messages give, and waits for each through the `TaskQueue` port; it prints one JSON
document.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import django

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LOCATIONS = "/admin/weather/location/"


def main(days: str, timeout: str) -> object:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.messages import get_messages
    from django.test import Client
    from django.test.utils import setup_test_environment

    from server_config.container import container
    from tests.integration.tasks.driver import add_locations, stored, wait

    setup_test_environment()  # the test client's host, "testserver", is allowed
    location_ids = add_locations(container, 2)
    operator = get_user_model()._default_manager.create_superuser("operator", password="x" * 20)
    browser = Client()
    browser.force_login(operator)
    selected = [str(location_id) for location_id in location_ids]

    seen: list[str] = []

    def act(action: str, **fields: str) -> list[str]:
        """The messages the action added (the list it redirects to was never shown, so the
        earlier ones are still pending in the client's cookie)."""
        data = {"action": action, "_selected_action": selected, **fields}
        response: Any = browser.post(LOCATIONS, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        said = [str(message) for message in get_messages(response.wsgi_request)]
        new = [message for message in said if message not in seen]
        seen.extend(new)
        return new

    refreshed = act("refresh_now")
    backfilled = act("backfill_recent_days", days=days, apply="1")
    tasks = container.task_queue()

    def outcomes(said: list[str]) -> list[dict[str, object]]:
        ids = [found for message in said for found in UUID.findall(message)]
        task_ids = [found for found in ids if found not in selected]
        return [wait(tasks, task_id, float(timeout)) for task_id in task_ids]

    return {
        "location_ids": selected,
        "refresh_messages": refreshed,
        "backfill_messages": backfilled,
        "refreshes": outcomes(refreshed),
        "backfills": outcomes(backfilled),
        "stored": stored(location_ids),
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))

"""User accounts in a test database, for rows that need one: an alert rule's owner and a
location's creator are foreign keys to the user table.

The core names an account by its primary key as text (`tests.support.builders.OWNER`); `an_account`
makes the user that such an id names, in the database under test, and `the_builders_accounts`
makes the two the builders use.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from tests.support.builders import OTHER_OWNER, OWNER


def an_account(
    username: str, *, alias: str = "default", account_id: str | None = None, **fields: Any
) -> Any:
    """A user in `alias`; with `account_id`, under that primary key (the id a rule names)."""
    users = get_user_model()._default_manager.db_manager(alias)
    if account_id is not None:
        fields["pk"] = int(account_id)
    return users.create_user(username, **fields)


def the_builders_accounts(alias: str = "default") -> None:
    """The accounts of `OWNER` and `OTHER_OWNER` (the builders' rules), in `alias`."""
    for username, account_id in (("owner", OWNER), ("other-owner", OTHER_OWNER)):
        an_account(username, alias=alias, account_id=account_id)

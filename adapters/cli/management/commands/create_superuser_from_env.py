"""``create_superuser_from_env``: a superuser from DJANGO_SUPERUSER_* variables, never a default.

Idempotent, so a container can run it on every start: an existing username is left alone. Without
the variables it refuses (exit 2), or with ``--if-configured`` quietly does nothing, which is what a
deployment that manages its admins some other way wants.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from adapters.cli.base_command import USER_ERROR, CliCommand

VARIABLES = ("DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_EMAIL", "DJANGO_SUPERUSER_PASSWORD")


class Command(CliCommand):
    help = "Create a superuser from DJANGO_SUPERUSER_USERNAME, _EMAIL and _PASSWORD (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-configured",
            action="store_true",
            help="do nothing (exit 0) when the variables are not set",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        values = {name: getattr(settings, name) for name in VARIABLES}
        missing = [name for name, value in values.items() if not value]
        if missing:
            if options["if_configured"]:
                self.stdout.write("No superuser configured (DJANGO_SUPERUSER_* unset); skipped.")
                return
            raise CommandError(f"missing {', '.join(missing)}", returncode=USER_ERROR)

        username = values["DJANGO_SUPERUSER_USERNAME"]
        user_model = get_user_model()
        if user_model._default_manager.filter(username=username).exists():
            self.stdout.write(f"Superuser {username!r} already exists; left unchanged.")
            return
        candidate = user_model(username=username, email=values["DJANGO_SUPERUSER_EMAIL"])
        try:
            validate_password(values["DJANGO_SUPERUSER_PASSWORD"], user=candidate)
        except ValidationError as error:
            raise CommandError(
                "DJANGO_SUPERUSER_PASSWORD is too weak: " + " ".join(error.messages),
                returncode=USER_ERROR,
            ) from None
        with transaction.atomic():
            user_model._default_manager.create_superuser(
                username=username,
                email=values["DJANGO_SUPERUSER_EMAIL"],
                password=values["DJANGO_SUPERUSER_PASSWORD"],
            )
        self.stdout.write(self.style.SUCCESS(f"Superuser {username!r} created."))

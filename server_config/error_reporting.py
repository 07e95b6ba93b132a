"""Error reporting with sentry-sdk, on only when ``SENTRY_DSN`` is set (docs/decisions/0026).

`start_error_reporting` is called by the settings, so every process that loads them (the web
server, the Celery workers and beat, management commands) reports, as cookiecutter-django does:
uncaught exceptions of a request (Django integration) or a task (Celery integration), and log
records at ERROR and above (logging integration; lower ones become the event's breadcrumbs).
Events go to the DSN's server: sentry.io, a self-hosted Sentry or anything speaking its protocol
(GlitchTip); no DSN, no reporting, and there is no default one.

Each event is tagged with the ids the logs carry, so an event leads to its log lines and back:
``request_id`` (django-guid's, the request's `X-Request-ID`; in a task, the id of the request
that queued it) and ``task_id`` (the Celery task's; the integration's own ``celery_task_id``
says the same). Nothing personal is sent (``send_default_pii=False``): no cookies, no
`Authorization`, no user, no client address; a task's arguments are replaced by a placeholder.
Performance tracing stays off unless ``SENTRY_TRACES_SAMPLE_RATE`` is above 0 (0 would still
build every transaction to throw it away, so it becomes ``None``).
"""

from __future__ import annotations

import logging
from typing import Any

from server_config.environment import ConfigurationError


def start_error_reporting(
    *, dsn: str, environment: str, release: str, traces_sample_rate: float
) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration
    from sentry_sdk.utils import BadDsn, Dsn

    try:
        Dsn(dsn)
    except BadDsn as error:
        raise ConfigurationError(
            f"SENTRY_DSN is not a Sentry DSN ({error}): expected "
            "https://<public key>@<host>/<project id>."
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate or None,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        before_send=tag_with_ids,
    )


def tag_with_ids(event: Any, hint: Any) -> Any:
    """The request id and the task id of the context the event was captured in, as tags."""
    from celery import current_task
    from django_guid import get_guid

    tags = event.setdefault("tags", {})
    request_id = get_guid()
    if request_id:
        tags.setdefault("request_id", request_id)
    task_id = getattr(getattr(current_task, "request", None), "id", None)
    if task_id:
        tags.setdefault("task_id", task_id)
    return event


def reporting_asgi_application(application: Any) -> Any:
    """`application` (the project's ASGI handler) inside sentry-sdk's ASGI middleware when
    reporting is on, as the Django integration puts Django's own handler: each request gets a
    scope of its own, and its events say which request (method, URL, headers without
    credentials). The project's handler replaces Django's ``__call__``
    (``docs/decisions/0025-…``), which the integration patches, so it must be wrapped here."""
    import sentry_sdk

    if not sentry_sdk.get_client().is_active():
        return application
    from sentry_sdk.integrations.asgi import SentryAsgiMiddleware
    from sentry_sdk.integrations.django import DjangoIntegration

    return SentryAsgiMiddleware(
        application, unsafe_context_data=True, span_origin=DjangoIntegration.origin
    )

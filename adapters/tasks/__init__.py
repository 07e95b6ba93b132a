"""Celery tasks and the ``TaskQueue`` port's adapter.

A task resolves its use case from the container, calls it with primitive arguments and returns a
small JSON-able dict; retries and idempotency are declared on the task, not improvised in it.
"""

"""Adapters: the technology around the core.

Driving adapters (``rest``, ``tasks``, ``cli``, ``dashboard``, ``health``) turn HTTP requests,
Celery messages and commands into use case calls; driven adapters (``persistence``, ``providers``,
``notifications``, ``system``, and the task queue of ``tasks``) implement the application's ports.
Each knows the core and never another adapter; the container in ``server_config`` decides which
adapter serves which port. Only what production runs lives here: the tests' fakes of the ports
are in ``tests/support/fakes``.
"""

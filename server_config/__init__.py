"""The composition root: settings, the dependency-injector container, URLs and process entry points.

Only this package knows every piece of the project, and only to wire them together. Nothing in
``domain/``, ``application/`` or ``adapters/`` imports it (import-linter checks this).
"""

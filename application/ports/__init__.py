"""Ports: what the application needs from the outside world, as `typing.Protocol`s.

Adapters satisfy them structurally (no inheritance), and the container's providers are typed with
them, so mypy checks the fit; the tests have a fake for each (`tests/support/fakes`), held to
the same contract suites as the real adapters.
"""

"""Ports: what the application needs from the outside world, as `typing.Protocol`s.

Adapters satisfy them structurally (no inheritance); `adapters.in_memory` has a fake for each.
"""

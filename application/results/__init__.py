"""Result DTOs: what use cases hand back to entry points — plain frozen values, never entities.

Weather results are already expressed in the unit system the caller asked for and carry the
contract's `units` labels, so an adapter only serializes them.
"""

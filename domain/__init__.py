"""The weather domain: what F_BRAIN knows about places, readings, forecasts and alerts.

Nothing here knows it is stored, served or scheduled: only the standard library and attrs may be
imported, so every rule can be exercised in a plain Python process.
"""

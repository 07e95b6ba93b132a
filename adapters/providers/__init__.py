"""Weather providers over HTTP (Open-Meteo forecast, geocoding and archive; MET Norway).

Each client builds the request, calls through one resilient, pooled session, validates the answer's
shape and maps it to domain objects: raw payloads never leave this package.
"""

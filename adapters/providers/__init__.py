"""Weather providers over HTTP (Open-Meteo forecast, geocoding and archive; MET Norway).

Each client builds the request, calls through one resilient, pooled session, validates the answer's
shape and maps it to domain objects: raw payloads never leave this package.

- `http`: retries (urllib3 `Retry`), timeouts, the circuit breaker (pybreaker), call logging and
  Prometheus metrics, and the errors a failed call becomes.
- `payloads`: typed reading of untrusted JSON, failing with the path of the bad value.
- `open_meteo`: `OpenMeteoProvider`, `OpenMeteoGeocoder`, `OpenMeteoArchive`.
- `met_norway`: `MetNorwayProvider` and its symbol-code → WMO table.
- `geonames`: `GeoNamesGeocoder`, offline place search for development (no HTTP at all).

Nothing here imports Django or `server_config`: the container passes plain values in.
"""

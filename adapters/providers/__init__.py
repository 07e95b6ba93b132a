"""Weather providers over HTTP (Open-Meteo forecast, geocoding and archive; MET Norway).

Each client builds the request, calls through one resilient, pooled session, validates the answer's
shape and maps it to domain objects: raw payloads never leave this package.

- `http`: retries (urllib3 `Retry`), timeouts, the circuit breaker (pybreaker), call logging and
  Prometheus metrics, and the errors a failed call becomes.
- `payloads`: typed reading of untrusted JSON, failing with the path of the bad value.
- `query`: how requests spell the core's values (coordinates), the same for every API.
- `open_meteo/`: a module per port (`forecast`: `OpenMeteoProvider`, `geocoding`:
  `OpenMeteoGeocoder`, `archive`: `OpenMeteoArchive`) over the answer reading they share.
- `met_norway/`: `MetNorwayProvider`, its answer reading and its symbol-code → WMO table.
- `geonames`: `GeoNamesGeocoder`, offline place search for development (no HTTP at all).

Nothing here imports Django or `server_config`: the container passes plain values in, and the
clock too. A client that stamps `fetched_at` requires one (the container's `SystemClock`, a fake
in tests) rather than keeping a clock of its own, since adapters may not import one another.
"""

"""MET Norway's Locationforecast 2.0: the fallback `WeatherProvider`, in three rooms.

- `forecast`: `MetNorwayProvider`, the client: MET's terms (User-Agent, `Expires`, conditional
  requests), its cache of answers, and the mapping of time steps to domain objects.
- `timeseries`: reading an answer's `timeseries` into time steps, units checked.
- `symbols`: MET's symbol codes to WMO weather codes and daylight.

The daily forecast is not made here: the client maps each step to the domain's `Sample` and
`domain.aggregation` makes the local days, by the same rule as the stored readings' summaries.
"""

from adapters.providers.met_norway.forecast import MetNorwayProvider

__all__ = ["MetNorwayProvider"]

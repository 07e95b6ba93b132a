"""Open-Meteo: three clients, one per port, over one way of reading its answers.

- `forecast`: `OpenMeteoProvider`, the preferred `WeatherProvider` (current, hourly and daily in
  one call, up to 100 locations per request).
- `geocoding`: `OpenMeteoGeocoder`, the `Geocoder` (place search).
- `archive`: `OpenMeteoArchive`, the `HistoryProvider` (hourly readings of past days, the
  location's local calendar days).
- `series`: reading an answer shared by the forecast and the archive: the answer's time zone,
  its instants and local dates, its blocks of parallel arrays with their units checked.
- `variables`: what the requests ask for (each series: API name, domain field, unit, reader)
  and the parameters every request shares (units, time format, API key).

The clients import `series` and `variables`, never one another: a change to the archive cannot
break the forecast. Each client is importable from here.
"""

from adapters.providers.open_meteo.archive import OpenMeteoArchive
from adapters.providers.open_meteo.forecast import OpenMeteoProvider
from adapters.providers.open_meteo.geocoding import OpenMeteoGeocoder

__all__ = ["OpenMeteoArchive", "OpenMeteoGeocoder", "OpenMeteoProvider"]

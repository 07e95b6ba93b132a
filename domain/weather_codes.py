"""The WMO 4677 weather interpretation codes used by Open-Meteo, and their English wording.

Providers that speak another vocabulary (MET Norway's symbol codes) translate into these codes in
their adapter, so every reading the core holds describes the sky the same way.
"""

from __future__ import annotations

from types import MappingProxyType

CONDITIONS = MappingProxyType(
    {
        0: "Clear sky",
        1: "Mainly clear",
        2: "Partly cloudy",
        3: "Overcast",
        45: "Fog",
        48: "Depositing rime fog",
        51: "Light drizzle",
        53: "Moderate drizzle",
        55: "Dense drizzle",
        56: "Light freezing drizzle",
        57: "Dense freezing drizzle",
        61: "Slight rain",
        63: "Moderate rain",
        65: "Heavy rain",
        66: "Light freezing rain",
        67: "Heavy freezing rain",
        71: "Slight snow fall",
        73: "Moderate snow fall",
        75: "Heavy snow fall",
        77: "Snow grains",
        80: "Slight rain showers",
        81: "Moderate rain showers",
        82: "Violent rain showers",
        85: "Slight snow showers",
        86: "Heavy snow showers",
        95: "Thunderstorm",
        96: "Thunderstorm with slight hail",
        99: "Thunderstorm with heavy hail",
    }
)

UNKNOWN_CONDITION = "Unknown"


def condition_for(code: int | None) -> str | None:
    """The English condition for `code`; `None` when no code was reported.

    A code outside the table still gets a word, so a client never shows a blank next to a reading.
    """
    if code is None:
        return None
    return CONDITIONS.get(code, UNKNOWN_CONDITION)

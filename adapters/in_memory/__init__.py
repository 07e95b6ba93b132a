"""In-memory adapters for every application port: fakes for unit tests and quick demos.

They keep the ports' promises (ordering, upserts, uniqueness, all-or-nothing commits) so a test
against them says something true about the real adapters, and they can be told to fail
(`FakeWeatherProvider.fail`, `RecordingNotifier.fail`) to exercise the unhappy paths.
"""

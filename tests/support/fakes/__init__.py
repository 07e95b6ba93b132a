"""Fakes for every application port, for the tests (and the benchmarks' seeding): a clock, a
notifier, weather, geocoding and archive providers, repositories, a task queue and a unit of work.

They live with the tests, not in the production tree: production ships only what it runs. They
keep the ports' promises (ordering, upserts, uniqueness, all-or-nothing commits), which the
contract suites hold them to beside the real adapters, so a test against them says something true
about the real ones; and they can be told to fail (`FakeWeatherProvider.fail`,
`RecordingNotifier.fail`) to exercise the unhappy paths. Like the core, they import no framework:
``tests/unit`` runs on them without Django.
"""

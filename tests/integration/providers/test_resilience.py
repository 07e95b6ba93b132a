"""How a provider call survives a bad day: retries, timeouts, garbage answers, the breaker,
and what it leaves in the logs and metrics. Exercised through the Open-Meteo clients; every
provider goes through the same `ProviderHttpClient`."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from prometheus_client import REGISTRY
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.providers.http import ProviderRejectedRequest, ResiliencePolicy, build_session
from adapters.providers.open_meteo import OpenMeteoGeocoder, OpenMeteoProvider
from domain.errors import ProviderUnavailable
from tests.support.builders import a_location
from tests.support.fakes.clock import FakeClock
from tests.support.provider_answers import (
    FORECAST_PATH,
    GEOCODING_PATH,
    fixture,
    fixture_bytes,
    samara_forecast,
)
from tests.support.provider_stubs import FAST

SAMARA = a_location()


def calls(server: HTTPServer) -> int:
    return len(server.log)


def counted(provider: str, outcome: str, status: str) -> float:
    labels = {"provider": provider, "outcome": outcome, "status": status}
    return REGISTRY.get_sample_value("weather_provider_calls_total", labels) or 0.0


def test_a_400_with_a_reason_is_refused_with_that_reason_and_not_retried(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data(
        fixture_bytes("open-meteo/error_out_of_range.json"),
        status=400,
        content_type="application/json",
    )
    reason = fixture("open-meteo/error_out_of_range.json")["reason"]

    with pytest.raises(ProviderRejectedRequest, match="400") as refused:
        open_meteo.fetch([SAMARA])

    assert reason in str(refused.value)
    assert isinstance(refused.value, ProviderUnavailable)
    assert calls(httpserver) == 1


def test_refused_requests_do_not_open_the_breaker(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data(
        fixture_bytes("open-meteo/error_out_of_range.json"),
        status=400,
        content_type="application/json",
    )
    for _ in range(FAST.failures_to_open + 1):
        with pytest.raises(ProviderRejectedRequest):
            open_meteo.fetch([SAMARA])

    assert open_meteo.client.breaker.current_state == "closed"
    assert calls(httpserver) == FAST.failures_to_open + 1


def test_a_429_is_retried_after_the_seconds_retry_after_asks_for(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_ordered_request(FORECAST_PATH).respond_with_data(
        "", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request(FORECAST_PATH).respond_with_json(samara_forecast())

    started = time.monotonic()
    [report] = open_meteo.fetch([SAMARA])

    assert time.monotonic() - started >= 1.0
    assert report.current is not None
    assert calls(httpserver) == 2


def test_a_429_that_persists_makes_the_provider_unavailable(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data("slow down", status=429)

    with pytest.raises(ProviderUnavailable, match="429"):
        open_meteo.fetch([SAMARA])

    assert calls(httpserver) == FAST.retries + 1


def test_a_500_is_retried_and_the_next_answer_used(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_ordered_request(FORECAST_PATH).respond_with_data("oops", status=500)
    httpserver.expect_ordered_request(FORECAST_PATH).respond_with_json(samara_forecast())

    [report] = open_meteo.fetch([SAMARA])

    assert report.location_id == SAMARA.id
    assert calls(httpserver) == 2


def test_a_server_that_keeps_failing_is_given_up_after_the_retries(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data(
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        status=502,
        content_type="text/html",
    )

    with pytest.raises(ProviderUnavailable, match="502 after 2 retries"):
        open_meteo.fetch([SAMARA])

    assert calls(httpserver) == FAST.retries + 1


def test_a_provider_slower_than_the_timeout_is_unavailable_quickly(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    def too_slow(_request: Request) -> Response:
        time.sleep(0.4)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(FORECAST_PATH).respond_with_handler(too_slow)
    provider = OpenMeteoProvider(
        base_url=httpserver.url_for(FORECAST_PATH), timeout_seconds=0.1, policy=FAST, clock=clock
    )

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="timed out"):
        provider.fetch([SAMARA])

    assert time.monotonic() - started < 1.0  # (retries + 1) x 0.1 s, not the handler's 0.4 s


def test_an_unreachable_provider_is_unavailable(clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = OpenMeteoProvider(
        base_url=f"http://127.0.0.1:{port}/v1/forecast",
        timeout_seconds=0.5,
        policy=FAST,
        clock=clock,
    )

    with pytest.raises(ProviderUnavailable, match="could not be reached"):
        provider.fetch([SAMARA])


def test_malformed_json_is_a_provider_failure_with_a_clear_message(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    truncated = fixture_bytes("open-meteo/forecast_current_daily_samara.json")[:200]
    httpserver.expect_request(FORECAST_PATH).respond_with_data(
        truncated, content_type="application/json"
    )

    with pytest.raises(ProviderUnavailable, match="malformed JSON"):
        open_meteo.fetch([SAMARA])


def test_a_body_shorter_than_its_content_length_is_a_provider_failure(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    body = fixture_bytes("open-meteo/forecast_current_daily_samara.json")

    def cut_short(_request: Request) -> Response:
        response = Response(body[:100], content_type="application/json")
        response.headers["Content-Length"] = str(len(body))
        return response

    httpserver.expect_request(FORECAST_PATH).respond_with_handler(cut_short)

    with pytest.raises(ProviderUnavailable):
        open_meteo.fetch([SAMARA])


def test_an_html_page_instead_of_json_is_a_provider_failure(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data(
        "<!DOCTYPE html><html><title>Maintenance</title></html>", content_type="text/html"
    )

    with pytest.raises(ProviderUnavailable, match="text/html instead of JSON"):
        open_meteo.fetch([SAMARA])


def test_json_of_the_wrong_shape_is_a_provider_failure_naming_the_place(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    broken = samara_forecast()
    broken["daily"]["temperature_2m_max"] = broken["daily"]["temperature_2m_max"][:3]
    httpserver.expect_request(FORECAST_PATH).respond_with_json(broken)

    with pytest.raises(ProviderUnavailable, match=r"daily\.temperature_2m_max has 3 values"):
        open_meteo.fetch([SAMARA])


def test_the_breaker_opens_after_repeated_failures_and_then_skips_without_a_request(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data("down", status=503)
    for _ in range(FAST.failures_to_open):
        with pytest.raises(ProviderUnavailable, match="503"):
            open_meteo.fetch([SAMARA])
    requests_so_far = calls(httpserver)

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="circuit is open"):
        open_meteo.fetch([SAMARA])

    assert time.monotonic() - started < 0.05
    assert calls(httpserver) == requests_so_far
    assert open_meteo.client.breaker.current_state == "open"


def test_the_breaker_closes_when_a_trial_call_succeeds_after_the_reset_timeout(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data("down", status=503)
    for _ in range(FAST.failures_to_open):
        with pytest.raises(ProviderUnavailable):
            open_meteo.fetch([SAMARA])
    httpserver.clear()
    httpserver.expect_request(FORECAST_PATH).respond_with_json(samara_forecast())

    time.sleep(FAST.reset_timeout_seconds + 0.05)
    [report] = open_meteo.fetch([SAMARA])

    assert report.current is not None
    assert open_meteo.client.breaker.current_state == "closed"


def test_every_call_is_logged_with_provider_locations_status_and_duration(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_json(samara_forecast())

    with caplog.at_level(logging.INFO, logger="adapters.providers.http"):
        open_meteo.fetch([SAMARA])

    [record] = [r for r in caplog.records if r.name == "adapters.providers.http"]
    assert record.__dict__["provider"] == "open-meteo"
    assert record.__dict__["locations"] == 1
    assert record.__dict__["status"] == 200
    assert record.__dict__["outcome"] == "success"
    assert record.__dict__["duration_ms"] >= 0


def test_every_call_is_counted_by_provider_outcome_and_status(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    provider = OpenMeteoProvider(
        base_url=httpserver.url_for(FORECAST_PATH),
        timeout_seconds=1.0,
        policy=FAST,
        name="open-meteo-metrics-test",
        clock=clock,
    )
    httpserver.expect_ordered_request(FORECAST_PATH).respond_with_json(samara_forecast())
    httpserver.expect_ordered_request(FORECAST_PATH).respond_with_data(
        fixture_bytes("open-meteo/error_out_of_range.json"),
        status=400,
        content_type="application/json",
    )
    before_success = counted(provider.name, "success", "200")
    before_rejected = counted(provider.name, "rejected", "400")

    provider.fetch([SAMARA])
    with pytest.raises(ProviderUnavailable):
        provider.fetch([SAMARA])

    assert counted(provider.name, "success", "200") == before_success + 1
    assert counted(provider.name, "rejected", "400") == before_rejected + 1
    duration = REGISTRY.get_sample_value(
        "weather_provider_call_duration_seconds_count", {"provider": provider.name}
    )
    assert duration == 2


def test_each_provider_has_its_own_breaker(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider, geocoder: OpenMeteoGeocoder
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_data("down", status=503)
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(
        fixture("open-meteo/geocoding_no_match.json")
    )
    for _ in range(FAST.failures_to_open):
        with pytest.raises(ProviderUnavailable):
            open_meteo.fetch([SAMARA])

    assert geocoder.search("Nowhere", 5) == []
    assert geocoder.client.breaker.current_state == "closed"


def test_a_shared_session_can_be_passed_in(httpserver: HTTPServer, clock: FakeClock) -> None:
    session = build_session(ResiliencePolicy(retries=0))
    provider = OpenMeteoProvider(
        base_url=httpserver.url_for(FORECAST_PATH),
        timeout_seconds=1.0,
        session=session,
        clock=clock,
    )
    httpserver.expect_request(FORECAST_PATH).respond_with_data("oops", status=500)

    with pytest.raises(ProviderUnavailable):
        provider.fetch([SAMARA])

    assert calls(httpserver) == 1  # the session's own policy: no retries


def test_concurrent_calls_through_one_provider_are_not_queued_behind_each_other() -> None:
    """The breaker guards calls without holding a lock across them: two calls at once both
    reach the server, which answers only when both have arrived."""
    both_arrived = threading.Barrier(2, timeout=5)

    class Together(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            try:
                both_arrived.wait()
                status, body = 200, json.dumps({"generationtime_ms": 0.1}).encode()
            except threading.BrokenBarrierError:
                status, body = 503, b"{}"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Together)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    geocoder = OpenMeteoGeocoder(
        base_url=f"http://127.0.0.1:{server.server_address[1]}{GEOCODING_PATH}",
        timeout_seconds=10,
        policy=ResiliencePolicy(retries=0),
    )
    answers: list[object] = []
    searches = [
        threading.Thread(target=lambda: answers.append(geocoder.search("Nowhere", 1)))
        for _ in range(2)
    ]
    try:
        for search in searches:
            search.start()
        for search in searches:
            search.join(timeout=15)
    finally:
        server.shutdown()

    assert answers == [[], []]

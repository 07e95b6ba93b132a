"""The resilient HTTP call every provider client goes through.

What lives here: the retry and pooling policy (`ResiliencePolicy`, `build_session`), the circuit
breaker and the per-call logging and Prometheus metrics (`ProviderHttpClient`), and the errors a
failed call becomes. Nothing here knows a provider's payloads: a client hands `call` a `parse`
function that turns the decoded JSON into domain objects, so a wrong shape counts as a failure of
the provider (for the breaker and the metrics) exactly like a 5xx does.

Retries are urllib3's `Retry` mounted on the session (exponential backoff with jitter,
`Retry-After` honoured, only idempotent GETs, only timeouts, connection errors, 429 and 5xx);
the breaker is pybreaker's. Neither is re-implemented here.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Final, TypeVar

import attrs
import orjson
import pybreaker
import requests
from prometheus_client import Counter, Histogram
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from domain.errors import InvalidInput, ProviderUnavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRIED_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
"""Answers that say "try again later". Every other 4xx is our request's fault: never retried."""

PROVIDER_CALLS = Counter(
    "weather_provider_calls_total",
    "Calls to outside weather services, after retries, by provider, outcome and HTTP status.",
    ["provider", "outcome", "status"],
)
PROVIDER_CALL_DURATION = Histogram(
    "weather_provider_call_duration_seconds",
    "Wall time of one call to an outside weather service, retries and backoff included.",
    ["provider"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)


@attrs.frozen(kw_only=True)
class ResiliencePolicy:
    """How hard to try one provider before calling it unavailable.

    The defaults suit a background refresh: a few quick retries, then the breaker spares the
    provider (and our workers) for `reset_timeout_seconds` after `failures_to_open` failed calls
    in a row. Tests shrink every number so they stay fast.
    """

    retries: int = 3
    backoff_factor: float = 0.5
    """Seconds; the n-th retry waits `backoff_factor * 2 ** (n - 1)` (the first one none)."""
    backoff_jitter: float = 0.25
    """Up to this many random seconds added to each wait, so many workers do not retry in step."""
    backoff_max: float = 10.0
    retry_after_max: int = 60
    """A longer `Retry-After` is cut to this: a worker must not sleep for an hour mid-request."""
    failures_to_open: int = 5
    reset_timeout_seconds: float = 60.0
    pool_maxsize: int = 10


def build_session(policy: ResiliencePolicy, *, user_agent: str | None = None) -> requests.Session:
    """One pooled session with the retry policy mounted for http and https.

    Build one per provider and keep it for the life of the process (the container's singleton):
    the pool keeps connections (and TLS handshakes) alive between refreshes.
    """
    retry = Retry(
        total=policy.retries,
        connect=policy.retries,
        read=policy.retries,
        status=policy.retries,
        other=0,
        redirect=2,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRIED_STATUSES,
        backoff_factor=policy.backoff_factor,
        backoff_jitter=policy.backoff_jitter,
        backoff_max=policy.backoff_max,
        respect_retry_after_header=True,
        retry_after_max=policy.retry_after_max,
        raise_on_status=False,  # keep the last answer, so its status reaches logs and metrics
    )
    adapter = HTTPAdapter(
        max_retries=retry, pool_connections=4, pool_maxsize=policy.pool_maxsize, pool_block=False
    )
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["Accept"] = "application/json"
    if user_agent is not None:
        session.headers["User-Agent"] = user_agent
    return session


class MalformedPayload(Exception):
    """The answer decoded, but not into the shape the client expects; the message says where."""


class ProviderCallFailed(ProviderUnavailable):
    """A call that did not give a usable answer; `outcome` and `status` feed the metrics."""

    def __init__(self, provider: str, reason: str, *, outcome: str, status: int | None) -> None:
        super().__init__(provider, reason)
        self.outcome = outcome
        self.status = status


class ProviderRejectedRequest(ProviderCallFailed):
    """The provider refused this request (a 4xx other than 429), e.g. coordinates out of range.

    Still a `ProviderUnavailable` for the application (nothing usable came back), but retrying
    or tripping the breaker would not help: the provider is up, the request is the problem.
    """


@attrs.frozen(kw_only=True)
class HttpAnswer:
    """A successful answer: 2xx with its decoded JSON body, or 304 with `body` None."""

    status: int
    headers: Mapping[str, str]
    body: object


class ProviderHttpClient:
    """Calls one provider through its session and its circuit breaker, logging and counting.

    pybreaker serialises calls through one breaker (it holds its lock during the call); one
    breaker per provider per process keeps that cost to one provider's calls.
    """

    def __init__(
        self,
        provider: str,
        *,
        timeout_seconds: float,
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        user_agent: str | None = None,
    ) -> None:
        if timeout_seconds <= 0:
            raise ValueError("The HTTP timeout must be a positive number of seconds.")
        self.provider = provider
        self.policy = policy if policy is not None else ResiliencePolicy()
        self._timeout = (timeout_seconds, timeout_seconds)  # (connect, read), per attempt
        self._session = session if session is not None else build_session(self.policy)
        self._user_agent = user_agent
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=self.policy.failures_to_open,
            reset_timeout=self.policy.reset_timeout_seconds,
            exclude=[ProviderRejectedRequest],
            throw_new_error_on_trip=False,  # the call that trips it reports its own cause
            name=provider,
        )

    def call(
        self,
        url: str,
        *,
        params: Mapping[str, str],
        parse: Callable[[HttpAnswer], T],
        locations: int,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """GET `url`, decode the JSON and `parse` it; any failure is a `ProviderUnavailable`.

        `parse` may raise `MalformedPayload` or the domain's `InvalidInput` (a value no reading
        can have): both mean the provider answered nonsense. `locations` is only for the log.
        """
        started = time.perf_counter()
        try:
            result: T
            # `calling()` rather than `call()`: pybreaker's `call` holds the breaker's lock for
            # the whole request, which would queue every concurrent call through this provider.
            with self.breaker.calling():
                result, status = self._attempt(url, params, headers, parse)
        except pybreaker.CircuitBreakerError:
            self._record(started, locations, outcome="circuit_open", status=None)
            raise ProviderUnavailable(
                self.provider,
                f"skipped: the circuit is open after {self.policy.failures_to_open} failed calls "
                f"in a row (next trial within {self.policy.reset_timeout_seconds:g} s)",
            ) from None
        except ProviderCallFailed as failure:
            self._record(started, locations, outcome=failure.outcome, status=failure.status)
            raise
        outcome = "not_modified" if status == 304 else "success"
        self._record(started, locations, outcome=outcome, status=status)
        return result

    def _attempt(
        self,
        url: str,
        params: Mapping[str, str],
        headers: Mapping[str, str] | None,
        parse: Callable[[HttpAnswer], T],
    ) -> tuple[T, int]:
        request_headers = dict(headers or {})
        if self._user_agent is not None:
            request_headers["User-Agent"] = self._user_agent
        try:
            response = self._session.get(
                url, params=params, headers=request_headers, timeout=self._timeout
            )
        except requests.RequestException as error:
            raise self._transport_failure(error) from error
        answer = self._decode(response)
        try:
            return parse(answer), response.status_code
        except (MalformedPayload, InvalidInput) as error:
            raise ProviderCallFailed(
                self.provider,
                f"answered an unexpected payload: {error}",
                outcome="malformed",
                status=response.status_code,
            ) from error

    def _transport_failure(self, error: requests.RequestException) -> ProviderCallFailed:
        text = str(error)
        if isinstance(error, requests.Timeout) or "timed out" in text.lower():
            reason = f"timed out (limit {self._timeout[1]:g} s per attempt, retries included)"
            return ProviderCallFailed(self.provider, reason, outcome="timeout", status=None)
        if isinstance(
            error,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ):
            reason = f"sent a truncated or undecodable body ({type(error).__name__})"
            return ProviderCallFailed(self.provider, reason, outcome="malformed", status=None)
        reason = f"could not be reached ({type(error).__name__}: {_shorten(text)})"
        return ProviderCallFailed(self.provider, reason, outcome="connection_error", status=None)

    def _decode(self, response: requests.Response) -> HttpAnswer:
        status = response.status_code
        if status == 304:
            return HttpAnswer(status=status, headers=response.headers, body=None)
        if not 200 <= status < 300:
            raise self._status_failure(response)
        content_type = response.headers.get("Content-Type", "")
        if "json" not in content_type.lower():
            raise ProviderCallFailed(
                self.provider,
                f"answered {status} with {content_type or 'no content type'} instead of JSON: "
                f"{_shorten(response.text)!r}",
                outcome="malformed",
                status=status,
            )
        try:
            body = orjson.loads(response.content)  # strict JSON: no NaN, no Infinity
        except ValueError as error:
            raise ProviderCallFailed(
                self.provider,
                f"answered {status} with malformed JSON ({error}): {_shorten(response.text)!r}",
                outcome="malformed",
                status=status,
            ) from error
        return HttpAnswer(status=status, headers=response.headers, body=body)

    def _status_failure(self, response: requests.Response) -> ProviderCallFailed:
        status = response.status_code
        detail = _error_detail(response)
        if status in RETRIED_STATUSES:
            retries = self.policy.retries
            reason = f"answered {status} after {retries} retries{detail}"
            outcome = "throttled" if status == 429 else "server_error"
            return ProviderCallFailed(self.provider, reason, outcome=outcome, status=status)
        return ProviderRejectedRequest(
            self.provider,
            f"refused the request with {status}{detail}",
            outcome="rejected",
            status=status,
        )

    def _record(self, started: float, locations: int, *, outcome: str, status: int | None) -> None:
        duration = time.perf_counter() - started
        status_label = str(status) if status is not None else "none"
        PROVIDER_CALLS.labels(provider=self.provider, outcome=outcome, status=status_label).inc()
        PROVIDER_CALL_DURATION.labels(provider=self.provider).observe(duration)
        level = logging.INFO if outcome in {"success", "not_modified"} else logging.WARNING
        # A search (geocoding) is about no tracked location: its log line says nothing of any.
        about = f" for {locations} location{'s' if locations != 1 else ''}" if locations else ""
        logger.log(
            level,
            "Provider call %s%s: %s, status %s, %.0f ms",
            self.provider,
            about,
            outcome,
            status_label,
            duration * 1000,
            extra={
                "provider": self.provider,
                "locations": locations,
                "outcome": outcome,
                "status": status,
                "duration_ms": round(duration * 1000, 1),
            },
        )


def _error_detail(response: requests.Response) -> str:
    """The provider's own explanation, when it gave one (Open-Meteo: `{"reason": ...}`)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(body, dict) and isinstance(body.get("reason"), str):
        return f": {body['reason']}"
    return ""


def _shorten(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

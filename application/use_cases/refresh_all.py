"""Refresh every location here and now (``refresh_weather --sync``, the benchmarks): the same
plan and batches as the Celery fan-out of ``weather.refresh_all``, run one after another in this
process instead of one per worker task."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import attrs

from application.ports.rate_budget import RefreshDeferred
from application.refresh.pipeline import Fetched, RefreshPipeline, summarize
from application.refresh.plan import Batch
from application.refresh.results import BatchFailed, BatchOutcome, RefreshSummary
from domain.errors import ProviderUnavailable

logger = logging.getLogger(__name__)


@attrs.frozen
class RefreshAllCommand:
    """No parameters: "all" means every location stored when the refresh starts."""


class RefreshAll:
    """Each batch is its own unit of work: a batch no provider could serve is reported in
    `failed_location_ids` while the others are stored. Only when every batch fails does it raise
    `AllProvidersUnavailable`.

    A batch whose providers' budgets are spent (`RefreshDeferred`) is fetched again once the
    budget has room: this driver waits (`wait`, `time.sleep` unless told otherwise), so its
    calls are spread over time as the budget allows."""

    def __init__(
        self, pipeline: RefreshPipeline, wait: Callable[[float], None] = time.sleep
    ) -> None:
        self._pipeline = pipeline
        self._wait = wait

    def execute(self, command: RefreshAllCommand) -> RefreshSummary:
        batches = self._pipeline.plan_all().batches
        outcomes: list[BatchOutcome] = []
        # Fetch the next batch while this one is stored: the providers' latency and the
        # database's overlap instead of adding up. One fetch ahead, in one helper thread.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="refresh-fetch") as fetcher:
            answers: dict[int, Future[Fetched]] = {}
            for index, batch in enumerate(batches):
                for ahead in range(index, min(index + 2, len(batches))):
                    if ahead not in answers:
                        answers[ahead] = fetcher.submit(self._fetch, batches[ahead])
                outcomes.append(self._store(batch, answers.pop(index)))
        return summarize(outcomes)

    def _fetch(self, batch: Batch) -> Fetched:
        while True:
            try:
                return self._pipeline.fetch(batch)
            except RefreshDeferred as deferred:
                logger.info("Refresh of %d locations waits: %s", len(batch.locations), deferred)
                self._wait(deferred.retry_after_seconds)

    def _store(self, batch: Batch, answer: Future[Fetched]) -> BatchOutcome:
        try:
            fetched = answer.result()
        except ProviderUnavailable as failure:
            return BatchFailed(location_ids=batch.location_ids, failure=failure)
        return self._pipeline.store(fetched)

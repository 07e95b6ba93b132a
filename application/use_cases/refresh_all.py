"""Refresh every location here and now (``refresh_weather --sync``, the benchmarks): the same
plan and batches as the Celery fan-out of ``weather.refresh_all``, run one after another in this
process instead of one per worker task."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import attrs

from application.refresh.pipeline import Fetched, RefreshPipeline, summarize
from application.refresh.plan import Batch
from application.refresh.results import BatchFailed, BatchOutcome, RefreshSummary
from domain.errors import ProviderUnavailable


@attrs.frozen
class RefreshAllCommand:
    """No parameters: "all" means every location stored when the refresh starts."""


class RefreshAll:
    """Each batch is its own unit of work: a batch no provider could serve is reported in
    `failed_location_ids` while the others are stored. Only when every batch fails does it raise
    `AllProvidersUnavailable`."""

    def __init__(self, pipeline: RefreshPipeline) -> None:
        self._pipeline = pipeline

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
                        answers[ahead] = fetcher.submit(self._pipeline.fetch, batches[ahead])
                outcomes.append(self._store(batch, answers.pop(index)))
        return summarize(outcomes)

    def _store(self, batch: Batch, answer: Future[Fetched]) -> BatchOutcome:
        try:
            fetched = answer.result()
        except ProviderUnavailable as failure:
            return BatchFailed(location_ids=batch.location_ids, failure=failure)
        return self._pipeline.store(fetched)

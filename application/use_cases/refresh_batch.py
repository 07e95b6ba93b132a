"""Refresh one planned batch (what each ``weather.refresh_batch`` of a fanned-out refresh-all
runs): one fetch through the provider chain, one unit of work to store the answer."""

from __future__ import annotations

import attrs

from application.refresh.pipeline import RefreshPipeline
from application.refresh.plan import Batch
from application.refresh.results import BatchOutcome


@attrs.frozen
class RefreshBatchCommand:
    batch: Batch


class RefreshBatch:
    """`BatchRefreshed`, or `BatchFailed` when no provider could serve the batch (then nothing
    is stored, and the caller decides whether to try again). Locations deleted or moved since
    the batch was planned are left out of what is stored."""

    def __init__(self, pipeline: RefreshPipeline) -> None:
        self._pipeline = pipeline

    def execute(self, command: RefreshBatchCommand) -> BatchOutcome:
        return self._pipeline.refresh(command.batch)

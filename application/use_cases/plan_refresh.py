"""Plan a refresh of every location (what ``weather.refresh_all`` does before it fans out): the
locations stored now, in batches the provider chain sizes, one ``weather.refresh_batch`` each."""

from __future__ import annotations

import attrs

from application.refresh.pipeline import RefreshPipeline
from application.refresh.plan import RefreshPlan


@attrs.frozen
class PlanRefreshQuery:
    """No parameters: the plan covers every location stored when it is made."""


class PlanRefresh:
    def __init__(self, pipeline: RefreshPipeline) -> None:
        self._pipeline = pipeline

    def execute(self, query: PlanRefreshQuery) -> RefreshPlan:
        return self._pipeline.plan_all()

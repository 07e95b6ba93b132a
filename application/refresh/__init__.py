"""Refreshing weather: the one pipeline every entry point runs, plan → fetch → store.

- `plan`: which locations are refreshed, cut into batches (`RefreshPlan`, `Batch`); batches are
  sized once, by the provider chain.
- `chain`: `ProviderChain`, the weather providers in order of preference; it decides how many
  locations one provider call holds (each provider's own `max_batch_size`).
- `pipeline`: `RefreshPipeline`, the steps: plan, fetch (outside any transaction), store (one
  unit of work per batch, which records the batch's events), and `summarize`.
- `results`: what a refresh answers (`LocationRefreshed`, `BatchRefreshed | BatchFailed`,
  `RefreshSummary`), with the JSON form the tasks store and the command line prints.

Who drives it: the use cases `RefreshLocation` (one location), `PlanRefresh` and `RefreshBatch`
(the steps of the Celery fan-out of a refresh-all, one batch per task) and `RefreshAll` (the
same steps in one process, for ``refresh_weather --sync`` and the benchmarks). The two ways of
refreshing everything are two drivers of this pipeline, not two implementations.
"""

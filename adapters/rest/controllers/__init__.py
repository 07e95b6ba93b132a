"""Controllers: parse the request, call one use case, serialize its result. Nothing else."""

"""Prometheus metrics of every process of the deployment, and the ``/metrics`` page that shows them.

What lives here: prometheus-client's multiprocess mode (``multiprocess.py``: the folder each process
manager empties when it starts, and the collector that reads every process's files), the request
metrics (``requests.py``: django-prometheus's middleware, trimmed to the families that are read),
the Celery task metrics (``task_metrics.py``: Celery's signals, which ``server_config/celery.py``
connects) and the page (``exposition.py``). The provider calls are counted where they are made,
``adapters/providers/http.py``; in multiprocess mode they reach the page from whichever process
made them. ``docs/decisions/0021-metrics-from-every-process.md`` says why.
"""

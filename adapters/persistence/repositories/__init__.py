"""Django ORM repositories: one module per port of ``application/ports/repositories.py``.

``locations``, ``observations``, ``forecasts`` and ``alerts`` each hold the repository of that
port; ``paging`` the one way a list is cut into a page. Each method is a fixed number of set-based
queries whatever the number of rows (the query-count tests hold them to it): a list is one
``LIMIT/OFFSET`` page plus a ``COUNT``, a bulk write is one ``INSERT … ON CONFLICT`` per batch, a
forecast is replaced by one upsert. Rows cross the boundary only through ``mappers``; every
database access goes through the unit of work's ``Session``, which opens its transaction and turns
errors into the domain's. What is read through the cache is wrapped in ``cache.py``, not here.
"""

from adapters.persistence.repositories.alerts import DjangoAlertRepository
from adapters.persistence.repositories.forecasts import DjangoForecastRepository
from adapters.persistence.repositories.locations import DjangoLocationRepository
from adapters.persistence.repositories.observations import DjangoObservationRepository

__all__ = [
    "DjangoAlertRepository",
    "DjangoForecastRepository",
    "DjangoLocationRepository",
    "DjangoObservationRepository",
]

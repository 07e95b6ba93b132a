"""The product's URLs plus what the benchmark compares them with, served by the same server
behind the same middleware:

- `/floor/`: a plain Django view returning a constant JSON body, the fastest any endpoint of this
  stack can be (no framework on top);
- `/peer/locations/` and `/peer/locations/{id}/weather/current/`: the same reads written the way
  DRF's tutorial does (`benchmarks/api/peer.py`).
"""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from benchmarks.api.peer import LocationViewSet
from server_config.urls import urlpatterns as product_urlpatterns

router = SimpleRouter()
router.register("locations", LocationViewSet, basename="peer-location")


def floor(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [path("floor/", floor), path("peer/", include(router.urls)), *product_urlpatterns]

"""The product's URLs plus `/floor/`: a plain Django view returning a constant JSON body, the
fastest any endpoint of this stack can be (same middleware, same server, no framework on top)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from server_config.urls import urlpatterns as product_urlpatterns


def floor(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [path("floor/", floor), *product_urlpatterns]

"""``/api/v1/redoc/redoc.standalone.js``: the sidecar's Redoc bundle, minus its one remote image.

Redoc's sidebar always draws "API docs by Redocly" with ``<img src="https://cdn.redoc.ly/…">``,
whatever its options, so the documentation page would ask another host for a file (CONTRACT.md
§5: nothing comes from another host). Serving the installed bundle with that address emptied is
the smallest change that keeps Redoc as its maintainers ship it: an ``<img>`` with an empty
``src`` makes no request and fails at once, and Redoc's own ``onError`` then hides the logo.
The bundle is read from the installed package once per process, so an upgrade needs no copy.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REMOTE_LOGO = b'"https://cdn.redoc.ly/redoc/logo-mini.svg"'
#: A day: the bundle changes only when the package is upgraded, and its ETag tells then.
MAX_AGE_SECONDS = 86_400


@cache
def offline_bundle() -> tuple[bytes, str]:
    """The bundle without the remote logo, and its entity tag."""
    path = finders.find(BUNDLE)
    if not isinstance(path, str):
        raise LookupError(f"{BUNDLE} is not installed (drf-spectacular-sidecar)")
    with open(path, "rb") as bundle:
        body = bundle.read().replace(REMOTE_LOGO, b'""')
    return body, '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


@require_safe
def redoc_bundle(request: HttpRequest) -> HttpResponse:
    body, etag = offline_bundle()
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response

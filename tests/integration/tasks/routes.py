"""``python -m tests.integration.tasks.routes``: a path for every named route of the project, as
JSON (ids made up: a UUID, 1, "1"), for the metrics test to ask them all."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import django


def main() -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "server_config.settings")
    django.setup()
    from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
    from django.urls.converters import IntConverter, UUIDConverter

    samples = {UUIDConverter: str(uuid.uuid4()), IntConverter: 1}

    def named(patterns: Sequence[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from named(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}", pattern

    paths = set()
    for name, pattern in named(get_resolver().url_patterns, ""):
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {key: samples.get(type(c), "1") for key, c in converters.items()}
        try:
            paths.add(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue  # a regular expression's groups (the admin's app pages): not guessed
    return sorted(paths)


if __name__ == "__main__":
    print(json.dumps(main()))

"""Run every benchmark package's `main()`, in name order."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import cast

import benchmarks


def run_all() -> None:
    for module in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not module.ispkg:
            continue
        package = importlib.import_module(f"benchmarks.{module.name}")
        main = getattr(package, "main", None)
        if callable(main):
            print(f"== {module.name}")
            cast(Callable[[], None], main)()


if __name__ == "__main__":
    run_all()

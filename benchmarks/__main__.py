"""Run every benchmark package, each in its own process, in name order.

Its own process because each sets Django up on its own scratch database: settings are read once
per process. A benchmark that fails is reported and the others still run.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import benchmarks


def run_all() -> int:
    failed = []
    for module in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not module.ispkg:
            continue
        print(f"== {module.name}", flush=True)
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{module.name}"], check=False)
        if done.returncode != 0:
            failed.append(module.name)
    if failed:
        print(f"== failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run_all())

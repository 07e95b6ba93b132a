"""`python -m benchmarks.tasks`: this benchmark alone."""

from __future__ import annotations

from benchmarks.tasks import main

if __name__ == "__main__":
    main()

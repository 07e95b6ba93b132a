"""`python -m benchmarks.api`: this benchmark alone."""

from __future__ import annotations

from benchmarks.api import main

if __name__ == "__main__":
    main()

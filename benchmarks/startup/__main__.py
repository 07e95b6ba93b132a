"""`python -m benchmarks.startup`: this benchmark alone."""

from __future__ import annotations

from benchmarks.startup import main

if __name__ == "__main__":
    main()

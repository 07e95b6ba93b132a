"""`python -m benchmarks.refresh_fanout`: this benchmark alone."""

from __future__ import annotations

from benchmarks.refresh_fanout import main

if __name__ == "__main__":
    main()

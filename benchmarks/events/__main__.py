"""`python -m benchmarks.events`: this benchmark alone."""

from __future__ import annotations

from benchmarks.events import main

if __name__ == "__main__":
    main()

"""Benchmarks: each sub-package measures one path end to end and prints its figures.

`python -m benchmarks` (and `make bench`) runs the `main()` of every sub-package. A benchmark is
not a test: it prints numbers against its stated targets and leaves judging them to the reader.
"""

import os

# Every benchmark states its own configuration: never the checkout's development .env (which turns
# DEBUG on, and with it per-query bookkeeping that would distort every figure).
os.environ.setdefault("DJANGO_ENV_FILE", "")

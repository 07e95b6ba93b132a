"""Benchmarks: each sub-package measures one path end to end and prints its figures.

`python -m benchmarks` (and `make bench`) runs the `main()` of every sub-package. A benchmark is
not a test: it prints numbers against its stated targets and leaves judging them to the reader.
"""

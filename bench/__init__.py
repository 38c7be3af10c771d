"""Performance benchmarks at a trust's scale and their data generator (not part of the test run).

`python -m bench.run` (or `make bench`): see bench/README.md.
"""

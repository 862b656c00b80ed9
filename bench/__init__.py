"""confman's benchmarks: `python -m bench` (or `make bench`) prints the tables. Not part of the test suite."""

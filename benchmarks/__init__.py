"""Performance benchmarks of issue 9: run them with ``python -m benchmarks.run``."""

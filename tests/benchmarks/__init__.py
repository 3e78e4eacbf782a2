"""Benchmarks (make bench / make bench-quick): never collected by make test.

Modules are bench_*.py; pytest's python_files is test_*.py, so they stay out of the suite.
"""

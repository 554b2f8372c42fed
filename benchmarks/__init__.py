"""Benchmarks: the library against the fastest idiomatic code for each job, in one run.

python -m benchmarks            # or: make bench
"""

"""Baselines: the fastest idiomatic code for each job, each in a module of its own."""

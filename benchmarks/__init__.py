"""Benchmarks: scripts that print measurements; nothing here asserts wall-clock time."""

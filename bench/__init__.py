"""Benchmarks and evaluations: scripts that print their figures (see README.md here)."""

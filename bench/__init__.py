"""rec-tui's benchmarks (not tests): ``python -m bench`` runs them all; see ``bench/RESULTS.md``."""

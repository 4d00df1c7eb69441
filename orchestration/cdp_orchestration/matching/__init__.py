"""Probabilistic matching: its configuration (dbt vars) in Splink's terms, and training of its parameters."""

"""Where things live on disk for the DuckDB targets, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Root of generated data, warehouses and run state (git-ignored)."""
    return (PROJECT_DIR / os.environ.get("CDP_DATA_DIR", "data")).resolve()


def target_dir(target: str) -> Path:
    """Folder of one dbt target: landing files, ground truth and the DuckDB warehouse."""
    return data_dir() / target


def warehouse_path(target: str) -> Path:
    """The DuckDB file the given target builds into (profiles.yml uses the same convention)."""
    return target_dir(target) / "warehouse.duckdb"


def landing_dir(target: str) -> Path:
    return Path(os.environ.get("CDP_LANDING_DIR", target_dir(target) / "landing")).resolve()


def schema(layer: str, target_schema: str = "main") -> str:
    """dbt's default schema naming: <target schema>_<custom schema>."""
    return f"{target_schema}_{layer}"

"""The landing contract: source tables, column names and types, read from the dbt sources YAML."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

# The repository root (sample/cdp_sample/contract.py -> repo); CDP_PROJECT_DIR overrides it.
_DEFAULT_PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # lower-case DuckDB spelling, as in the YAML


@dataclass(frozen=True)
class SourceTable:
    source: str
    table: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> str:
        return f"{self.source}.{self.table}"


def project_dir() -> Path:
    return Path(os.environ.get("CDP_PROJECT_DIR", _DEFAULT_PROJECT_DIR))


def load_contract(root: Path | None = None) -> dict[str, SourceTable]:
    """All source tables of models/staging/*/_*__sources.yml, keyed "source.table"."""
    staging = (root or project_dir()) / "models" / "staging"
    files = sorted(staging.glob("*/_*__sources.yml"))
    if not files:
        raise FileNotFoundError(f"no dbt sources YAML under {staging} (set CDP_PROJECT_DIR)")
    tables: dict[str, SourceTable] = {}
    for path in files:
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                columns = tuple(
                    Column(c["name"], str(c["data_type"]).lower().replace(", ", ","))
                    for c in table["columns"]
                )
                entry = SourceTable(source["name"], table["name"], columns)
                tables[entry.key] = entry
    return tables

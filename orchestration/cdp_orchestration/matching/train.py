"""Estimate the probabilistic-matching parameters with Splink: `make train-matching` / this module's CLI.

Reads the matching records (int_matching_records) of a built warehouse, and with the comparison levels of
dbt_project.yml (vars.matching_comparisons, in Splink's terms by `config.py`):

* the prior (probability that two random records are one person) from the identity rules: the share of
  record pairs that the rules alone already put in one component (int_matching_rule_components);
* u probabilities from random pairs of records (almost all of them different people);
* m probabilities by expectation-maximisation over pairs of records that share an email, then over pairs
  that share a phone: mostly one person, sometimes a family sharing a mailbox or a number, whom the names
  tell apart. Pairs blocked on the postal code would let the latent "match" class drift to households
  (same surname and address, different first names), pairs blocked on the name to namesakes.

A level no pair reached (Splink cannot estimate its m) keeps its m of the latest version in the seed (set
it by hand there), and the comparison's other levels are scaled to leave room for it.

Appends the result as a new version of seeds/matching_parameters.csv (keeping the last few versions);
`dbt seed` and the next build use it (the var matching_parameters_version pins another one).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cdp_orchestration.matching.config import (
    PARAMETERS_SEED,
    PRIOR,
    PROJECT_DIR,
    MatchingConfig,
    load_config,
    nickname_column,
    splink_comparison,
    uses_nicknames,
)

# Blocking rules of the expectation-maximisation rounds (columns of int_matching_records): each round
# estimates m for every comparison whose column is not among its own.
EM_BLOCKING_RULES: tuple[tuple[str, ...], ...] = (("email",), ("phone_e164",))
# A level no sampled pair reached would get m or u of 0 (an infinite weight). m is floored higher: a level
# never seen among the training matches (a new postal code, another country) is strong evidence against a
# match, but people do move, so at most about 10 bits of it.
M_FLOOR = 1e-3
U_FLOOR = 1e-6
VERSIONS_KEPT = 5
logger = logging.getLogger(__name__)
SEED_COLUMNS = (
    "version",
    "trained_at",
    "trained_on",
    "comparison",
    "comparison_level",
    "m_probability",
    "u_probability",
)


@dataclass(frozen=True)
class Parameter:
    comparison: str
    level: str
    m_probability: float
    u_probability: float


def load_records(warehouse: Path, config: MatchingConfig) -> pd.DataFrame:
    """The matching records of a built warehouse, with the equivalent names of every nickname column."""
    columns = list(dict.fromkeys([*config.columns, *(c for rule in EM_BLOCKING_RULES for c in rule)]))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        records = con.sql(
            f"""
            select record_key, rule_component_id, {", ".join(columns)}
            from main_intermediate.int_matching_records
            """
        ).df()
        for column in uses_nicknames(config):
            equivalents = con.sql(
                f"""
                select records.record_key, list(equivalences.name_key_b) as {nickname_column(column)}
                from main_intermediate.int_matching_records as records
                inner join main_intermediate.int_first_name_equivalences as equivalences
                    on records.{column} = equivalences.name_key_a
                group by records.record_key
                """
            ).df()
            records = records.merge(equivalents, on="record_key", how="left")
            # Splink wants one type per column: an empty list, not NULL, for names without nicknames.
            records[nickname_column(column)] = records[nickname_column(column)].apply(
                lambda names: (
                    list(names) if isinstance(names, list | tuple) or hasattr(names, "tolist") else []
                )
            )
    finally:
        con.close()
    return records


def prior_from_rules(records: pd.DataFrame) -> float:
    """Share of record pairs the identity rules already put in one component (a slight underestimate)."""
    sizes = records.groupby("rule_component_id").size()
    linked = float((sizes * (sizes - 1) / 2).sum())
    total = len(records) * (len(records) - 1) / 2
    return max(linked / total, U_FLOOR)


def estimate(
    records: pd.DataFrame,
    config: MatchingConfig,
    max_pairs: float = 5e6,
    seed: int = 42,
    previous: dict[tuple[str, str], Parameter] | None = None,
) -> list[Parameter]:
    """m and u of every configured level, and the prior, estimated by Splink on `records`."""
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    prior = prior_from_rules(records)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        comparisons=[splink_comparison(c) for c in config.comparisons],
        blocking_rules_to_generate_predictions=[block_on(*rule.columns) for rule in config.blocking_rules],
        probability_two_random_records_match=prior,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    table = db_api.register(records, dataset_display_name="matching_records")
    linker = Linker(table, settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for columns in EM_BLOCKING_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*columns))
    model = linker.misc.save_model_to_json()
    return [Parameter(*PRIOR, prior, 1 - prior), *_parameters(model, config, previous or {})]


def _parameters(
    model: dict[str, Any], config: MatchingConfig, previous: dict[tuple[str, str], Parameter]
) -> list[Parameter]:
    by_name = {c["output_column_name"]: c for c in model["comparisons"]}
    parameters = []
    for comparison in config.comparisons:
        levels = {
            level["label_for_charts"]: level
            for level in by_name[comparison.comparison]["comparison_levels"]
            if not level.get("is_null_level")
        }
        m = {name: levels[name].get("m_probability") for name in comparison.level_names}
        u = {name: levels[name].get("u_probability") for name in comparison.level_names}
        kept = {
            name: previous[(comparison.comparison, name)].m_probability
            for name, value in m.items()
            if value is None and (comparison.comparison, name) in previous
        }
        if kept:
            logger.warning(
                "%s: no pair at %s, keeping their previous m", comparison.comparison, ", ".join(kept)
            )
            room = max(1.0 - sum(kept.values()), 0.0)
            m = {name: kept[name] if name in kept else (value or 0.0) * room for name, value in m.items()}
        for name in comparison.level_names:
            previous_u = previous.get((comparison.comparison, name))
            if u[name] is None and previous_u is not None:
                u[name] = previous_u.u_probability
            parameters.append(
                Parameter(
                    comparison.comparison,
                    name,
                    max(float(m[name] or 0.0), M_FLOOR),
                    max(float(u[name] or 0.0), U_FLOOR),
                )
            )
    return parameters


def latest_parameters(seed_file: Path = PARAMETERS_SEED) -> dict[tuple[str, str], Parameter]:
    """The parameters of the highest version in the seed, by (comparison, level)."""
    if not seed_file.exists():
        return {}
    with seed_file.open(newline="") as f:
        rows = list(csv.DictReader(f))
    latest = max((int(row["version"]) for row in rows), default=None)
    return {
        (row["comparison"], row["comparison_level"]): Parameter(
            row["comparison"],
            row["comparison_level"],
            float(row["m_probability"]),
            float(row["u_probability"]),
        )
        for row in rows
        if int(row["version"]) == latest
    }


def append_version(
    parameters: Sequence[Parameter], trained_on: str, seed_file: Path = PARAMETERS_SEED
) -> int:
    """Write `parameters` as the next version of the seed, keeping the last VERSIONS_KEPT versions."""
    rows: list[dict[str, str]] = []
    if seed_file.exists():
        with seed_file.open(newline="") as f:
            rows = list(csv.DictReader(f))
    version = max((int(row["version"]) for row in rows), default=0) + 1
    trained_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    rows += [
        {
            "version": str(version),
            "trained_at": trained_at,
            "trained_on": trained_on,
            "comparison": p.comparison,
            "comparison_level": p.level,
            "m_probability": f"{p.m_probability:.6g}",
            "u_probability": f"{p.u_probability:.6g}",
        }
        for p in parameters
    ]
    kept = sorted({int(row["version"]) for row in rows})[-VERSIONS_KEPT:]
    with seed_file.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SEED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in rows if int(row["version"]) in kept)
    return version


def format_parameters(parameters: Sequence[Parameter]) -> str:
    import math

    lines = ["| comparison | level | m | u | weight |", "| --- | --- | ---: | ---: | ---: |"]
    lines += [
        f"| {p.comparison} | {p.level} | {p.m_probability:.4g} | {p.u_probability:.4g} "
        f"| {math.log2(p.m_probability / p.u_probability):+.2f} |"
        for p in parameters
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="dev", help="dbt target whose built warehouse to train on")
    parser.add_argument("--warehouse", type=Path, help="the DuckDB warehouse (default: that of --target)")
    parser.add_argument(
        "--seed-file", type=Path, default=PARAMETERS_SEED, help="the parameters seed to append to"
    )
    parser.add_argument("--max-pairs", type=float, default=5e6, help="random pairs for the u probabilities")
    parser.add_argument("--dry-run", action="store_true", help="print the parameters, write nothing")
    args = parser.parse_args(argv)

    data_dir = PROJECT_DIR / os.environ.get("CDP_DATA_DIR", "data")
    warehouse = args.warehouse or data_dir / args.target / "warehouse.duckdb"
    if not warehouse.exists():
        raise SystemExit(f"Build the {args.target} target first: no {warehouse}.")
    config = load_config()
    records = load_records(warehouse, config)
    parameters = estimate(
        records, config, max_pairs=args.max_pairs, previous=latest_parameters(args.seed_file)
    )
    print(format_parameters(parameters))
    if not args.dry_run:
        trained_on = f"{len(records)} matching records of the {args.target} warehouse"
        version = append_version(parameters, trained_on, args.seed_file)
        print(
            f"wrote version {version} to {args.seed_file}; `dbt seed --select matching_parameters` loads it"
        )


if __name__ == "__main__":
    main()

"""Score identity resolution against the generator's ground truth: `make evaluate` / `cdp-evaluate`.

Units are identity records (int_identity_records): profile and transaction rows, and for event streams one
record per distinct combination of identifiers, whose true person is the one most of its events belong to.
Pairwise metrics count pairs of records:

* precision: of the pairs we put in one customer, the share that are one person;
* recall: of the pairs that are one person, the share we put in one customer;
* linkable recall: the same, over the pairs the identity rules and probabilistic matching could link at
  all: records of one person joined by a chain of identifiers (as staged and normalised) that the person's
  own records share, plus each record the generator made for probabilistic matching alone
  (truth/probabilistic_links.parquet: a record in another system that shares no identifier with its
  person's others, only a similar name and address), which counts as linkable to the group holding most of
  its person's records. A cookie that never logged in or identified carries nothing that links it.

Besides the build being scored (read from the warehouse), `--variants` rebuilds identity in scratch
warehouses fed by the same landing files and scores them side by side: `deterministic` (the identity rules
alone, no probabilistic links), and the other rulesets of seeds/identity_id_types.csv (`strict`, `loose`).
`--splink` adds Splink alone, trained and run on the same identity records (cdp_sample.splink_baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

PROJECT_DIR = Path(__file__).resolve().parents[2]
# Match probabilities the Splink baseline is clustered at; 0.95 is the threshold Splink's tutorials use.
SPLINK_THRESHOLDS = (0.1, 0.3, 0.5, 0.8, 0.95, 0.99)
SPLINK_USUAL_THRESHOLD = 0.95

# Variants `--variants` can rebuild: name -> dbt vars. Other names are taken as rulesets.
VARIANTS: dict[str, dict[str, Any]] = {
    "deterministic": {"identity_probabilistic_links": False},
    "probabilistic": {"identity_probabilistic_links": True},
}

# Mirrors macros/identity/identity_record_key.sql for the event streams, whose records are keyed by a
# hash of the identifiers seen together.
_EVENT_RECORD_KEYS = """
    select 'web' as source, 'events' as entity, event_id as record_id,
           'web:events:' || md5(coalesce(anonymous_id, '') || '|' || coalesce(shop_customer_id, '')
                                || '|' || coalesce(email, '')) as record_key
    from main_staging.stg_web__events
    union all
    select 'app', 'events', event_id,
           'app:events:' || md5(coalesce(device_id, '') || '|' || coalesce(shop_customer_id, ''))
    from main_staging.stg_app__events
"""


@dataclass(frozen=True)
class Scores:
    ruleset: str
    records: int
    resolved_records: int
    customers: int
    persons: int
    precision: float
    recall: float
    linkable_recall: float
    f1: float
    linkable_f1: float
    false_pairs: int
    missed_linkable_pairs: int


def _pairs(counts: np.ndarray) -> int:
    return int((counts * (counts - 1) // 2).sum())


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(
    warehouse: Path, truth_dir: Path, ruleset: str = "default", clusters: pd.DataFrame | None = None
) -> Scores:
    """Pairwise scores of the customer ids in `warehouse` against the truth files in `truth_dir`.

    `clusters` (record_key, cluster), when given, is scored instead of the warehouse's customer ids (the
    Splink baseline); the warehouse still provides the records and their identifiers.
    """
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute(f"create temp table truth as select * from read_parquet('{truth_dir / 'records.parquet'}')")
    con.execute(f"create temp table event_keys as {_EVENT_RECORD_KEYS}")
    con.execute(
        """
        create temp table record_truth as
        with row_records as (
            select records.record_key, truth.person_id
            from main_intermediate.int_identity_records as records
            inner join truth
                on truth.source = records.source and truth.entity = records.entity
                and truth.record_id = records.source_record_id
        ),
        event_votes as (
            select event_keys.record_key, truth.person_id, count(*) as events
            from event_keys
            inner join truth
                on truth.source = event_keys.source and truth.entity = event_keys.entity
                and truth.record_id = event_keys.record_id
            where truth.person_id is not null
            group by all
        ),
        event_records as (
            -- ties between people with as many events go to the larger person id: the same on every run
            select record_key, arg_max(person_id, (events, person_id)) as person_id
            from event_votes group by record_key
        )
        select * from row_records
        union all
        select * from event_records
        """
    )
    if clusters is None:
        con.execute(
            "create temp table clusters as select record_key, customer_id as cluster"
            " from main_intermediate.int_identity_customer_ids"
        )
    else:
        con.register("given_clusters", clusters[["record_key", "cluster"]])
        con.execute(
            "create temp table clusters as"
            " select record_key, cast(cluster as varchar) as cluster from given_clusters"
        )
    scored = con.sql(
        """
        select
            record_truth.record_key,
            record_truth.person_id,
            coalesce(clusters.cluster, 'unresolved:' || record_truth.record_key) as cluster,
            clusters.cluster is not null as is_resolved
        from record_truth
        left join clusters using (record_key)
        """
    ).df()
    links = con.sql(
        """
        select record_truth.record_key, record_truth.person_id, identifiers.id_type, identifiers.id_value
        from record_truth
        inner join main_intermediate.int_identity_identifiers as identifiers using (record_key)
        """
    ).df()
    con.close()
    probabilistic_keys = _probabilistic_record_keys(truth_dir)

    # Linkable groups: records of one person joined through identifiers that person's own records share.
    record_index = {key: i for i, key in enumerate(scored["record_key"])}
    link_keys = links["person_id"].astype(str) + "|" + links["id_type"] + ":" + links["id_value"]
    node_index = {key: i + len(record_index) for i, key in enumerate(link_keys.unique())}
    rows = links["record_key"].map(record_index).to_numpy()
    cols = link_keys.map(node_index).to_numpy()
    size = len(record_index) + len(node_index)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    scored["linkable_group"] = labels[: len(record_index)]
    _join_probabilistic_records(scored, probabilistic_keys)

    true_pairs = _pairs(scored.groupby("person_id").size().to_numpy())
    predicted_pairs = _pairs(scored.groupby("cluster").size().to_numpy())
    true_positive = _pairs(scored.groupby(["cluster", "person_id"]).size().to_numpy())
    linkable_pairs = _pairs(scored.groupby(["person_id", "linkable_group"]).size().to_numpy())
    linkable_found = _pairs(scored.groupby(["person_id", "linkable_group", "cluster"]).size().to_numpy())

    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / true_pairs if true_pairs else 1.0
    linkable_recall = linkable_found / linkable_pairs if linkable_pairs else 1.0
    return Scores(
        ruleset=ruleset,
        records=len(scored),
        resolved_records=int(scored["is_resolved"].sum()),
        customers=int(scored.loc[scored["is_resolved"], "cluster"].nunique()),
        persons=int(scored["person_id"].nunique()),
        precision=precision,
        recall=recall,
        linkable_recall=linkable_recall,
        f1=_f1(precision, recall),
        linkable_f1=_f1(precision, linkable_recall),
        false_pairs=predicted_pairs - true_positive,
        missed_linkable_pairs=linkable_pairs - linkable_found,
    )


def _probabilistic_record_keys(truth_dir: Path) -> set[str]:
    """Record keys of the records made for probabilistic matching alone (none in older samples)."""
    path = truth_dir / "probabilistic_links.parquet"
    if not path.exists():
        return set()
    links = pd.read_parquet(path, columns=["source", "entity", "record_id"])
    return set(links["source"] + ":" + links["entity"] + ":" + links["record_id"].astype(str))


def _join_probabilistic_records(scored: pd.DataFrame, probabilistic_keys: set[str]) -> None:
    """Put each probabilistic-only record in the linkable group holding most of its person's records."""
    is_probabilistic = scored["record_key"].isin(probabilistic_keys)
    if not is_probabilistic.any():
        return
    sizes = (
        scored[~is_probabilistic].groupby(["person_id", "linkable_group"]).size().reset_index(name="records")
    )
    largest = sizes.sort_values(["person_id", "records", "linkable_group"], ascending=[True, False, True])
    main_group = largest.drop_duplicates("person_id").set_index("person_id")["linkable_group"]
    scored.loc[is_probabilistic, "linkable_group"] = (
        scored.loc[is_probabilistic, "person_id"]
        .map(main_group)
        .fillna(scored.loc[is_probabilistic, "linkable_group"])
    ).astype(scored["linkable_group"].dtype)


def variant_vars(variant: str) -> dict[str, Any]:
    """The dbt vars a variant name stands for: a named variant, else a ruleset of identity_id_types."""
    return VARIANTS.get(variant, {"identity_ruleset": variant})


def build_variant(target: str, variant: str, scratch: Path) -> Path:
    """Build identity under `variant` into a scratch warehouse fed by the target's landing files."""
    data_dir = PROJECT_DIR / os.environ.get("CDP_DATA_DIR", "data")
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CDP_DATA_DIR": str(scratch / variant),
        "CDP_LANDING_DIR": str(data_dir / target / "landing"),
    }
    command = [
        str(Path(sys.executable).parent / "dbt"), "build", "--target", target,
        "--select", "+int_identity_customer_ids", "--resource-type", "model", "--resource-type", "seed",
        "--vars", json.dumps(variant_vars(variant)),
        "--target-path", str(scratch / variant / "target"), "--log-path", str(scratch / variant / "logs"),
        "--quiet",
    ]  # fmt: skip
    (scratch / variant / target).mkdir(parents=True, exist_ok=True)
    subprocess.run(command, cwd=PROJECT_DIR, env=env, check=True)
    return scratch / variant / target / "warehouse.duckdb"


def splink_scores(warehouse: Path, truth_dir: Path, thresholds: Sequence[float]) -> list[Scores]:
    """Splink alone on the same records: at its usual 0.95 (if among `thresholds`) and at its best F1."""
    from cdp_sample.splink_baseline import run

    scored = {
        threshold: score(warehouse, truth_dir, ruleset=f"splink (p >= {threshold})", clusters=clusters)
        for threshold, clusters in run(warehouse, thresholds).items()
    }
    best = max(scored, key=lambda threshold: scored[threshold].f1)
    shown = [t for t in dict.fromkeys([SPLINK_USUAL_THRESHOLD, best]) if t in scored]
    return [
        replace(scored[t], ruleset=f"{scored[t].ruleset}, best F1")
        if t == best and len(shown) > 1
        else scored[t]
        for t in shown
    ]


def format_table(results: Sequence[Scores]) -> str:
    header = (
        "| ruleset | records | customers | persons | precision | recall | linkable recall | F1 "
        "| linkable F1 | false pairs | missed linkable pairs |"
    )
    lines = [header, "|" + " --- |" * 11]
    for r in results:
        lines.append(
            f"| {r.ruleset} | {r.records:,} | {r.customers:,} | {r.persons:,} | {r.precision:.4f} "
            f"| {r.recall:.4f} | {r.linkable_recall:.4f} | {r.f1:.4f} | {r.linkable_f1:.4f} "
            f"| {r.false_pairs:,} | {r.missed_linkable_pairs:,} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="dev", help="dbt target whose warehouse and truth to read")
    parser.add_argument(
        "--variants",
        default="",
        help="comma-separated variants to rebuild and score: deterministic, or a ruleset (strict, loose)",
    )
    parser.add_argument("--splink", action="store_true", help="also score Splink alone on the same records")
    parser.add_argument(
        "--splink-thresholds",
        default=",".join(map(str, SPLINK_THRESHOLDS)),
        help="match probabilities to cluster Splink's pairs at; the table shows 0.95 and the best F1",
    )
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    args = parser.parse_args(argv)

    data_dir = PROJECT_DIR / os.environ.get("CDP_DATA_DIR", "data")
    warehouse = data_dir / args.target / "warehouse.duckdb"
    truth_dir = data_dir / args.target / "truth"
    if not warehouse.exists() or not truth_dir.exists():
        raise SystemExit(f"Build the {args.target} target first: no {warehouse} or {truth_dir}.")
    results = [score(warehouse, truth_dir, ruleset="default (as built)")]
    scratch = data_dir / "evaluation"
    for variant in filter(None, args.variants.split(",")):
        results.append(score(build_variant(args.target, variant, scratch), truth_dir, ruleset=variant))
    if args.splink:
        results += splink_scores(warehouse, truth_dir, [float(t) for t in args.splink_thresholds.split(",")])
    print(format_table(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()

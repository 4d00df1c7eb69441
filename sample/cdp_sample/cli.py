"""cdp-generate: the initial load of the sample sources, or an incremental batch on top of it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cdp_sample import rates
from cdp_sample.batch import generate_batch
from cdp_sample.generate import Config, Summary, generate_base
from cdp_sample.truth import read_manifest

DEFAULT_SEED = 42


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="cdp-generate",
        description="Generate multi-source CDP sample data (landing Parquet) with held-apart ground truth.",
    )
    parser.add_argument("--customers", type=int, required=True, help="people in the initial load")
    parser.add_argument(
        "--seed", type=int, help="seed (default 42; batches: the initial load's); same arguments, same data"
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder (landing/ and truth/ go here)")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=dt.datetime.now(dt.UTC).date(),
        help="the initial load is at this date's 00:00 UTC, after 3 years of history (default: today, UTC)",
    )
    parser.add_argument(
        "--batch", type=int, help="make incremental batch K (>= 1) on top of an existing --out"
    )
    parser.add_argument(
        "--batch-fraction",
        type=float,
        default=rates.BATCH_FRACTION,
        help=f"batch rows as a share of the initial load's rows (default {rates.BATCH_FRACTION})",
    )
    parser.add_argument(
        "--scenario", choices=["freshness"], help="with --batch: a latency-benchmark micro-batch"
    )
    args = parser.parse_args(argv)
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    if args.batch is not None and args.batch < 1:
        parser.error("--batch must be at least 1 (batch 0 is the initial load)")
    if args.scenario and args.batch is None:
        parser.error("--scenario needs --batch")
    return args


def main(argv: list[str] | None = None) -> int:
    raw = sys.argv[1:] if argv is None else argv
    args = parse_args(raw)
    if args.batch is None:
        summary = generate_base(
            Config(
                customers=args.customers,
                seed=DEFAULT_SEED if args.seed is None else args.seed,
                out=args.out,
                as_of=args.as_of,
            )
        )
        label = f"initial load of {args.customers:,} people"
    else:
        if "--as-of" in raw and read_manifest(args.out)["arguments"]["as_of"] != args.as_of.isoformat():
            raise SystemExit("--as-of differs from the initial load's; batches follow the initial load")
        summary = generate_batch(
            args.out, args.batch, args.batch_fraction, args.scenario, args.customers, args.seed
        )
        label = f"batch {args.batch}" + (f" ({args.scenario})" if args.scenario else "")
    print_summary(label, args.out, summary, args.customers if args.batch is None else None)
    return 0


def print_summary(label: str, out: Path, summary: Summary, customers: int | None) -> None:
    total = sum(summary.rows.values())
    print(f"cdp-generate: {label} -> {out}")
    width = max(len(key) for key in summary.rows)
    for key, rows in summary.rows.items():
        print(f"  {key:<{width}}  {rows:>12,}")
    per_customer = f"  ({total / customers:.1f} per customer)" if customers else ""
    print(f"  {'total':<{width}}  {total:>12,}{per_customer}")
    kinds = summary.extra.get("kinds")
    if isinstance(kinds, dict):
        for kind, counts in kinds.items():
            print(f"  {kind}: {counts['people']:,} people, {counts['landing_rows']:,} rows")
    print(f"  {summary.seconds:.1f} s")

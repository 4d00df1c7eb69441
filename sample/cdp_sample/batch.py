"""Incremental batches (K >= 1): new part files whose rows change what the earlier loads said.

A batch is loaded K hours after the initial load and covers the hour before. Its people are of five kinds:
new people; existing people with new activity (events, orders, till sales); existing people using a NEW
email (a support ticket with that email and their known phone, a new browser identified by it); people
whose two unlinked footprints a new shop account MERGES (the guest email and the loyalty-only phone); and
existing profiles updated (new versions). `--scenario freshness` makes a micro-batch of activity plus
purchases by abandoned-checkout people and email opt-outs by subscribed people, for latency benchmarks.
Every batch also re-delivers a few web, app and ESP events of earlier loads (same ids, same payload) and
lists them, and its own late-arriving events, in batch-K.json.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cdp_sample import rates
from cdp_sample.contract import load_contract
from cdp_sample.generate import (
    SPILL_DIR,
    Config,
    Summary,
    load_actors,
    open_generator,
    write_sources,
)
from cdp_sample.landing import COMPLETE_MARKER, LandingWriter, copy_to, part_name
from cdp_sample.persons import PERSON_COLUMNS, build_persons
from cdp_sample.plan import BATCH_SECONDS, DAY, actors_sql, families_sql
from cdp_sample.sources import Ctx
from cdp_sample.truth import (
    TruthWriter,
    iso_text,
    links_path,
    manifest_path,
    persons_path,
    read_manifest,
    records_path,
    truth_dir,
)

# Landing rows per person of each existing-people kind (measured), to size a batch from --batch-fraction.
_ROWS_PER_PERSON = {"activity": 3.0, "new_identifier": 4.7, "merge": 1.4, "profile_update": 1.3}
_EXISTING_KINDS = ("activity", "new_identifier", "profile_update")
_EXAMPLES = 50  # person ids listed per kind in batch-K.json


@dataclass(frozen=True)
class BatchPlan:
    batch: int
    w_lo: float  # the batch window: its new records happen in [w_lo, w_hi)
    w_hi: float
    people: dict[str, int]  # wanted people per kind
    first_new_id: int
    earlier: str  # relation of the people of earlier loads (a failed try of this batch may have added more)


def generate_batch(
    out: Path, batch: int, fraction: float, scenario: str | None, customers: int | None, seed: int | None
) -> Summary:
    started = time.perf_counter()
    manifest = read_manifest(out)
    args = manifest["arguments"]
    _check_arguments(manifest, batch, customers, seed)
    cfg = Config(
        customers=args["customers"],
        seed=args["seed"],
        out=out,
        as_of=dt.date.fromisoformat(args["as_of"]),
        chunk_size=args["chunk_size"],
    )
    (out / "landing" / COMPLETE_MARKER).unlink(missing_ok=True)
    for stale in (out / "landing").glob(f"*/*/part-{batch:05d}-*.parquet"):
        stale.unlink()  # left by a failed try of this batch
    con = open_generator(cfg.seed, out)
    earlier = f"(select * from read_parquet('{persons_path(out)}') where batch < {batch})"
    last_id = con.execute(f"select max(person_id) from {earlier}").fetchone()[0]
    plan = _plan(cfg, manifest, batch, fraction, scenario, last_id, earlier)
    report: dict[str, object] = {"batch": batch, "scenario": scenario, "fraction": fraction}

    kinds = (
        _existing_actors(con, cfg, plan) if scenario is None else _freshness_actors(con, cfg, plan, report)
    )
    if plan.people["new_person"]:
        kinds["new_person"] = _new_people(con, cfg, plan)
    con.execute(families_sql(f"read_parquet('{persons_path(out)}')"))
    con.execute("create or replace temp table batch_people (person_id bigint, kind varchar)")
    for kind, select in kinds.items():
        con.execute(f"insert into batch_people select person_id, '{kind}' from ({select})")
    load_actors(con, " union all by name ".join(f"({select})" for select in kinds.values()))

    truth = TruthWriter(out, keep_existing=True)
    links = TruthWriter(out, keep_existing=True, path=links_path(out))
    writer = LandingWriter(
        con, load_contract(), out, batch=batch, truth=truth, links=links, write_empty=False, tally=True
    )
    write_sources(con, writer, Ctx(batch=batch, t_load=plan.w_hi), chunk=0)
    _count_kinds(con, report)
    _late_events(con, out, plan, report)
    _redeliver(con, cfg, plan, writer.counts, report)
    if scenario == "freshness":
        _freshness_ids(con, out, batch, report)
    # The truth and then the manifest are replaced last, so a failed try leaves the earlier state to retry.
    truth.close()
    links.close()
    con.close()
    shutil.rmtree(out / SPILL_DIR, ignore_errors=True)
    report["loaded_at"] = iso_text(plan.w_hi)
    report["landing_rows"] = dict(writer.counts)
    new_people = plan.people["new_person"]
    report["new_person_ids"] = [plan.first_new_id, plan.first_new_id + new_people - 1] if new_people else []
    _record(out, manifest, batch, report)
    (out / "landing" / COMPLETE_MARKER).touch()
    return Summary(rows=dict(writer.counts), seconds=time.perf_counter() - started, extra=report)


def _check_arguments(manifest: dict, batch: int, customers: int | None, seed: int | None) -> None:
    args = manifest["arguments"]
    if customers is not None and customers != args["customers"]:
        raise SystemExit(f"--customers {customers} differs from the base ({args['customers']})")
    if seed is not None and seed != args["seed"]:
        raise SystemExit(f"--seed {seed} differs from the base ({args['seed']})")
    done = [b["batch"] for b in manifest["batches"]]
    expected = max(done, default=0) + 1
    if batch != expected:
        raise SystemExit(
            f"batch {batch} cannot be made now: batches so far {done or 'none'}, the next is {expected}"
        )


def _plan(
    cfg: Config, manifest: dict, batch: int, fraction: float, scenario: str | None, last_id: int, earlier: str
) -> BatchPlan:
    w_hi = cfg.t_as_of + batch * BATCH_SECONDS
    shares = {k: v / sum(rates.BATCH_KINDS.values()) for k, v in rates.BATCH_KINDS.items()}
    if scenario == "freshness":
        # Activity only, sized to about FRESHNESS_EVENTS events; the purchases and opt-outs come on top.
        wanted = {"activity": round(rates.FRESHNESS_EVENTS / _ROWS_PER_PERSON["activity"]), "new_person": 0}
    else:
        base_rows = sum(manifest["landing_rows"]["0"].values())
        per_person = dict(_ROWS_PER_PERSON, new_person=base_rows / cfg.customers)
        people_total = fraction * base_rows / sum(shares[k] * per_person[k] for k in shares)
        wanted = {k: max(1, round(people_total * shares[k])) for k in shares}
    return BatchPlan(batch, w_hi - BATCH_SECONDS, w_hi, wanted, last_id + 1, earlier)


def _window(plan: BatchPlan, key: str) -> str:
    """A time in the batch window, drawn per person."""
    return f"{plan.w_lo} + {BATCH_SECONDS} * u2(person_id, {plan.batch}, '{key}')"


def _overrides(plan: BatchPlan, **columns: str) -> str:
    """`select * replace (...)` items for existing people: the batch window, no rows unless asked."""
    quiet = {
        "t_lo": f"{plan.w_lo}::double",
        "t_hi": f"{plan.w_hi}::double",
        "emit_profiles": "false",
        "deletion": "false",
        "cross_device": "false",
    }
    counts = ("n_orders", "n_abandoned", "n_cookies", "n_app_events", "n_tablet_events", "n_pos", "n_tickets")
    quiet |= {name: "0" for name in (*counts, "n_esp_events")}
    quiet |= columns
    return ", ".join(f"{value} as {name}" for name, value in quiet.items())


def _existing(cfg: Config, plan: BatchPlan, where: str, overrides: str) -> str:
    people = f"(select * from {plan.earlier} where {where})"
    return f"select * replace ({overrides}) from ({actors_sql(people, cfg.t_as_of, 0.0)})"


def _kind_draw(plan: BatchPlan, low: float, high: float) -> str:
    draw = f"u2(person_id, {plan.batch}, 'kind')"
    return f"{draw} >= {low} and {draw} < {high}"


def _activity(cfg: Config, plan: BatchPlan, where: str) -> str:
    b = plan.batch
    deletion_rate = rates.BATCH_DELETION_REQUESTS / max(1, plan.people["activity"])
    overrides = _overrides(
        plan,
        deletion=f"u2(person_id, {b}, 'dsr') < {deletion_rate}",
        n_orders=f"(n_orders + n_abandoned > 0 and u2(person_id, {b}, 'o') < 0.3)::int",
        n_abandoned=f"(shop_account and u2(person_id, {b}, 'ab') < 0.08)::int",
        n_cookies="least(n_cookies, 1)",
        web_continue="true",
        n_app_events=f"case when app then 1 + floor(3 * u2(person_id, {b}, 'app'))::int else 0 end",
        n_pos=f"(n_pos > 0 and u2(person_id, {b}, 'pos') < 0.2)::int",
        n_tickets=f"(u2(person_id, {b}, 'tk') < 0.02)::int",
        n_esp_events=f"case when esp then 1 + floor(2 * u2(person_id, {b}, 'esp'))::int else 0 end",
    )
    return _existing(cfg, plan, where, overrides)


def _existing_actors(con: duckdb.DuckDBPyConnection, cfg: Config, plan: BatchPlan) -> dict[str, str]:
    total = con.execute(f"select count(*) from {plan.earlier}").fetchone()[0]
    # One draw per person decides their kind, so kinds are disjoint; split people are kept for merges.
    bounds, low = {}, 0.0
    for kind in _EXISTING_KINDS:
        high = low + plan.people[kind] / total
        bounds[kind] = f"archetype <> 'split' and {_kind_draw(plan, low, high)}"
        low = high
    b = plan.batch
    new_email = (
        "split_part(email_1, '@', 1) || '.' || lower(to_base(person_id, 36)) || '@' || "
        f"pick(['outlook.com', 'proton.me', 'gmail.com', 'icloud.com'], u2(person_id, {b}, 'domain'))"
    )
    new_identifier = _overrides(
        plan, n_tickets="1", n_cookies="1", extra_email=new_email, force_phone="true", new_cookie=str(b)
    )
    profile_update = _overrides(plan, t_update=_window(plan, "update"))
    # Merges: split people not merged yet (no shop account in the truth so far) open an account in the
    # window with the email of their guest orders and the phone of their loyalty card.
    merged = f"""select person_id from read_parquet('{records_path(cfg.out)}')
        where source = 'shop' and entity = 'customers'"""
    unmerged = f"archetype = 'split' and person_id not in ({merged})"
    split_left = con.execute(f"select count(*) from {plan.earlier} where {unmerged}")
    p_merge = plan.people["merge"] / max(1, split_left.fetchone()[0])
    merge = _overrides(
        plan,
        emit_profiles="true",
        t_end=f"{plan.w_hi}::double",
        shop_account="true",
        shop_dup="false",
        t_shop=_window(plan, "shop"),
        crm="false",
        esp="false",
        loyalty="false",
        app="false",
        tablet="false",
        extra_email="email_1",
        force_phone="true",
    )
    return {
        "activity": _activity(cfg, plan, bounds["activity"]),
        "new_identifier": _existing(cfg, plan, bounds["new_identifier"], new_identifier),
        "profile_update": _existing(cfg, plan, bounds["profile_update"], profile_update),
        "merge": _existing(cfg, plan, f"{unmerged} and u2(person_id, {b}, 'merge') < {p_merge}", merge),
    }


def _new_people(con: duckdb.DuckDBPyConnection, cfg: Config, plan: BatchPlan) -> str:
    lo, hi = plan.first_new_id, plan.first_new_id + plan.people["new_person"] - 1
    taken = f"""(select person_id, first_email as email, phone_e164 from {plan.earlier}
        union all select person_id, email, landline_e164 from {plan.earlier}
        union all select person_id, work_email, null from {plan.earlier})"""
    build_persons(con, lo, hi, plan.w_lo, plan.w_hi, batch=plan.batch, taken=taken)
    staged = persons_path(cfg.out).with_suffix(".parquet.tmp")
    columns = ", ".join(PERSON_COLUMNS)
    copy_to(
        con,
        f"select {columns} from {plan.earlier} union all select {columns} from persons order by person_id",
        staged,
    )
    staged.replace(persons_path(cfg.out))
    return f"select * replace (false as deletion) from ({actors_sql('persons', cfg.t_as_of, 0.0)})"


def _freshness_actors(
    con: duckdb.DuckDBPyConnection, cfg: Config, plan: BatchPlan, report: dict[str, object]
) -> dict[str, str]:
    """About FRESHNESS_EVENTS events of activity, plus purchases by abandoners and opt-outs by subscribers."""
    landing, records = cfg.out / "landing", records_path(cfg.out)
    b = plan.batch
    # People whose latest checkout state is abandoned (logged in) with no order of theirs after it, those who
    # abandoned within the cart-abandoner segment's window first.
    buyers = con.execute(f"""
        with checkouts as (
            select id, customer_id, created_at, completed_at,
                row_number() over (partition by id order by updated_at desc, _loaded_at desc) as latest
            from read_parquet('{landing}/shop/checkouts/*.parquet')
        ),
        abandoned as (
            select customer_id, max(created_at::timestamptz) as abandoned_at from checkouts
            where latest = 1 and completed_at is null and customer_id is not null group by customer_id
        ),
        orders as (
            select customer_id, max(created_at::timestamptz) as ordered_at
            from read_parquet('{landing}/shop/orders/*.parquet')
            where customer_id is not null group by customer_id
        ),
        owners as (
            select record_id::bigint as customer_id, person_id from read_parquet('{records}')
            where source = 'shop' and entity = 'customers'
        )
        select o.person_id, a.customer_id from abandoned as a
        join owners as o using (customer_id)
        left join orders as d using (customer_id)
        where d.ordered_at is null or d.ordered_at < a.abandoned_at
        order by
            epoch(a.abandoned_at) >= {plan.w_lo - rates.FRESHNESS_ABANDONED_WITHIN_DAYS * DAY} desc,
            hash(o.person_id, {cfg.seed}, {b})
        limit {rates.FRESHNESS_PURCHASES}
    """).fetchall()
    # People whose first (main) ESP profile's latest email consent is SUBSCRIBED (not a family member using
    # the head's email: their email consent changes land on the head's profile).
    quitters = con.execute(f"""
        with latest as (
            select profile_id, consent,
                row_number() over (partition by profile_id order by consented_at desc, _loaded_at desc) as rn
            from read_parquet('{landing}/esp/subscriptions/*.parquet') where channel = 'email'
        ),
        profiles as (
            select distinct id as profile_id, created from read_parquet('{landing}/esp/profiles/*.parquet')
        ),
        main as (
            select r.person_id, r.record_id as profile_id from read_parquet('{records}') as r
            join profiles as p on p.profile_id = r.record_id
            where r.source = 'esp' and r.entity = 'profiles'
                and r.person_id not in (select person_id from {plan.earlier} where family_email is not null)
            qualify row_number() over (partition by r.person_id order by p.created, r.record_id) = 1
        )
        select m.person_id, m.profile_id from latest as l join main as m using (profile_id)
        where l.rn = 1 and l.consent = 'SUBSCRIBED'
        order by hash(m.person_id, {cfg.seed}, {b}, 'quit') limit {rates.FRESHNESS_OPT_OUTS}
    """).fetchall()
    buyer_ids = [row[0] for row in buyers] or [-1]
    quitter_ids = [row[0] for row in quitters if row[0] not in buyer_ids] or [-1]
    report["purchases"] = [{"person_id": p, "shop_customer_id": c} for p, c in buyers]
    report["opt_outs"] = [{"person_id": p, "profile_id": q} for p, q in quitters if p in quitter_ids]
    chosen = ", ".join(str(i) for i in buyer_ids + quitter_ids)
    total = con.execute(f"select count(*) from {plan.earlier}").fetchone()[0]
    active = f"person_id not in ({chosen}) and {_kind_draw(plan, 0.0, plan.people['activity'] / total)}"
    purchase = _overrides(plan, n_orders="1", logged_in="true")
    opt_out = _overrides(plan, t_unsubscribe=_window(plan, "unsubscribe"))
    return {
        "activity": _activity(cfg, plan, active),
        "purchase": _existing(cfg, plan, f"person_id in ({', '.join(map(str, buyer_ids))})", purchase),
        "opt_out": _existing(cfg, plan, f"person_id in ({', '.join(map(str, quitter_ids))})", opt_out),
    }


def _freshness_ids(con: duckdb.DuckDBPyConnection, out: Path, batch: int, report: dict[str, object]) -> None:
    """Add each purchase's order and each opt-out's email, read back from the batch's landing files."""
    part = f"part-{batch:05d}-*.parquet"
    orders = con.execute(
        f"select customer_id, id, email from read_parquet('{out}/landing/shop/orders/{part}')"
    )
    by_customer = {c: (i, e) for c, i, e in orders.fetchall()}
    for purchase in report["purchases"]:  # type: ignore[attr-defined]
        order_id, email = by_customer.get(purchase["shop_customer_id"], (None, None))
        purchase.update(order_id=order_id, email=email)
    changes = con.execute(
        f"select profile_id, email, consented_at from read_parquet('{out}/landing/esp/subscriptions/{part}')"
        " where consent = 'UNSUBSCRIBED'"
    )
    by_profile = {p: (e, t) for p, e, t in changes.fetchall()}
    for opt_out in report["opt_outs"]:  # type: ignore[attr-defined]
        email, at = by_profile.get(opt_out["profile_id"], (None, None))
        opt_out.update(email=email, unsubscribed_at=at)


# Event tables a batch re-delivers from: id column, event time (epoch seconds), a cheap test that a row
# was received after {since} (epoch seconds), and the order of an event's copies within one load.
_EVENT_TABLES = {
    "web.events": (
        "message_id",
        "epoch(original_timestamp::timestamptz)",
        "received_at >= ts({since})",
        "received_at",
    ),
    "app.events": ("event_id", "event_ts", "event_ts >= {since}", "event_id"),
    "esp.events": ("id", "epoch(event_time::timestamptz)", "event_time >= iso_utc({since})", "id"),
}


def _part(out: Path, key: str, batch: int) -> Path:
    return out / "landing" / key.replace(".", "/") / part_name(batch, 0)


def _late_events(
    con: duckdb.DuckDBPyConnection, out: Path, plan: BatchPlan, report: dict[str, object]
) -> None:
    """Ids of the batch's own events that happened at least a day before its load (late arrivals)."""
    late: dict[str, list[str]] = {}
    for key, (id_column, event_time, _, _) in _EVENT_TABLES.items():
        path = _part(out, key, plan.batch)
        late[key] = []
        if path.exists():
            rows = con.execute(f"""
                select distinct {id_column} from read_parquet('{path}')
                where {event_time} < {plan.w_hi - DAY} order by 1
            """).fetchall()
            late[key] = [row[0] for row in rows]
    report["late_event_ids"] = late


def _redeliver(
    con: duckdb.DuckDBPyConnection,
    cfg: Config,
    plan: BatchPlan,
    counts: dict[str, int],
    report: dict[str, object],
) -> None:
    """Append to the batch's event files a few events an earlier load delivered: same id, same payload.

    REDELIVERED_EVENTS of the batch's new events of each table (at least one), drawn from the events that
    came in the REDELIVERY_LOOKBACK_DAYS before the batch window, as first delivered.
    """
    redelivered: dict[str, list[str]] = {}
    since = plan.w_lo - rates.REDELIVERY_LOOKBACK_DAYS * DAY
    for key, (id_column, _, recent, first_copy) in _EVENT_TABLES.items():
        path = _part(cfg.out, key, plan.batch)
        earlier = [
            str(p)
            for p in sorted(path.parent.glob("part-*.parquet"))
            if int(p.name.split("-")[1]) < plan.batch
        ]
        redelivered[key] = []
        if not counts.get(key) or not path.exists() or not earlier:
            continue
        wanted = max(1, round(rates.REDELIVERED_EVENTS * counts[key]))
        con.execute(f"""
            create or replace temp table redelivered as
            select * replace (ts({plan.w_hi}) as _loaded_at) from read_parquet({earlier!r})
            where {recent.format(since=since)}
            qualify row_number() over (partition by {id_column} order by {first_copy}) = 1
            order by hash({id_column}, {cfg.seed}, {plan.batch}) limit {wanted}
        """)
        staged = path.with_suffix(".parquet.tmp")
        copy_to(con, f"select * from read_parquet('{path}') union all select * from redelivered", staged)
        staged.replace(path)
        ids = [row[0] for row in con.execute(f"select {id_column} from redelivered order by 1").fetchall()]
        counts[key] += len(ids)
        redelivered[key] = ids
    report["redelivered_event_ids"] = redelivered


def _count_kinds(con: duckdb.DuckDBPyConnection, report: dict[str, object]) -> None:
    """People, landing rows and truth records per kind of this batch (each person has one kind)."""
    rows = con.execute("""
        with written as (
            select person_id, sum(n) as n, sum(recorded) as recorded from tally group by person_id
        )
        select k.kind, count(*), coalesce(sum(w.n), 0), coalesce(sum(w.recorded), 0)
        from batch_people as k left join written as w using (person_id)
        group by k.kind order by k.kind
    """).fetchall()
    examples = dict(
        con.execute(f"""
            select kind, list(person_id order by person_id)[1:{_EXAMPLES}] from batch_people group by kind
        """).fetchall()
    )
    report["kinds"] = {
        kind: {"people": people, "landing_rows": int(landed), "truth_records": int(recorded),
               "example_person_ids": examples[kind]}
        for kind, people, landed, recorded in rows
    }  # fmt: skip


def _record(out: Path, manifest: dict, batch: int, report: dict[str, object]) -> None:
    path = truth_dir(out) / "batches" / f"batch-{batch}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    manifest["batches"].append(
        {"batch": batch, "loaded_at": report["loaded_at"], "scenario": report["scenario"]}
    )
    manifest["loaded_at"][str(batch)] = report["loaded_at"]
    manifest["landing_rows"][str(batch)] = report["landing_rows"]
    manifest_path(out).write_text(json.dumps(manifest, indent=2, default=str) + "\n")

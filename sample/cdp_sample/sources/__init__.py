"""Source generators: one module per source system, each turning actors into that system's tables."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Ctx:
    """What a generator needs beyond the actors: the batch number (ids, salts) and the load time."""

    batch: int
    t_load: float  # epoch seconds of _loaded_at; every delivery time is before it

    @property
    def loaded_at(self) -> str:
        return f"ts({self.t_load})"


@dataclass(frozen=True)
class Output:
    """One landing table's rows: the landing columns plus _person_id, _record_id and _truth.

    _truth marks the one row per record that goes to truth/records (not redeliveries or later versions).
    """

    key: str  # "source.table"
    sql: str
    in_truth: bool = True
    # The SQL also has a boolean _probabilistic after _truth: the record is a probabilistic-only one
    # (listed in truth/probabilistic_links.parquet).
    probabilistic: bool = False

    @property
    def source(self) -> str:
        return self.key.split(".")[0]

    @property
    def table(self) -> str:
        return self.key.split(".")[1]


def modules() -> list[ModuleType]:
    """The source generator modules, in the order they run (each has prepare(ctx) and outputs(ctx))."""
    # Imported here: each module imports Ctx and Output from this package.
    from cdp_sample.sources import app, crm, esp, loyalty, pos, privacy, shop, support, web

    return [shop, crm, web, app, pos, loyalty, support, esp, privacy]

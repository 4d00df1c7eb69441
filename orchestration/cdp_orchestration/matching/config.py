"""The probabilistic-matching configuration of the dbt project, read from the vars of dbt_project.yml.

The dbt models (models/intermediate/identity/int_matching_*) score pairs with SQL that the macros in
macros/matching/ write from these vars; this module writes the same comparison levels as Splink settings
(DuckDB SQL over `<column>_l` / `<column>_r`), so that Splink estimates m and u for exactly the levels the
warehouse uses. Keep `level_condition` in step with macros/matching/matching_level_condition.sql.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[3]
PARAMETERS_SEED = PROJECT_DIR / "seeds" / "matching_parameters.csv"
PRIOR = ("prior", "probability_two_random_records_match")


@dataclass(frozen=True)
class Level:
    kind: str
    threshold: float | int | None = None

    @property
    def name(self) -> str:
        """The level's name in the parameters seed (as cdp.matching_level_name writes it)."""
        return self.kind if self.threshold is None else f"{self.kind}_{self.threshold}"


@dataclass(frozen=True)
class Comparison:
    comparison: str
    column: str
    levels: tuple[Level, ...]

    @property
    def level_names(self) -> list[str]:
        """Every level with parameters, in order: the configured ones, then else (null has none)."""
        return [level.name for level in self.levels] + ["else"]


@dataclass(frozen=True)
class BlockingRule:
    rule: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class MatchingConfig:
    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[BlockingRule, ...]
    link_threshold: float
    review_threshold: float

    @property
    def columns(self) -> list[str]:
        """Columns of int_matching_records the comparisons and blocking rules read."""
        seen: dict[str, None] = {}
        for rule in self.blocking_rules:
            seen.update(dict.fromkeys(rule.columns))
        seen.update(dict.fromkeys(c.column for c in self.comparisons))
        return list(seen)


@cache
def project_vars() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


def load_config(overrides: dict[str, Any] | None = None) -> MatchingConfig:
    """The matching vars of dbt_project.yml, with `overrides` (as `dbt --vars` would give them) on top."""
    values = {**project_vars(), **(overrides or {})}
    return MatchingConfig(
        comparisons=tuple(
            Comparison(
                comparison=c["comparison"],
                column=c["column"],
                levels=tuple(Level(level["kind"], level.get("threshold")) for level in c["levels"]),
            )
            for c in values["matching_comparisons"]
        ),
        blocking_rules=tuple(
            BlockingRule(rule=r["rule"], columns=tuple(r["columns"]))
            for r in values["matching_blocking_rules"]
        ),
        link_threshold=float(values["matching_link_threshold"]),
        review_threshold=float(values["matching_review_threshold"]),
    )


def nickname_column(column: str) -> str:
    """The list column Splink's input carries for a nickname level: the names equivalent to `column`."""
    return f"{column}_equivalents"


def level_condition(level: Level, column: str) -> str:
    """A level's condition in Splink's DuckDB SQL (the twin of cdp.matching_level_condition)."""
    a, b = f'"{column}_l"', f'"{column}_r"'
    text_a, text_b = f"cast({a} as varchar)", f"cast({b} as varchar)"
    match level.kind:
        case "exact":
            return f"{a} = {b}"
        case "nickname":
            return f'list_contains("{nickname_column(column)}_l", {b})'
        case "jaro_winkler":
            return f"jaro_winkler_similarity({text_a}, {text_b}) >= {level.threshold}"
        case "levenshtein":
            return f"levenshtein({text_a}, {text_b}) <= {level.threshold}"
        case "initial":
            return (
                f"((length({text_a}) = 1 or length({text_b}) = 1) and left({text_a}, 1) = left({text_b}, 1))"
            )
        case "prefix":
            return f"left({text_a}, {level.threshold}) = left({text_b}, {level.threshold})"
        case "soundex":
            return f"{duckdb_soundex(text_a)} = {duckdb_soundex(text_b)}"
        case _:
            raise ValueError(f"matching_comparisons: unknown level kind {level.kind!r}")


def duckdb_soundex(expr: str) -> str:
    """American Soundex in DuckDB SQL, as the macro cdp.soundex writes it for DuckDB (which has none)."""
    letters = f"nullif(regexp_replace(lower({expr}), '[^a-z]', '', 'g'), '')"
    codes = f"translate({letters}, 'aeiouybfpvcgjkqsxzdtlmnrhw', '000000111122222222334556')"
    for digit in range(1, 7):
        codes = f"regexp_replace({codes}, '{digit}+', '{digit}', 'g')"
    tail = f"case when left({letters}, 1) in ('h', 'w') then {codes} else substr({codes}, 2) end"
    return f"(upper(left({letters}, 1)) || rpad(left(replace({tail}, '0', ''), 3), 3, '0'))"


def splink_comparison(comparison: Comparison) -> dict[str, Any]:
    """One comparison as a Splink settings dict: null level, the configured levels in order, else."""
    a, b = f'"{comparison.column}_l"', f'"{comparison.column}_r"'
    levels: list[dict[str, Any]] = [
        {"sql_condition": f"{a} is null or {b} is null", "label_for_charts": "null", "is_null_level": True}
    ]
    levels += [
        {"sql_condition": level_condition(level, comparison.column), "label_for_charts": level.name}
        for level in comparison.levels
    ]
    levels.append({"sql_condition": "ELSE", "label_for_charts": "else"})
    return {
        "output_column_name": comparison.comparison,
        "comparison_description": f"{comparison.comparison} ({comparison.column})",
        "comparison_levels": levels,
    }


def uses_nicknames(config: MatchingConfig) -> list[str]:
    """Columns whose comparison has a nickname level (Splink's input needs their equivalents)."""
    return [c.column for c in config.comparisons if any(level.kind == "nickname" for level in c.levels)]

"""Render the normalisation macros through dbt and run what they compile to on DuckDB, Spark and fakesnow.

The macros are compiled by dbt itself (``dbt compile --inline`` through ``dbtRunner``) in a scratch project
named ``cdp`` whose only macros are ``macros/normalize`` (symlinked, so it is the real code). That keeps the
proof independent of half-written models elsewhere in the repository, and it uses the repository's own
``profiles.yml`` targets, so ``adapter.dispatch`` picks the same ``duckdb__``/``spark__``/``snowflake__``
variants a real run would.

Test cases are table-driven: a ``Group`` is one macro call over one input column of a shared ``cases``
table, with the expected value for each input. Every engine builds the same table, runs the same
compiled query per group and is held to the same expectations.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import random
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
MACRO_DIR = PROJECT_DIR / "macros" / "normalize"
_SCRATCH = Path(tempfile.gettempdir()) / f"cdp_normalize_harness_{os.getpid()}"
_MARKER = "-- @@ "

# --------------------------------------------------------------------------------------------------
# Compiling through dbt
# --------------------------------------------------------------------------------------------------


def _scratch_project() -> Path:
    project = _SCRATCH / "project"
    if not project.exists():
        atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)
    (project / "data" / "dev").mkdir(parents=True, exist_ok=True)
    (project / "data" / "tmp").mkdir(parents=True, exist_ok=True)
    # validate_macro_args: _normalize__macros.yml must match the macros' signatures (an error below).
    (project / "dbt_project.yml").write_text(
        'name: cdp\nversion: "0.1.0"\nconfig-version: 2\nprofile: cdp\nmacro-paths: ["macros"]\n'
        "flags:\n  send_anonymous_usage_stats: false\n  validate_macro_args: true\n"
    )
    link = project / "macros"
    if not link.exists():
        link.symlink_to(MACRO_DIR, target_is_directory=True)
    return project


@contextmanager
def _dbt_environment(project: Path) -> Iterator[None]:
    """Environment the repository's profiles.yml reads; Snowflake only needs dummies to compile."""
    values = {
        "CDP_DATA_DIR": str(project / "data"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "SNOWFLAKE_ACCOUNT": "compile_only",
        "SNOWFLAKE_USER": "compile_only",
        "SNOWFLAKE_PASSWORD": "compile_only",
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@cache
def _compile_cached(items: tuple[tuple[str, str], ...], target: str) -> tuple[tuple[str, str], ...]:
    from dbt.cli.main import dbtRunner

    project = _scratch_project()
    inline = "\n".join(f"{_MARKER}{name}\n{template}" for name, template in items)
    with _dbt_environment(project):
        result = dbtRunner().invoke(
            [
                "compile",
                "--quiet",
                "--log-level",
                "none",
                "--warn-error-options",
                '{"error": ["InvalidMacroAnnotation"]}',
                "--inline",
                inline,
                "--target",
                target,
                "--project-dir",
                str(project),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(_SCRATCH / f"target_{target}"),
                "--log-path",
                str(_SCRATCH / "logs"),
            ]
        )
    if not result.success:
        raise RuntimeError(f"dbt compile --target {target} failed: {result.exception}")
    compiled = result.result.results[0].node.compiled_code
    pieces = re.split(rf"^{re.escape(_MARKER)}(\S+)\n", compiled, flags=re.MULTILINE)
    return tuple(zip(pieces[1::2], (piece.strip() for piece in pieces[2::2]), strict=True))


def compile_sql(templates: Mapping[str, str], target: str) -> dict[str, str]:
    """Compile named Jinja-SQL snippets with dbt for one profiles.yml target (dev, spark, snowflake)."""
    return dict(_compile_cached(tuple(templates.items()), target))


@cache
def rejection_reasons() -> frozenset[str]:
    """The fixed vocabulary of rejection reasons, from the rejection_reasons() macro."""
    compiled = compile_sql({"reasons": "{{ tojson(cdp.rejection_reasons()) }}"}, "dev")["reasons"]
    return frozenset(json.loads(compiled))


def macro_manifest() -> dict[str, Any]:
    """The macros of the scratch project, from the manifest the last compile_sql(..., "dev") wrote."""
    manifest = json.loads((_SCRATCH / "target_dev" / "manifest.json").read_text())
    return {macro["name"]: macro for macro in manifest["macros"].values() if macro["package_name"] == "cdp"}


# --------------------------------------------------------------------------------------------------
# Table-driven cases
# --------------------------------------------------------------------------------------------------

# Input columns of the shared cases table. Timestamps travel as text and each engine's view turns them
# into its own types, so no engine-specific Python conversions are involved.
INPUT_COLUMNS = ("text_value", "arg", "double_value", "bigint_value", "local_text", "tz_text")


@dataclass(frozen=True)
class Group:
    """One macro call, written in Jinja over columns of ``cases``, and its expectations."""

    name: str
    call: str
    cases: Sequence[tuple[Mapping[str, Any], Any]]
    # Cases fakesnow cannot emulate (by input), with the reason, reported rather than asserted.
    fakesnow_skips: Mapping[int, str] = field(default_factory=dict)


def case_rows(groups: Sequence[Group]) -> list[tuple[Any, ...]]:
    rows = []
    for group in groups:
        for case_id, (inputs, _) in enumerate(group.cases):
            unknown = set(inputs) - set(INPUT_COLUMNS)
            assert not unknown, f"{group.name}: unknown input columns {unknown}"
            rows.append((group.name, case_id, *(inputs.get(column) for column in INPUT_COLUMNS)))
    return rows


def group_templates(groups: Sequence[Group]) -> dict[str, str]:
    return {
        group.name: (
            f"select case_id, {{{{ {group.call} }}}} as actual from cases where group_name = '{group.name}'"
        )
        for group in groups
    }


def check_results(group: Group, actual_by_case: Mapping[int, Any], skip: Sequence[int] = ()) -> list[str]:
    """Messages for every case whose actual value differs from the expected one."""
    failures = []
    for case_id, (inputs, expected) in enumerate(group.cases):
        if case_id in skip:
            continue
        actual = actual_by_case.get(case_id)
        if isinstance(expected, Decimal) and actual is not None:
            actual = Decimal(str(actual))
        if actual != expected:
            failures.append(f"{group.name}{dict(inputs)}: expected {expected!r}, got {actual!r}")
    return failures


# Per-engine view over the raw cases table: text -> timestamp types.
CASES_VIEW = {
    "duckdb": (
        "create or replace view cases as select *, cast(local_text as timestamp) as local_value,"
        " cast(tz_text as timestamptz) as tz_value from cases_raw"
    ),
    "spark": (
        "create or replace temporary view cases as select *,"
        " cast(local_text as timestamp_ntz) as local_value, cast(tz_text as timestamp_ltz) as tz_value"
        " from cases_raw"
    ),
    "snowflake": (
        "create or replace view cases as select *, cast(local_text as timestamp_ntz) as local_value,"
        " cast(tz_text as timestamp_tz) as tz_value from cases_raw"
    ),
}
CASES_RAW_COLUMNS = (
    "group_name varchar, case_id integer, text_value varchar, arg varchar, double_value double,"
    " bigint_value bigint, local_text varchar, tz_text varchar"
)


def run_groups(
    groups: Sequence[Group],
    compiled: Mapping[str, str],
    query: Callable[[str], list[tuple[Any, ...]]],
    skip: Callable[[Group], Sequence[int]] = lambda group: (),
) -> list[str]:
    failures = []
    for group in groups:
        rows = query(compiled[group.name])
        failures += check_results(group, dict(rows), skip(group))
    return failures


# --------------------------------------------------------------------------------------------------
# Phone corpus for the libphonenumber oracle
# --------------------------------------------------------------------------------------------------


@cache
def phone_plan_countries() -> tuple[str, ...]:
    """The countries with a numbering plan, from the phone_numbering_plans() macro."""
    template = "{{ tojson(cdp.phone_numbering_plans()['countries'] | map(attribute='country') | list) }}"
    return tuple(json.loads(compile_sql({"countries": template}, "dev")["countries"]))


def _dialled_international_prefix(region: str) -> str:
    """What a caller in the region dials before a foreign calling code (libphonenumber's preferred one)."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.preferred_international_prefix or metadata.international_prefix
    return prefix if prefix.isdigit() else "00"


@dataclass(frozen=True)
class PhoneSample:
    raw: str | None
    default_country: str | None
    kind: str  # how the string was written
    home_country: str | None  # the country the number was made for


def _valid_numbers(region: str, rng: random.Random, wanted: int) -> list[Any]:
    """Distinct valid mobile and fixed-line numbers of a region: libphonenumber's examples with a few
    digits changed, kept when still valid for that region."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    found: dict[str, Any] = {}
    bases = [
        phonenumbers.national_significant_number(example)
        for number_type in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)
        if (example := phonenumbers.example_number_for_type(region, number_type)) is not None
    ]
    calling_code = phonenumbers.country_code_for_region(region)
    attempts = 0
    while len(found) < wanted and attempts < wanted * 200:
        attempts += 1
        digits = list(rng.choice(bases))
        for _ in range(rng.randint(1, 4)):
            digits[rng.randrange(1, len(digits))] = str(rng.randrange(10))
        number = phonenumbers.parse(f"+{calling_code}{''.join(digits)}", None)
        if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region:
            found.setdefault(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), number)
    return list(found.values())


def _invalid_numbers(region: str, rng: random.Random, wanted: int) -> list[str]:
    """Digit strings near the region's examples that libphonenumber rejects (too short, too long,
    wrong leading digits), as E.164-looking strings."""
    import phonenumbers

    calling_code = phonenumbers.country_code_for_region(region)
    example = phonenumbers.example_number(region)
    base = phonenumbers.national_significant_number(example)
    out = []
    while len(out) < wanted:
        digits = list(base)
        action = rng.random()
        if action < 0.3:
            digits = digits[: rng.randint(3, len(digits) - 1)]
        elif action < 0.6:
            digits += [str(rng.randrange(10)) for _ in range(rng.randint(1, 4))]
        else:
            digits[rng.randrange(len(digits))] = str(rng.randrange(10))
            digits[0] = str(rng.randrange(10))
        candidate = f"+{calling_code}{''.join(digits)}"
        if not phonenumbers.is_valid_number(phonenumbers.parse(candidate, None)):
            out.append(candidate)
    return out


def _spell(text: str, rng: random.Random) -> str:
    """Re-punctuate a formatted number the ways people type it."""
    style = rng.choice(("as_is", "dots", "dashes", "spaces", "none", "padded"))
    if style == "dots":
        return re.sub(r"[\s\-()]+", ".", text).strip(".")
    if style == "dashes":
        return re.sub(r"[\s.]+", "-", text)
    if style == "spaces":
        return re.sub(r"[\-.]+", " ", text)
    if style == "none":
        return re.sub(r"[^\d+]", "", text)
    if style == "padded":
        return f"  {text}\t"
    return text


def phone_corpus(seed: int = 20240601, numbers_per_country: int = 70) -> list[PhoneSample]:
    """Phone strings with the default country each is read with: valid numbers of every planned country
    in many spellings, numbers libphonenumber rejects, and junk."""
    import phonenumbers
    from phonenumbers import PhoneNumberFormat

    rng = random.Random(seed)
    samples: list[PhoneSample] = []
    countries = phone_plan_countries()
    non_nanp = [country for country in countries if country not in ("US", "CA")]
    for region in countries:
        calling_code = str(phonenumbers.country_code_for_region(region))
        trunk_prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix
        for number in _valid_numbers(region, rng, numbers_per_country):
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            elsewhere = rng.choice(countries)

            def add(raw: str, default: str | None, kind: str, region: str = region) -> None:
                samples.append(PhoneSample(raw, default, kind, region))

            add(e164, elsewhere, "e164")
            add(_spell(international, rng), elsewhere, "international")
            add(_spell(national, rng), region, "national")
            add(_spell(national, rng), region, "national_respelled")
            add(e164[1:], region, "calling_code_without_plus")
            prefix = _dialled_international_prefix(region)
            add(f"{prefix} {international[1:]}", region, "dialled_prefix_from_home")
            caller = rng.choice(non_nanp)
            add(f"00{rng.choice(['', ' '])}{international[1:]}", caller, "00_from_abroad")
            add(f"011 {international[1:]}", rng.choice(("US", "CA")), "011_from_nanp")
            extension = rng.choice((" x123", " ext. 12", " ext 4567", ";ext=89", " #77", " X 5", ", ext.3"))
            add(_spell(rng.choice((national, international)), rng) + extension, region, "with_extension")
            if trunk_prefix and region not in ("US", "CA"):
                spaced = international.replace(" ", f" ({trunk_prefix}) ", 1)
                add(spaced, elsewhere, "international_with_trunk_prefix")
            if region in ("US", "CA"):
                nsn = e164[2:]
                add(f"1-{nsn[:3]}-{nsn[3:6]}-{nsn[6:]}", region, "nanp_with_trunk_1")
                add(f"+1 ({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}", region, "nanp_with_parentheses")
                add(f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}", region, "nanp_dotted")
            add(international, None, "international_no_default_country")
        for raw in _invalid_numbers(region, rng, 25):
            samples.append(PhoneSample(raw, region, "libphonenumber_invalid", region))
            samples.append(
                PhoneSample(raw[1 + len(calling_code) :], region, "libphonenumber_invalid", region)
            )
    samples += [PhoneSample(raw, country, "junk", None) for raw, country in PHONE_JUNK]
    return samples


# Junk every engine must reject, with the default country used; the reason is checked separately.
PHONE_JUNK: tuple[tuple[str | None, str | None], ...] = (
    ("", "US"),
    ("   ", "GB"),
    ("n/a", "US"),
    ("N/A", "GB"),
    ("none", "DE"),
    ("unknown", "FR"),
    ("-", "US"),
    ("0", "US"),
    ("test", "US"),
    ("0000000000", "US"),
    ("1111111111", "US"),
    ("(555) 555-5555", "US"),
    ("+44 7777 777777", "US"),
    ("07777 777777", "GB"),
    ("000000", "GB"),
    ("555-CALL-NOW", "US"),
    ("call me", "US"),
    ("abc", "GB"),
    ("12ab34567890", "US"),
    ("+1 555 123 4567 / +1 555 765 4321", "US"),
    ("phone: 555 123 4567", "US"),
    ("12345", "US"),
    ("555-1234", "US"),
    ("+1 555 123", "US"),
    ("+1 123 456 7890", "US"),
    ("(055) 123-4567", "US"),
    ("+999 1234 5678", "US"),
    ("+0 123 456", "US"),
    ("++44 20 7946 0018", "GB"),
    ("44 20 7946 0018 44 20 7946 0018", "GB"),
    ("020 7946 0018", None),
    ("020 7946 0018", "XX"),
    ("07700 900123", "JP"),
    ("123456789012345678", "US"),
    ("+4420794600189999999", "GB"),
    ("+33 0 1 23", "FR"),
    ("x123", "US"),
    ("ext. 12", "US"),
    ("+", "US"),
    ("()", "US"),
    ("null", "US"),
    (None, "US"),
)


def phonenumbers_oracle(raw: str | None, default_country: str | None) -> str | None:
    """E.164 per libphonenumber, or None when it cannot parse the string or deems the number invalid."""
    import phonenumbers

    if raw is None:
        return None
    try:
        number = phonenumbers.parse(raw, default_country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@cache
def _spark() -> Any:
    from pyspark.sql import SparkSession
    from spark_session import LOCAL_JVM_OPTIONS

    return (
        SparkSession.builder.master("local[1]")
        .appName("cdp-normalize-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.extraJavaOptions", LOCAL_JVM_OPTIONS)
        .getOrCreate()
    )


def spark_session() -> Iterator[Any]:
    """A local SparkSession (started once per test process), for use as a pytest fixture body.

    The session time zone is set away from UTC while the tests run: the Spark variants of the macros
    must not depend on it (profiles.yml sets UTC, but a Databricks workspace might not)."""
    spark = _spark()
    previous_zone = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "Asia/Kolkata")
    try:
        yield spark
    finally:
        spark.conf.set("spark.sql.session.timeZone", previous_zone)


def to_naive_utc(value: str) -> dt.datetime:
    """Expected value helper: an aware ISO string as the naive UTC datetime the macros return."""
    parsed = dt.datetime.fromisoformat(value)
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed

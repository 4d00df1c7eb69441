"""Snowflake emulated in-process by fakesnow (Snowflake SQL transpiled by sqlglot and run on DuckDB), the
shims for the few statements of dbt-snowflake it cannot run, and a lint of Snowflake SQL for what the
emulation would let through.

`emulated_snowflake(db_path)` patches `snowflake.connector.connect` (so dbt-snowflake, invoked with
`dbtRunner` in this process, and the loader both talk to fakesnow) and records every statement sent.
Statements are rewritten only where fakesnow falls short of Snowflake, never where the project's SQL would:

1. `create or replace temporary table|view <db>.<schema>.<name>` (dbt-snowflake's unit tests and
   incremental staging relations, the connected-components input): DuckDB keeps temporary objects in its
   own `temp` catalog and rejects a qualified name. They are created as ordinary objects.
2. dbt-snowflake's `merge ... when not matched then insert (c) values (c)`: Snowflake reads the bare
   names in `values` from the source, fakesnow joins target and source into one query where they are
   ambiguous. They are qualified with the source's alias.
3. `begin` / `commit` / `rollback` around that merge: fakesnow's MERGE also writes its own catalog, and
   DuckDB writes one attached database per transaction. They run as no-ops (autocommit).
4. fakesnow wraps the argument of SUM/AVG/... in `try_cast(... as double)` (Snowflake casts strings in
   aggregates), which makes a decimal sum a float one: 235.41 / 2 then rounds to 117.70 where Snowflake
   gives 117.71. The project never aggregates strings, so that transform is turned off.
5. SOUNDEX is a Snowflake function DuckDB lacks: the emulation gets it as a Python function of the
   American Soundex algorithm Snowflake documents (edge cases such as names without letters are not
   Snowflake-verified).

Every statement is still linted as sent (`lint_snowflake_sql`): it must parse as Snowflake SQL, call only
Snowflake functions (fakesnow would run a DuckDB-only function such as `regexp_matches` as is), and give
the regex functions no `(?...)` group or non-greedy quantifier (Snowflake's regexes are POSIX ERE; the
emulation's RE2 accepts both).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.dialects.snowflake import Snowflake
from sqlglot.tokens import TokenType

PROJECT_DIR = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

# What profiles.yml's `snowflake` target reads; the emulation ignores the credentials.
EMULATION_ENV = {
    "SNOWFLAKE_ACCOUNT": "fakesnow",
    "SNOWFLAKE_USER": "fakesnow",
    "SNOWFLAKE_PASSWORD": "fakesnow",
    "SNOWFLAKE_ROLE": "TRANSFORMER",
    "SNOWFLAKE_WAREHOUSE": "TRANSFORMING",
    "SNOWFLAKE_DATABASE": "CDP",
    "SNOWFLAKE_SCHEMA": "ANALYTICS",
    "SNOWFLAKE_THREADS": "1",
}

QUALIFIED_TEMPORARY = re.compile(
    r"^(\s*create\s+or\s+replace\s+)temporary(\s+(?:table|view)\s+\w+\.\w+\.)", re.IGNORECASE
)
MERGE = re.compile(r"^\s*merge\s+into\b", re.IGNORECASE)
TRANSACTION = {"begin", "begin transaction", "commit", "rollback"}
NO_OP = "select 'Statement executed successfully.' as status"


@dataclass
class Emulation:
    """Statements sent to the emulation, as sent (bound parameters replaced by NULL for parsing)."""

    statements: list[str] = field(default_factory=list)
    rewritten: dict[str, int] = field(default_factory=dict)

    def rewrite(self, command: str) -> str:
        if QUALIFIED_TEMPORARY.match(command):
            self._count("qualified temporary object")
            return QUALIFIED_TEMPORARY.sub(r"\1\2", command)
        if MERGE.match(command):
            self._count("merge insert values qualified")
            return _qualify_merge_insert_values(command)
        bare = re.sub(r"/\*.*?\*/|--[^\n]*|;", " ", command, flags=re.DOTALL).strip().lower()
        if bare in TRANSACTION:
            self._count("transaction statement")
            return NO_OP
        return command

    def _count(self, shim: str) -> None:
        self.rewritten[shim] = self.rewritten.get(shim, 0) + 1


def _qualify_merge_insert_values(command: str) -> str:
    tree = sqlglot.parse_one(command, read="snowflake")
    source = tree.args["using"].alias_or_name
    for when in tree.args["whens"]:
        then = when.args.get("then")
        if isinstance(then, exp.Insert) and then.expression is not None:
            for value in then.expression.expressions:
                if isinstance(value, exp.Column) and not value.table:
                    value.set("table", exp.to_identifier(source))
    return tree.sql(dialect="snowflake")


@contextmanager
def emulated_snowflake(db_path: Path) -> Iterator[Emulation]:
    """fakesnow with its databases under db_path; schemas exist only once created, as on Snowflake."""
    pytest.importorskip("fakesnow")
    import fakesnow
    import fakesnow.transforms
    from fakesnow.cursor import FakeSnowflakeCursor

    emulation = Emulation()
    execute: Callable[..., Any] = FakeSnowflakeCursor.execute

    def recording_execute(self: Any, command: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        emulation.statements.append(re.sub(r"%s", "null", command) if params else command)
        return execute(self, emulation.rewrite(command), params, *args, **kwargs)

    db_path.mkdir(parents=True, exist_ok=True)
    with (
        pytest.MonkeyPatch.context() as patch,
        fakesnow.patch(db_path=str(db_path), create_schema_on_connect=False),
    ):
        patch.setattr(FakeSnowflakeCursor, "execute", recording_execute)
        patch.setattr(fakesnow.transforms, "numeric_agg_implicit_cast", lambda expression: expression)
        for name, value in EMULATION_ENV.items():
            patch.setenv(name, value)
        import snowflake.connector

        # Functions registered on one DuckDB connection serve all connections to the same database.
        with snowflake.connector.connect() as connection:
            connection._duck_conn.create_function(  # type: ignore[attr-defined]
                "soundex", american_soundex, ["VARCHAR"], "VARCHAR", null_handling="special"
            )
        yield emulation


SOUNDEX_CODES = {
    letter: digit
    for letters, digit in (("bfpv", "1"), ("cgjkqsxz", "2"), ("dt", "3"), ("l", "4"), ("mn", "5"), ("r", "6"))
    for letter in letters
}


def american_soundex(value: str | None) -> str | None:
    """Soundex as Snowflake documents it: the first letter, then the codes of the following consonants
    (one code for a run of one class, h and w not breaking a run, vowels breaking it), three digits."""
    letters = [c for c in (value or "").lower() if "a" <= c <= "z"]
    if not letters:
        return None
    digits, previous = [], SOUNDEX_CODES.get(letters[0], "")
    for letter in letters[1:]:
        if letter in "hw":
            continue
        code = SOUNDEX_CODES.get(letter, "")
        if code and code != previous:
            digits.append(code)
        previous = code
    return (letters[0].upper() + "".join(digits) + "000")[:4]


def dbt_snowflake(args: Sequence[str], data_dir: Path, env: Mapping[str, str] | None = None) -> list[str]:
    """`dbt <args> --target snowflake` in this process (inside `emulated_snowflake`); returns the error
    messages dbt logged, none when the invocation succeeded."""
    from dbt.cli.main import dbtRunner

    saved = dict(os.environ)
    os.environ.update({"DBT_PROFILES_DIR": str(PROJECT_DIR), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    os.environ.update(env or {})
    errors: list[str] = []

    def keep_errors(event: Any) -> None:
        if event.info.level == "error":
            errors.append(event.info.msg)

    try:
        result = dbtRunner(callbacks=[keep_errors]).invoke(
            [*args, "--target", "snowflake", "--project-dir", str(PROJECT_DIR), "--target-path",
             str(data_dir / "target_snowflake"), "--log-path", str(data_dir / "logs_snowflake")]
        )  # fmt: skip
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if result.success:
        return []
    if result.exception is not None:
        errors.append(repr(result.exception))
    return errors or [f"dbt {' '.join(args)} failed"]


def generate_sample(data_dir: Path, customers: int, *options: str) -> Path:
    """`cdp-generate` into data_dir/ci (the DuckDB target `ci` reads it there); returns the landing folder."""
    subprocess.run(
        [str(BIN / "cdp-generate"), "--customers", str(customers), "--seed", "42",
         "--out", str(data_dir / "ci"), *options],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return data_dir / "ci" / "landing"


@contextmanager
def dbt_duckdb(args: Sequence[str], data_dir: Path) -> Iterator[None]:
    """`dbt <args> --target ci` in a subprocess, with the warehouse and landing files under data_dir, running
    while the `with` block runs (the emulation is single-threaded Python: the two share the cores)."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "CDP_DATA_DIR": str(data_dir)}
    env.pop("CDP_LANDING_DIR", None)
    log = data_dir / f"dbt_duckdb_{args[0]}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / "dbt"), *args, "--target", "ci",
             "--target-path", str(data_dir / "target_duckdb"), "--log-path", str(data_dir / "logs_duckdb")],
            cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            yield
        finally:
            process.wait()
    if process.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed on DuckDB:\n{log.read_text()[-6000:]}")


# --------------------------------------------------------------------------------------------------
# Lint: what sqlglot's parse does not catch and the emulation would still run
# --------------------------------------------------------------------------------------------------

# Snowflake's built-in functions (and types written like calls), by name. A call to anything else fails
# the lint: add a name here only after checking it in Snowflake's SQL reference.
SNOWFLAKE_FUNCTION_NAMES = """
    abs acos add_months any_value approx_count_distinct approx_percentile array_agg array_append
    array_cat array_compact array_construct array_contains array_distinct array_size array_slice
    array_sort array_to_string arrays_overlap as_varchar ascii asin atan atan2 avg base64_decode_string
    base64_encode bitand bitor bitxor bool_and bool_or booland_agg boolor_agg cast cbrt ceil ceiling
    char charindex chr coalesce collate concat concat_ws contains convert_timezone corr cos count
    count_if covar_pop covar_samp cume_dist current_account current_database current_date current_role
    current_schema current_schemas current_session current_time current_timestamp current_user
    current_version current_warehouse date date_from_parts date_part date_trunc dateadd datediff day
    dayname dayofmonth dayofweek dayofweekiso dayofyear decode degrees dense_rank div0 div0null
    editdistance endswith equal_null exp extract first_value flatten floor generator get get_ddl
    get_path greatest greatest_ignore_nulls hash hash_agg hex_decode_string hex_encode hour iff ifnull
    ilike initcap insert is_null_value jarowinkler_similarity lag last_day last_query_id last_value
    lead least least_ignore_nulls left len length like listagg ln localtimestamp log lower lpad ltrim
    max max_by md5 md5_hex md5_number_lower64 md5_number_upper64 median min min_by minute mod mode
    month monthname months_between next_day normal nth_value ntile nullif nullifzero nvl nvl2
    object_agg object_construct object_construct_keep_null object_insert object_keys octet_length
    parse_json parse_url percent_rank percentile_cont percentile_disc pi position pow power
    previous_day quarter radians random rank ratio_to_report regexp_count regexp_instr regexp_like
    regexp_replace regexp_substr regexp_substr_all repeat replace result_scan reverse right rlike
    round row_number rpad rtrim second seq1 seq2 seq4 seq8 sha1 sha1_hex sha2 sha2_hex sign sin
    soundex space split split_part split_to_table sqrt square startswith stddev stddev_pop
    stddev_samp strtok strtok_to_array substr substring sum sysdate systimestamp tan time
    time_slice timeadd timediff timestamp_from_parts timestamp_ntz_from_parts timestamp_tz_from_parts
    timestampadd timestampdiff to_array to_binary to_boolean to_char to_date to_decimal to_double
    to_json to_number to_numeric to_object to_time to_timestamp to_timestamp_ltz to_timestamp_ntz
    to_timestamp_tz to_varchar to_variant translate trim trunc truncate try_base64_decode_string
    try_cast try_parse_json try_to_binary try_to_boolean try_to_date try_to_decimal try_to_double
    try_to_number try_to_numeric try_to_time try_to_timestamp try_to_timestamp_ntz
    try_to_timestamp_tz typeof uniform unicode upper uuid_string var_pop var_samp variance
    variance_pop variance_samp week weekiso weekofyear width_bucket year yearofweek yearofweekiso
    zeroifnull
    char varchar string text number numeric decimal int integer bigint float double binary
    timestamp timestamp_ntz timestamp_ltz timestamp_tz
"""
SNOWFLAKE_FUNCTIONS = frozenset(SNOWFLAKE_FUNCTION_NAMES.split())
# `name (` that is not a call: a table or column list after these tokens, or WITHIN GROUP (...).
NOT_A_CALL_AFTER = {TokenType.TABLE, TokenType.INTO, TokenType.VIEW, TokenType.DOT, TokenType.ALIAS}
SNOWFLAKE = Snowflake()


def called_functions(sql: str) -> set[str]:
    """Lower-case names of the functions `sql` calls, as written (sqlglot would rename aliases)."""
    tokens = SNOWFLAKE.tokenize(sql)
    names = set()
    for previous, token, following in zip([None, *tokens], tokens, tokens[1:], strict=False):
        if token.token_type != TokenType.VAR or following.token_type != TokenType.L_PAREN:
            continue
        if previous is not None and (
            previous.token_type in NOT_A_CALL_AFTER or previous.text.lower() == "within"
        ):
            continue
        names.add(token.text.lower())
    return names


def lint_snowflake_sql(sql: str) -> list[str]:
    """Problems of `sql` as Snowflake SQL: parse errors, unknown functions, `(?` regex constructs."""
    try:
        statements = sqlglot.parse(sql, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.SqlglotError as error:
        return [f"does not parse as Snowflake SQL: {str(error).splitlines()[0]}"]
    problems = [
        f"calls {name}(), not a Snowflake function"
        for name in sorted(called_functions(sql) - SNOWFLAKE_FUNCTIONS)
    ]
    for statement in statements:
        if statement is None:
            continue
        for function in statement.find_all(exp.Func):
            if isinstance(function, exp.Anonymous):
                is_regex, arguments = function.name.lower().startswith("regexp"), function.expressions
                pattern = arguments[1] if len(arguments) > 1 else None
            else:
                is_regex = type(function).__name__.startswith("Regexp")
                pattern = function.args.get("expression")
            if is_regex and isinstance(pattern, exp.Literal) and pattern.is_string:
                problems.extend(f"regex {pattern.this!r}: {found}" for found in regex_problems(pattern.this))
    return problems


def regex_problems(pattern: str) -> list[str]:
    """What a regex uses that Snowflake's (POSIX ERE with Perl's backslash classes) lacks: `(?...)` groups
    (lookaround, inline flags, non-capturing) and non-greedy quantifiers, which RE2 and Java accept."""
    problems, i, in_class = [], 0, False
    while i < len(pattern):
        char, following = pattern[i], pattern[i + 1 : i + 2]
        if char == "\\":
            i += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += len(re.match(r"\^?\]?", pattern[i + 1 :])[0])  # a leading ] is literal
        elif char == "(" and following == "?":
            problems.append("a (?...) group, which Snowflake does not have")
            i += 1
        elif char in "*+?}" and following == "?":
            problems.append("a non-greedy quantifier, which Snowflake does not have")
            i += 1
        i += 1
    return problems

"""cdp-snowflake-load: the landing files into RAW_<SOURCE> tables typed as the sources YAML declares, through
PUT and COPY INTO, against the fakesnow emulation."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from cdp_orchestration import snowflake_loader
from cdp_orchestration.snowflake_loader import (
    connection_parameters,
    landing_tables,
    load,
    snowflake_type,
)
from snowflake_emulation import dbt_snowflake, emulated_snowflake, generate_sample

pytestmark = pytest.mark.snowflake


def _parquet_rows(folder: Path) -> int:
    return sum(pq.read_metadata(path).num_rows for path in folder.glob("*.parquet"))


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_sample(tmp_path_factory.mktemp("loader"), 60, "--as-of", "2026-01-01")


def test_source_types_map_to_snowflake_types() -> None:
    assert snowflake_type("bigint") == "number(38, 0)"
    assert snowflake_type("decimal(12,2)") == "number(12, 2)"
    assert snowflake_type("timestamp") == "timestamp_ntz"
    assert snowflake_type("timestamp with time zone") == "timestamp_tz"
    with pytest.raises(ValueError, match="no Snowflake type"):
        snowflake_type("hugeint")


def test_every_source_table_is_loaded_into_its_raw_schema(landing: Path) -> None:
    tables = landing_tables()
    assert {(t.source, t.name) for t in tables} == {
        (folder.parent.name, folder.name) for folder in landing.glob("*/*") if folder.is_dir()
    }
    assert all(t.schema == f"raw_{t.source}" for t in tables)


def test_connection_parameters_password_or_key_pair() -> None:
    base = {"SNOWFLAKE_ACCOUNT": "xy12345.eu-west-1", "SNOWFLAKE_USER": "loader"}
    with_password = connection_parameters({**base, "SNOWFLAKE_PASSWORD": "secret"})
    assert with_password["password"] == "secret"
    assert with_password["database"] == "CDP"
    assert "private_key_file" not in with_password
    key_pair = connection_parameters(
        {**base, "SNOWFLAKE_PRIVATE_KEY_PATH": "/keys/rsa.p8", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE": "pp"}
    )
    assert key_pair["private_key_file"] == "/keys/rsa.p8"
    assert key_pair["private_key_file_pwd"] == "pp"
    assert "password" not in key_pair
    with pytest.raises(SystemExit, match="SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH"):
        connection_parameters(base)


def test_load_then_append_only_new_files(landing: Path, tmp_path: Path) -> None:
    import snowflake.connector

    with emulated_snowflake(tmp_path / "fakesnow") as emulation:
        connection = snowflake.connector.connect(database="CDP")
        loaded = load(connection, landing, landing_tables(), target_schema="ANALYTICS")
        expected = {t.qualified_name: _parquet_rows(landing / t.source / t.name) for t in landing_tables()}
        assert loaded == expected

        cursor = connection.cursor()
        cursor.execute("describe table raw_support.tickets")
        types = {row[0].lower(): row[1].upper() for row in cursor.fetchall()}
        assert types["id"].startswith("NUMBER(38")
        assert types["created_at"].startswith("TIMESTAMP_TZ")
        assert types["_loaded_at"].startswith("TIMESTAMP_NTZ")
        cursor.execute("select count(*) from raw_shop.customers where email is not null")
        assert cursor.fetchone()[0] > 0
        cursor.execute("show schemas like 'ANALYTICS'")
        assert cursor.fetchall(), "the dbt target schema is created for the session's temporary tables"

        # A second batch lands beside the first: --append loads the new files only.
        generate_sample(landing.parent.parent, 60, "--as-of", "2026-01-01", "--batch", "1")
        again = load(connection, landing, landing_tables(), replace=False)
        assert 0 < sum(again.values()) < sum(loaded.values())
        for table in landing_tables():
            cursor.execute(f"select count(*) from {table.qualified_name}")
            assert cursor.fetchone()[0] == _parquet_rows(landing / table.source / table.name)
        connection.close()

    assert any(sql.lower().startswith("put 'file://") for sql in emulation.statements)
    assert any("match_by_column_name = case_insensitive" in sql for sql in emulation.statements)


def test_missing_files_fail_before_anything_changes(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"source app\.events: no Parquet files"):
        load(None, tmp_path, landing_tables())


def test_cli(landing: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with emulated_snowflake(tmp_path / "fakesnow"):
        assert snowflake_loader.main(["--landing", str(landing)]) == 0
    out = capsys.readouterr().out
    assert "raw_web.events" in out
    assert f"{len(landing_tables())} tables" in out


def test_dbt_names_missing_and_mistyped_source_tables(landing: Path, tmp_path: Path) -> None:
    """On Snowflake the run starts by checking the loaded tables against the sources YAML
    (snowflake__check_landing_files), as DuckDB checks the landing files."""
    import snowflake.connector

    with emulated_snowflake(tmp_path / "fakesnow"):
        connection = snowflake.connector.connect(database="CDP")
        load(connection, landing, landing_tables(), target_schema="ANALYTICS")
        assert dbt_snowflake(["run-operation", "check_landing_files"], tmp_path) == []
        cursor = connection.cursor()
        cursor.execute("alter table raw_crm.contacts drop column email")
        cursor.execute(
            "create or replace table raw_shop.customers as"
            " select cast(id as varchar) as id, * exclude (id) from raw_shop.customers"
        )
        cursor.execute("drop table raw_web.events")
        failure = "\n".join(dbt_snowflake(["run-operation", "check_landing_files"], tmp_path))
        connection.close()
    assert "source crm.contacts: table CDP.RAW_CRM.CONTACTS has no column email" in failure
    assert "source shop.customers: column id of CDP.RAW_SHOP.CUSTOMERS is TEXT, declared bigint" in failure
    assert "source web.events: no table CDP.RAW_WEB.EVENTS" in failure

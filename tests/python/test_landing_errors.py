"""Bad landing files stop the run before any model reads them, with one message naming each source and file.

Three faults at once, each in another source: a missing folder, an empty file and a file whose column has the
wrong type. The preflight (`on-run-start: cdp.check_landing_files()`) collects every problem, so one dbt run
proves all three messages; no model runs and no DuckDB stack trace reaches the user.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dbt_harness import dbt, generate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def broken_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("landing_errors")
    landing = generate(data_dir, "ci", customers=60)
    shutil.rmtree(landing / "crm" / "contacts")
    (landing / "esp" / "events" / "part-00009-c000.parquet").write_bytes(b"")
    orders = pq.read_table(next((landing / "shop" / "orders").glob("*.parquet")))
    mistyped = orders.set_column(
        orders.schema.get_field_index("customer_id"),
        "customer_id",
        orders["customer_id"].cast(pa.string()),
    )
    pq.write_table(mistyped, landing / "shop" / "orders" / "part-00009-c000.parquet")
    return data_dir


def test_each_fault_is_named_with_its_source_and_file(broken_landing: Path) -> None:
    result = dbt(broken_landing, ["run", "--select", "stg_shop__orders"], check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Landing files do not match the sources YAML" in output
    assert "source crm.contacts: no Parquet files in" in output
    assert "source esp.events: file" in output and "part-00009-c000.parquet is empty or truncated" in output
    assert "source shop.orders: file" in output
    assert "column customer_id is VARCHAR, declared BIGINT" in output
    assert "Traceback" not in output
    # The preflight runs before any model: nothing was built.
    assert "OK created" not in output


def test_a_sound_landing_folder_passes_the_preflight(tmp_path: Path) -> None:
    generate(tmp_path, "ci", customers=30)
    result = dbt(tmp_path, ["run-operation", "check_landing_files"])
    assert "Landing files checked" in result.stdout

"""Running a suite with Great Expectations Core 1.x, and its Data Docs.

The context is ephemeral (suites, data sources and checkpoints are defined in code, in suites.py, at every
run) but its stores are files under `root_dir`, so validation results from every run and every process
accumulate and the Data Docs site in `docs_dir` (static HTML, index.html) lists them all. Both folders live
under the git-ignored data/<target>/.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.checkpoint import UpdateDataDocsAction
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    FilesystemStoreBackendDefaults,
    ProgressBarsConfig,
)

DATA_SOURCE = "warehouse"
DOCS_SITE = "cdp"


@functools.cache
def context(root_dir: str, docs_dir: str) -> AbstractDataContext:
    config = DataContextConfig(
        store_backend_defaults=FilesystemStoreBackendDefaults(root_directory=root_dir),
        data_docs_sites={
            DOCS_SITE: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_dir},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(project_config=config)


def validate(
    root_dir: Path,
    docs_dir: Path,
    name: str,
    data: pd.DataFrame,
    expectations: Sequence[gxe.Expectation],
) -> ExpectationSuiteValidationResult:
    """Validate `data` against a suite called `name` and refresh the Data Docs."""
    ctx = context(str(root_dir), str(docs_dir))
    source = ctx.data_sources.add_or_update_pandas(DATA_SOURCE)
    asset = source.add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe(name)
    suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=list(expectations)))
    definition = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    checkpoint = ctx.checkpoints.add_or_update(
        gx.Checkpoint(
            name=name,
            validation_definitions=[definition],
            actions=[UpdateDataDocsAction(name="update_data_docs", site_names=[DOCS_SITE])],
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": data})
    (validation,) = result.run_results.values()
    return validation

"""The Splink baseline of `make evaluate`: Splink alone, trained and run on the same identity records.

Every record of int_identity_records, with its identifiers as the identity layer normalised them
(int_identity_identifiers: emails by their match key, phones in E.164, account ids, cookies, devices) and
its person attributes where it has any (int_matching_records), is deduplicated by Splink the way its
documentation recommends: exact-match comparisons for the identifiers, its name, postcode and date-of-birth
comparisons for the attributes, blocking on every identifier and on the blocking rules of the warehouse's
own matching (vars.matching_blocking_rules); prior from deterministic rules, u from random pairs, m by
expectation-maximisation; clusters of the pairs at or above a match probability (`make evaluate` shows
Splink's usual 0.95 and, generously, whichever threshold of a grid gives Splink its best F1).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from cdp_orchestration.matching.config import load_config

IDENTIFIERS = (
    "shop_customer_id",
    "loyalty_card_id",
    "esp_profile_id",
    "crm_contact_id",
    "email",
    "phone",
    "anonymous_id",
    "device_id",
)
ATTRIBUTES = (
    "first_name_key",
    "last_name_key",
    "postal_code_key",
    "country_code",
    "birth_date",
    "first_initial",
    "last_name_soundex",
    "phone_last_digits",
)
# Rules Splink's prior is estimated from, with the share of true matches they are assumed to find.
DETERMINISTIC_RULES = ("email", "phone", "shop_customer_id", "loyalty_card_id")
DETERMINISTIC_RECALL = 0.8
EM_BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("email",),
    ("phone",),
    ("shop_customer_id",),
    ("anonymous_id",),
    ("first_name_key", "last_name_key"),
)
# An identifier's exact-match level that no training block reached would keep Splink's "not observed" m
# (1e-6: sharing a cookie would count against a match). As Splink's documentation advises for parameters
# EM cannot estimate, those get an m by hand.
UNOBSERVED_EXACT_MATCH_M = 0.9
logger = logging.getLogger(__name__)


def load_records(warehouse: Path) -> pd.DataFrame:
    """One row per identity record: its identifiers (normalised) and person attributes."""
    pivot = ",\n".join(
        f"max(case when identifiers.id_type = '{id_type}' then identifiers.id_value end) as {id_type}"
        for id_type in IDENTIFIERS
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(
            f"""
            with identifiers as (
                select
                    records.record_key,
                    {pivot}
                from main_intermediate.int_identity_records as records
                left join main_intermediate.int_identity_identifiers as identifiers
                    on records.record_key = identifiers.record_key
                group by records.record_key
            )
            select identifiers.*, {", ".join(f"attributes.{column}" for column in ATTRIBUTES)}
            from identifiers
            left join main_intermediate.int_matching_records as attributes
                on identifiers.record_key = attributes.record_key
            """
        ).df()
    finally:
        con.close()


def settings(prior: float = 1e-4) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    config = load_config()
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_key",
        comparisons=[
            *(cl.ExactMatch(id_type) for id_type in IDENTIFIERS),
            cl.NameComparison("first_name_key"),
            cl.NameComparison("last_name_key"),
            cl.LevenshteinAtThresholds("postal_code_key", [1, 2]),
            cl.ExactMatch("country_code"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
        ],
        blocking_rules_to_generate_predictions=[
            *(block_on(id_type) for id_type in IDENTIFIERS),
            *(block_on(*rule.columns) for rule in config.blocking_rules),
        ],
        probability_two_random_records_match=prior,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _set_unobserved_identifier_levels(linker: Any) -> None:
    from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name not in IDENTIFIERS:
            continue
        for level in comparison.comparison_levels:
            if not level.is_null_level and level._m_probability in (None, LEVEL_NOT_OBSERVED_TEXT):
                level.m_probability = (
                    UNOBSERVED_EXACT_MATCH_M
                    if level.sql_condition != "ELSE"
                    else 1 - UNOBSERVED_EXACT_MATCH_M
                )


def run(
    warehouse: Path, thresholds: Sequence[float] = (0.95,), max_pairs: float = 5e6, seed: int = 42
) -> dict[float, pd.DataFrame]:
    """Splink's clusters of the warehouse's identity records, (record_key, cluster), at each threshold."""
    from splink import DuckDBAPI, Linker, block_on

    records = load_records(warehouse)
    db_api = DuckDBAPI()
    table = db_api.register(records, dataset_display_name="identity_records")
    linker = Linker(table, settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(column) for column in DETERMINISTIC_RULES], recall=DETERMINISTIC_RECALL
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for columns in EM_BLOCKING_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(*columns))
        except ValueError as error:
            # Splink's EM can drive an m to 0 on some blocks (an underflow it refuses): skip that round.
            logger.warning("Splink EM blocked on %s skipped: %s", ", ".join(columns), str(error)[:80])
    _set_unobserved_identifier_levels(linker)
    predictions = linker.inference.predict(threshold_match_probability=min(thresholds))
    clusters = {}
    for threshold in thresholds:
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        ).as_pandas_dataframe()
        clusters[threshold] = clustered[["record_key", "cluster_id"]].rename(
            columns={"cluster_id": "cluster"}
        )
    return clusters

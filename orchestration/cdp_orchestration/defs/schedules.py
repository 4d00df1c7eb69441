"""The daily full build."""

from __future__ import annotations

from dagster import DefaultScheduleStatus, ScheduleDefinition

from cdp_orchestration.defs.jobs import full_build_job

daily_full_build = ScheduleDefinition(
    name="daily_full_build",
    job=full_build_job,
    cron_schedule="0 4 * * *",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    # The sensor's runs test each large table's latest batch; once a day every data test reads whole tables.
    run_config={"ops": {"cdp_dbt": {"config": {"data_tests_scope": "all"}}}},
    description=(
        "Rebuild everything and sync every morning, whether or not the landing sensor fired; the dbt tests"
        " check whole tables, not only the latest batch."
    ),
)

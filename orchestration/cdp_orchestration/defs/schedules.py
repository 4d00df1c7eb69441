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
    description="Rebuild everything and sync every morning, whether or not the landing sensor fired.",
)

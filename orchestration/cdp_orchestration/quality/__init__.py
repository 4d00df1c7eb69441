"""Great Expectations gates on the marts: suites (what is expected) and the GX runner (how it is checked).

Plain library code; `cdp_orchestration.defs.quality` runs the suites as Dagster asset checks.
"""

"""The Dagster definitions of the CDP, one module per concern.

`cdp_orchestration.definitions` assembles them.
"""

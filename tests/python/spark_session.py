"""Spark in tests: one local JVM per test process, and a clean slate between tests that configure it."""

from __future__ import annotations

# The JVM options of the tests' own local sessions: profiles.yml's (a quick-starting JIT with the code cache
# it needs), for the same reason: a test's session lives for seconds, its JIT work would not pay back.
LOCAL_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m"


def stop_spark() -> None:
    """Stops any SparkSession and its JVM, so the next test's session starts with its own settings.
    Stopping the session alone is not enough: dbt-spark's Hive metastore client (Derby, in a test's
    temporary folder) lives on in the JVM, and later sessions would use it. (getActiveSession only sees
    this thread's session; dbt-spark starts its own in a worker thread, hence _instantiatedSession.)"""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession() or SparkSession._instantiatedSession
    if session is not None:
        session.stop()
    gateway = SparkContext._gateway
    if gateway is not None:
        gateway.shutdown()
        process = getattr(gateway, "proc", None)
        if process is not None:  # the JVM exits when its stdin closes
            process.stdin.close()
            process.wait(timeout=120)
        SparkContext._gateway = None
        SparkContext._jvm = None

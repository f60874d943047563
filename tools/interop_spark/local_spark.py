"""A local SparkSession for the interop checks and the dataset fixtures.

`start()` runs Spark in-process (`local[2]`, no UI, no progress bars, log level ERROR once started:
the JVM's few start-up lines on stderr remain). Session time zone UTC, so that DATE values and
partition directory names never depend on the machine's zone.
"""

from __future__ import annotations


def start(app_name: str):
    """The SparkSession (pyspark must be installed: tools/interop-spark installs it)."""
    import os

    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # else a warning that the host name is loopback
    spark = (SparkSession.builder.master("local[2]").appName(app_name)
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "2")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark

#!/usr/bin/env python3
"""Interop with Apache Spark for Hive-partitioned datasets (issue 5): Spark reads what Sparrow writes,
Sparrow reads what Spark writes, and both lay out the same directories.

    check_spark.py WORK_DIR [--keep]          (run by tools/interop-spark, which installs pyspark)

The rows are check_partitioned.py's: 600 sales with a null date, null and empty regions and regions
that need escaping (`MIDDLE/EAST`, `A:B`, `K=V`, `SALE 50%`, `Zürich`). One local[2] SparkSession
holds them as two views: `src_double` (amount a double, as `sparrow convert` infers it from the CSV)
and `src_decimal` (amount decimal(10,2)), with the empty region as null, since that is what a
partition directory gives back. Every answer below is Spark's over those views.

1. `sparrow convert data.csv DIR --partition-by order_date,region`; `spark.read.parquet(DIR)` must
   type order_date DateType, region StringType, amount DoubleType, and answer QUERIES as over
   src_double (count, counts and sums per region and per date, a filter on both partition columns,
   every row).
2. `sparrow convert sales.parquet DIR --partition-by order_date,region` from a Parquet file with
   amount decimal(10,2): Spark must read amount as decimal(10,2) and answer as over src_decimal,
   decimal sums to the cent.
3. `sparrow sql "INSERT OVERWRITE DIRECTORY 'DIR' USING parquet PARTITIONED BY (order_date, region)
   SELECT * FROM src"` over the CSV: as 1.
4. Spark writes the decimal rows (`df.write.partitionBy("order_date", "region").parquet(DIR)`, the
   empty region as the empty string): its partition directories must be exactly those Sparrow wrote
   in 2 (same escaping, same `__HIVE_DEFAULT_PARTITION__`).
5. `sparrow sql --table t=DIR` over Spark's dataset of 4: the column types (`--format table`
   header) must be Spark's, and QUERIES (`--format jsonl`) must give Spark's answers over src_decimal.

Values are compared by the type Spark gives the result column: decimals as exact text ("12.30"),
doubles by value (sums within 1e-12 relative, since the order of addition differs), dates as ISO text.
Prints one line per check and exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import decimal
import json
import math
import os
import shutil
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "interop"))
import check_partitioned  # noqa: E402
import common  # noqa: E402
import local_spark  # noqa: E402

COLUMNS = check_partitioned.COLUMNS
QUERIES = [
    "SELECT count(*), count(customer), count(amount), sum(quantity), sum(amount), min(amount), max(amount), "
    "min(order_date), max(order_date) FROM t",
    "SELECT region, count(*), sum(quantity), sum(amount) FROM t GROUP BY region ORDER BY region NULLS FIRST",
    "SELECT order_date, count(*), sum(amount) FROM t GROUP BY order_date ORDER BY order_date NULLS FIRST",
    "SELECT count(*), sum(quantity) FROM t WHERE order_date >= DATE '2024-02-01' AND region = 'MIDDLE/EAST'",
    "SELECT order_id, customer, quantity, amount, order_date, region FROM t ORDER BY order_id",
]
DOUBLE_DDL = "order_id int, customer string, quantity int, amount double, order_date date, region string"
DECIMAL_DDL = "order_id int, customer string, quantity int, amount decimal(10,2), order_date date, region string"
# Spark's simpleString → the type names of Sparrow's `--format table` header.
SPARROW_TYPE_NAMES = {"bigint": "int64", "int": "int32", "double": "double", "date": "date", "string": "string"}


# ---------------------------------------------------------------------------------------------------
# Values

def kind(spark_type) -> str:
    name = spark_type.simpleString()
    if name.startswith("decimal"):
        return "decimal"
    if name in ("double", "float"):
        return "double"
    if name in ("tinyint", "smallint", "int", "bigint"):
        return "integer"
    return "text"


def same_value(expected, actual, column_kind: str) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if column_kind == "decimal":
        return str(expected) == str(actual)  # exact digits and scale
    if column_kind == "double":
        return math.isclose(float(expected), float(actual), rel_tol=1e-12, abs_tol=1e-9)
    if column_kind == "integer":
        return int(expected) == int(actual) and not isinstance(actual, decimal.Decimal)
    text = expected.isoformat() if hasattr(expected, "isoformat") else expected
    return text == (actual.isoformat() if hasattr(actual, "isoformat") else actual)


def result_problems(query: str, expected_rows, expected_schema, actual_rows, label: str) -> list[str]:
    kinds = [kind(field.dataType) for field in expected_schema.fields]
    if len(actual_rows) != len(expected_rows):
        return [f"{label}: {query}\n       {len(actual_rows)} rows, expected {len(expected_rows)}"]
    for index, (expected, actual) in enumerate(zip(expected_rows, actual_rows)):
        if len(actual) != len(expected) or not all(same_value(e, a, k) for e, a, k in zip(expected, actual, kinds)):
            return [f"{label}: {query}\n       row {index}: expected {tuple(expected)}, got {tuple(actual)}"]
    return []


# ---------------------------------------------------------------------------------------------------
# Sparrow

def sparrow(arguments: list[str]) -> common.Run:
    return common.run_sparrow(arguments, timeout=300)


def sparrow_rows(directory: str, query: str) -> tuple[list[list] | None, str]:
    run = sparrow(["sql", "--table", f"t={directory}", "--format", "jsonl", query])
    if run.status != 0:
        return None, run.first_error_line()
    rows = []
    for line in common.output_lines(run.stdout):
        values = json.loads(line, parse_float=decimal.Decimal, object_pairs_hook=list)
        rows.append([value for _, value in values])
    return rows, ""


def sparrow_types(directory: str) -> tuple[dict[str, str], str]:
    """Column name → type from the header of `--format table` (its second line of cells)."""
    run = sparrow(["sql", "--table", f"t={directory}", "SELECT * FROM t LIMIT 1"])
    if run.status != 0:
        return {}, run.first_error_line()
    cells = [[cell.strip() for cell in line.strip().strip("│").split("│")]
             for line in run.stdout.splitlines() if line.startswith("│")]
    if len(cells) < 2:
        return {}, f"no header in {run.stdout!r}"
    return dict(zip(cells[0], cells[1])), ""


# ---------------------------------------------------------------------------------------------------
# Checks

class Checks:
    def __init__(self, spark, work: str):
        self.spark = spark
        self.work = work
        self.failed = False
        self.answers: dict[str, list] = {}
        self.clock = time.monotonic()

    def report(self, label: str, problems: list[str]):
        now = time.monotonic()
        print(f"{'ok  ' if not problems else 'FAIL'} {label} ({now - self.clock:.1f} s)")
        self.clock = now
        for problem in problems[:10]:
            print(f"     {problem}")
        self.failed = self.failed or bool(problems)

    def expected(self, view: str, query: str):
        """Spark's answer (rows, schema) to `query` with t = `view`."""
        key = view + "\0" + query
        if key not in self.answers:
            frame = self.spark.sql(query.replace(" FROM t", f" FROM {view}"))
            self.answers[key] = [frame.collect(), frame.schema]
        return self.answers[key]

    def spark_reads(self, directory: str, view: str, amount_type: str, label: str) -> list[str]:
        """Problems with Spark's reading of Sparrow's `directory` against the view's answers."""
        frame = self.spark.read.parquet(directory)
        types = {field.name: field.dataType.simpleString() for field in frame.schema.fields}
        problems = []
        if sorted(types) != sorted(COLUMNS):
            return [f"{label}: Spark reads columns {list(types)}, expected {COLUMNS}"]
        for name, wanted in (("order_date", "date"), ("region", "string"), ("amount", amount_type)):
            if types[name] != wanted:
                problems.append(f"{label}: Spark types {name} as {types[name]}, expected {wanted}")
        frame.createOrReplaceTempView("t")
        for query in QUERIES:
            expected_rows, schema = self.expected(view, query)
            actual = [list(row) for row in self.spark.sql(query).collect()]
            problems += result_problems(query, expected_rows, schema, actual, label)
        return problems

    def run(self, rows: list[tuple]):
        work = self.work
        data_csv = os.path.join(work, "data.csv")
        check_partitioned.write_csv(data_csv, rows)
        readable = check_partitioned.expected_rows(rows)  # the empty region as null
        to_decimal = lambda row: row[:3] + (None if row[3] is None else decimal.Decimal(repr(row[3])).quantize(
            decimal.Decimal("0.01")),) + row[4:]
        self.spark.createDataFrame(readable, DOUBLE_DDL).createOrReplaceTempView("src_double")
        self.spark.createDataFrame([to_decimal(r) for r in readable], DECIMAL_DDL).createOrReplaceTempView("src_decimal")
        decimal_rows = [to_decimal(r) for r in rows]  # the empty region kept, for both writers
        sales_parquet = os.path.join(work, "sales.parquet")
        pq.write_table(pa.Table.from_pylist([dict(zip(COLUMNS, r)) for r in decimal_rows], schema=pa.schema([
            ("order_id", pa.int32()), ("customer", pa.string()), ("quantity", pa.int32()),
            ("amount", pa.decimal128(10, 2)), ("order_date", pa.date32()), ("region", pa.string())])), sales_parquet)
        partition_by = ",".join(check_partitioned.PARTITION_BY)

        # 1. sparrow convert CSV → Spark.
        label = "Spark reads `sparrow convert data.csv --partition-by order_date,region`"
        out = os.path.join(work, "sparrow_csv")
        run = sparrow(["convert", data_csv, out, "--partition-by", partition_by, "--quiet"])
        self.report(label, self.spark_reads(out, "src_double", "double", label) if run.status == 0
                    else [f"sparrow convert failed: {run.first_error_line()}"])

        # 2. sparrow convert Parquet (decimal) → Spark.
        label = "Spark reads `sparrow convert sales.parquet --partition-by order_date,region` (decimal(10,2))"
        sparrow_decimal = os.path.join(work, "sparrow_decimal")
        run = sparrow(["convert", sales_parquet, sparrow_decimal, "--partition-by", partition_by, "--quiet"])
        self.report(label, self.spark_reads(sparrow_decimal, "src_decimal", "decimal(10,2)", label) if run.status == 0
                    else [f"sparrow convert failed: {run.first_error_line()}"])

        # 3. INSERT OVERWRITE DIRECTORY → Spark.
        label = "Spark reads `INSERT OVERWRITE DIRECTORY ... USING parquet PARTITIONED BY (order_date, region)`"
        out = os.path.join(work, "sparrow_insert")
        run = sparrow(["sql", "--table", f"src={data_csv}", "--format", "null",
                       f"INSERT OVERWRITE DIRECTORY '{out}' USING parquet PARTITIONED BY (order_date, region) "
                       "SELECT * FROM src"])
        self.report(label, self.spark_reads(out, "src_double", "double", label) if run.status == 0
                    else [f"sparrow sql INSERT OVERWRITE DIRECTORY failed: {run.first_error_line()}"])

        # 4. Spark writes; the same directories as Sparrow's.
        label = "Spark's partition directories are Sparrow's (escaping, __HIVE_DEFAULT_PARTITION__)"
        spark_out = os.path.join(work, "spark_written")
        (self.spark.createDataFrame(decimal_rows, DECIMAL_DDL).write.mode("overwrite")
         .partitionBy(*check_partitioned.PARTITION_BY).parquet(spark_out))
        spark_directories = partition_directories(spark_out)
        sparrow_directories = partition_directories(sparrow_decimal)
        problems = []
        if not sparrow_directories:
            problems.append(f"no Sparrow dataset to compare with (check 2 wrote nothing in {sparrow_decimal})")
        elif spark_directories != sparrow_directories:
            problems.append(f"only Spark's: {sorted(spark_directories - sparrow_directories)[:8]}")
            problems.append(f"only Sparrow's: {sorted(sparrow_directories - spark_directories)[:8]}")
        self.report(f"{label}: {len(spark_directories)} directories", problems)

        # 5. Sparrow reads Spark's dataset.
        label = "sparrow sql reads Spark's `df.write.partitionBy(\"order_date\", \"region\")`"
        problems = []
        types, error = sparrow_types(spark_out)
        if error:
            problems.append(f"sparrow sql failed: {error}")
        else:
            spark_types = {f.name: f.dataType.simpleString() for f in self.spark.read.parquet(spark_out).schema.fields}
            wanted = {name: SPARROW_TYPE_NAMES.get(t, t) for name, t in spark_types.items()}
            if types != wanted:
                problems.append(f"column types {types}, expected (Spark's) {wanted}")
        for query in QUERIES:
            expected_rows, schema = self.expected("src_decimal", query)
            actual, error = sparrow_rows(spark_out, query)
            problems += ([f"{query}: sparrow sql failed: {error}"] if actual is None
                         else result_problems(query, expected_rows, schema, actual, "sparrow"))
        self.report(label, problems)


def partition_directories(root: str) -> set[str]:
    """The relative paths of the directories that hold data files (names not starting with . or _)."""
    found = set()
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if not d.startswith((".", "_"))]
        if any(f.endswith(".parquet") and not f.startswith((".", "_")) for f in files):
            found.add(os.path.relpath(directory, root))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    work = os.path.abspath(options.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    started = time.monotonic()
    spark = local_spark.start("sparrow-interop")
    print(f"interop-spark: pyspark {spark.version} started in {time.monotonic() - started:.1f} s; "
          f"sparrow {common.sparrow_binary()}")
    checks = Checks(spark, work)
    try:
        checks.run(check_partitioned.make_rows(1, 600, seed=11))
    finally:
        spark.stop()
    if checks.failed:
        print(f"interop-spark: outputs kept in {work}")
    elif not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())

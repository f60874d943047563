#!/usr/bin/env python3
"""Checks that the Hive-partitioned datasets Sparrow writes are read back exactly by pyarrow and DuckDB
(issue 5).

    check_partitioned.py WORK_DIR [--keep]

Writes a CSV of 600 sales rows (dates incl. 2024-02-29 and a null; regions incl. null, the quoted
empty string, `MIDDLE/EAST`, `A:B`, `K=V`, `SALE 50%`, `Zürich`; doubles and strings with nulls), then
makes datasets partitioned by (order_date, region) in four ways:

* `sparrow convert data.csv out/ --partition-by order_date,region`;
* the same with `--mode overwrite` over that output (the rows must not double);
* `--mode append` of a second CSV of 100 more rows into it (the dataset must hold both);
* `sparrow sql --table src=data.csv "INSERT OVERWRITE DIRECTORY 'out' USING parquet
  PARTITIONED BY (order_date, region) SELECT * FROM src"`.

Each dataset must then give exactly the source rows (all columns, compared as sorted full row sets)
to:

* pyarrow `ds.dataset(out, format="parquet", partitioning=ds.HivePartitioning.discover(infer_dictionary=False))`:
  region must be a string column; pyarrow's discovery infers only integers, so order_date is the
  date's ISO text;
* pyarrow with the partitioning given as (order_date date32, region string): the directory values
  must parse as dates;
* DuckDB `read_parquet('out/**/*.parquet', hive_partitioning = true)`: order_date must be inferred
  as DATE and region as VARCHAR.

The expected rows are the source rows, with Spark's one change: the empty string as a partition value
is written as `__HIVE_DEFAULT_PARTITION__` and so reads back as null. Every data file must sit in
`order_date=…/region=…/`, and no file outside a partition directory may look like data to pyarrow's
discovery (it skips names starting with `.` or `_`).

Prints one line per check and exits 1 if any failed. WORK_DIR is removed at the end unless --keep
or a check failed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import sys
from collections import Counter

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

COLUMNS = ["order_id", "customer", "quantity", "amount", "order_date", "region"]
PARTITION_BY = ["order_date", "region"]
DATES = [datetime.date(2024, 1, 1), datetime.date(2024, 1, 2), datetime.date(2024, 2, 29),
         datetime.date(2024, 12, 31), datetime.date(1999, 12, 31)]
# None is an empty unquoted CSV field (null), "" a quoted empty field (the empty string).
REGIONS = ["EU", "US", "MIDDLE/EAST", "A:B", "K=V", "SALE 50%", "Zürich", None, ""]
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


# ---------------------------------------------------------------------------------------------------
# Source

def make_rows(first_id: int, count: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for order_id in range(first_id, first_id + count):
        customer = None if rng.random() < 0.05 else f"customer {rng.randint(1, 60)}"
        amount = None if rng.random() < 0.05 else rng.randint(-1_000, 500_000) / 100
        order_date = None if rng.random() < 0.01 else rng.choice(DATES)
        rows.append((order_id, customer, rng.randint(1, 50), amount, order_date, rng.choice(REGIONS)))
    return rows


def csv_field(value) -> str:
    if value is None:
        return ""
    if value == "":
        return '""'
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value) if not isinstance(value, float) else repr(value)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(path: str, rows: list[tuple]):
    with open(path, "w", encoding="utf-8", newline="") as file:
        file.write(",".join(COLUMNS) + "\n")
        for row in rows:
            file.write(",".join(csv_field(v) for v in row) + "\n")


def expected_rows(rows: list[tuple]) -> list[tuple]:
    """The rows a reader must get back: the empty-string region is null, as Spark writes it."""
    region = COLUMNS.index("region")
    return [row[:region] + (None if row[region] == "" else row[region],) + row[region + 1:] for row in rows]


# ---------------------------------------------------------------------------------------------------
# Comparison

def row_set_problems(actual: list[tuple], expected: list[tuple], label: str, limit: int = 3) -> list[str]:
    """Compares the rows as multisets (the same as comparing them sorted)."""
    missing = Counter(expected) - Counter(actual)
    extra = Counter(actual) - Counter(expected)
    if not missing and not extra:
        return []
    problems = [f"{label}: {len(actual)} rows, expected {len(expected)}; "
                f"{sum(missing.values())} expected rows not read, {sum(extra.values())} rows read that are not expected"]
    problems += [f"  missing {row}" for row in list(missing)[:limit]]
    problems += [f"  extra   {row}" for row in list(extra)[:limit]]
    return problems


def normalize(value):
    """Peers' integers of any width as int; everything else as it is."""
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else value


# ---------------------------------------------------------------------------------------------------
# Readers

def layout_problems(out: str) -> list[str]:
    """Every data file sits in order_date=…/region=…/, and nothing else looks like data."""
    problems = []
    data_files = 0
    for directory, subdirectories, files in os.walk(out):
        subdirectories[:] = [d for d in subdirectories if not d.startswith((".", "_"))]
        relative = os.path.relpath(directory, out)
        parts = [] if relative == "." else relative.split(os.sep)
        for name in files:
            if name.startswith((".", "_")):
                continue
            data_files += 1
            if len(parts) != 2 or not parts[0].startswith("order_date=") or not parts[1].startswith("region="):
                problems.append(f"layout: {os.path.join(relative, name)} is not in order_date=…/region=…/")
            elif not name.endswith(".parquet"):
                problems.append(f"layout: {os.path.join(relative, name)} is a visible file that is not .parquet")
    if data_files == 0:
        problems.append(f"layout: no data files under {out}")
    return problems


def pyarrow_discovered(out: str) -> tuple[list[tuple], list[str]]:
    dataset = ds.dataset(out, format="parquet", partitioning=ds.HivePartitioning.discover(infer_dictionary=False))
    table = dataset.to_table()
    problems = []
    if set(table.column_names) != set(COLUMNS):
        problems.append(f"pyarrow (discovery): columns {table.column_names}, expected {COLUMNS}")
        return [], problems
    if table.schema.field("region").type != pa.string():
        problems.append(f"pyarrow (discovery): region is {table.schema.field('region').type}, expected string")
    if table.schema.field("order_date").type != pa.string():
        problems.append(f"pyarrow (discovery): order_date is {table.schema.field('order_date').type}, expected "
                        "string (pyarrow infers only integers)")
    rows = [tuple(normalize(v) for v in row) for row in zip(*(table.column(c).to_pylist() for c in COLUMNS))]
    return rows, problems


def pyarrow_typed(out: str) -> tuple[list[tuple], list[str]]:
    partitioning = ds.partitioning(pa.schema([("order_date", pa.date32()), ("region", pa.string())]), flavor="hive")
    try:
        table = ds.dataset(out, format="parquet", partitioning=partitioning).to_table()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        return [], [f"pyarrow (order_date date32): {error}"]
    rows = [tuple(normalize(v) for v in row) for row in zip(*(table.column(c).to_pylist() for c in COLUMNS))]
    return rows, []


def duckdb_read(out: str) -> tuple[list[tuple], list[str]]:
    con = duckdb.connect()
    relation = f"read_parquet('{out}/**/*.parquet', hive_partitioning = true)"
    types = {name: kind for name, kind, *_ in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}
    problems = []
    if set(types) != set(COLUMNS):
        return [], [f"duckdb: columns {list(types)}, expected {COLUMNS}"]
    if types["order_date"] != "DATE":
        problems.append(f"duckdb: order_date is {types['order_date']}, expected DATE")
    if types["region"] != "VARCHAR":
        problems.append(f"duckdb: region is {types['region']}, expected VARCHAR")
    select = ", ".join(f'"{c}"' for c in COLUMNS)
    rows = [tuple(normalize(v) for v in row) for row in con.execute(f"SELECT {select} FROM {relation}").fetchall()]
    return rows, problems


def check_dataset(out: str, source: list[tuple], label: str) -> list[str]:
    """The problems with reading dataset `out` back as `source` (already as readers must see it)."""
    problems = layout_problems(out)
    as_text = [tuple(v.isoformat() if isinstance(v, datetime.date) else v for v in row) for row in source]
    for reader, expected in ((pyarrow_discovered, as_text), (pyarrow_typed, source), (duckdb_read, source)):
        try:
            rows, reader_problems = reader(out)
        except Exception as error:  # a reader refusing the dataset is a failure of the dataset
            problems.append(f"{reader.__name__}: {type(error).__name__}: {error}")
            continue
        problems += reader_problems
        if rows or not reader_problems:
            problems += row_set_problems(rows, expected, reader.__name__)
    return [f"{label}: {p}" for p in problems]


# ---------------------------------------------------------------------------------------------------
# Runs

def run_step(arguments: list[str], label: str) -> list[str]:
    run = common.run_sparrow(arguments, timeout=300)
    if run.status != 0:
        return [f"{label}: sparrow {' '.join(arguments)} failed: {run.first_error_line()}"]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    work = os.path.abspath(options.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    first = make_rows(1, 600, seed=11)
    more = make_rows(601, 100, seed=12)
    data = os.path.join(work, "data.csv")
    more_csv = os.path.join(work, "more.csv")
    write_csv(data, first)
    write_csv(more_csv, more)
    partition_by = ",".join(PARTITION_BY)
    converted = os.path.join(work, "converted")
    inserted = os.path.join(work, "inserted")

    checks = [
        ("convert --partition-by", [["convert", data, converted, "--partition-by", partition_by, "--quiet"]],
         converted, first),
        ("convert --mode overwrite", [["convert", data, converted, "--partition-by", partition_by, "--mode",
                                       "overwrite", "--quiet"]], converted, first),
        ("convert --mode append", [["convert", more_csv, converted, "--partition-by", partition_by, "--mode",
                                    "append", "--quiet"]], converted, first + more),
        ("INSERT OVERWRITE DIRECTORY", [["sql", "--table", f"src={data}", "--format", "null",
                                         f"INSERT OVERWRITE DIRECTORY '{inserted}' USING parquet "
                                         f"PARTITIONED BY ({', '.join(PARTITION_BY)}) SELECT * FROM src"]],
         inserted, first),
    ]
    failed = False
    for label, runs, out, rows in checks:
        problems = []
        for arguments in runs:
            problems += run_step(arguments, label)
        if not problems:
            problems = check_dataset(out, expected_rows(rows), label)
        status = "ok  " if not problems else "FAIL"
        print(f"{status} {label}: {len(rows)} rows -> pyarrow (discovery, typed), DuckDB (hive_partitioning)")
        for problem in problems[:16]:
            print(f"     {problem}")
        failed = failed or bool(problems)

    if not failed and not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    elif failed:
        print(f"check_partitioned: outputs kept in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

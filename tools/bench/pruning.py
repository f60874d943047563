#!/usr/bin/env python3
"""Partition pruning against DuckDB and polars: writing a Hive-partitioned `sales` table and querying it.

    pruning.py [--part write|queries|all] [--runs N] [--warmup N] [--write-runs N] [--pyarrow]
               [--sparrow PATH] [--duckdb PATH] [--data-dir DIR] [--timeout SECONDS] [--json FILE]

Data (made once, kept in DATA_DIR, default bench-data/sales at the repository root, git-ignored):
  tpch/{orders,customer,nation,region}.parquet   `tpchgen-cli parquet -s 1 --tables orders,customer,nation,region`;
  sales.csv   TPC-H SF1 orders with their customer's nation and region, in order-key order, written by the
              DuckDB CLI (SALES_SQL below): 1,500,000 rows, 11 columns, 2,406 order dates x 5 regions =
              12,030 (order_date, region) partitions, 198 MB.
A step whose output exists is skipped.

Part `write`: the CSV to a directory partitioned by order_date and region (zstd), each tool as a user
would write it:
  sparrow          `sparrow convert sales.csv OUT --partition-by order_date,region --quiet`;
  duckdb           `duckdb -c "COPY (SELECT * FROM read_csv('sales.csv')) TO 'OUT'
                    (FORMAT parquet, PARTITION_BY (order_date, region), COMPRESSION zstd)"`;
  polars           `pl.read_csv(IN, try_parse_dates=True).write_parquet(OUT, partition_by=[...])` (eager);
  polars-stream    `pl.scan_csv(IN, try_parse_dates=True).sink_parquet(pl.PartitionBy(OUT, key=[...]))`
                   (streaming; PartitionBy is marked unstable in polars 2.1);
  pyarrow          only with --pyarrow (it takes over 14 minutes): `pyarrow.csv.read_csv` then
                   `pq.write_to_dataset(table, OUT, partition_cols=[...], compression='zstd')`.
Each run writes into an empty directory (the previous output is removed first, untimed); whole-process wall
time from spawn to exit, CPU time, peak RSS as GNU time reports it. --write-runs rounds (default 3), no
warm-up, order rotated by one per round. Checks (the last output of each tool, with DuckDB's Python
package): 1,500,000 rows, 12,030 distinct (order_date, region) pairs read back from the directory names,
and the CSV's sum of total_price. Sparrow's last output is kept (DATA_DIR/partitioned/sparrow) for part
`queries`; the others are removed.

Part `queries`: `SELECT count(*) AS orders, sum(total_price) AS revenue FROM sales [WHERE ...]` on the
directory Sparrow wrote (DuckDB's when Sparrow is not available), for one day, one week, one region, one
day in one region, one week in Europe, and no condition (QUERIES below):
  sparrow   whole process `sparrow sql --table sales=DIR --format csv "QUERY"`;
  duckdb    whole process `duckdb -csv -c "CREATE VIEW sales AS SELECT * FROM
            read_parquet('DIR/**/*.parquet', hive_partitioning=true); QUERY"` (the CLI binary itself, as
            tpch_queries.py finds it);
  polars    whole process `python3 -c "...pl.scan_parquet(DIR, hive_partitioning=True).filter(...)
            .select(pl.len(), pl.col('total_price').sum()).collect()"` printing CSV (interpreter start and
            `import polars` included, as a user running a script pays them).
Runs: --warmup untimed rounds (default 1), then --runs rounds (default 5), the order rotated by one per
round; every run of every tool must give DuckDB's answer (its first run): the same count, sums within
1e-6 + 1e-12 x |value| (the sums are of doubles, added in different orders). Ratios are tool median /
Sparrow median: above 1 means Sparrow is faster.

A peer that fails or disagrees stops the benchmark (exit 1). If Sparrow fails or disagrees it is marked
FAILED for that case and the others go on; the exit status is then 1. A missing Sparrow binary prints
`sparrow: not available` and the peers are measured alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from csv_to_parquet import load_and_steal, print_table  # noqa: E402
from parquet_read_write import BenchError, Case, machine, run_process  # noqa: E402
from tpch_queries import (QueryCase, Reference, ResultMismatch, duckdb_binary, indent, measure,  # noqa: E402
                          process, sql_string)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROWS = 1_500_000
PARTITIONS = 12_030
PARTITION_COLUMNS = ["order_date", "region"]

SALES_SQL = """\
COPY (SELECT o_orderkey AS order_key, o_custkey AS customer_key, o_orderstatus AS order_status,
             o_totalprice AS total_price, o_orderdate AS order_date, o_orderpriority AS order_priority,
             o_clerk AS clerk, o_shippriority AS ship_priority, n_name AS nation, r_name AS region,
             o_comment AS comment
      FROM '{tpch}/orders.parquet' JOIN '{tpch}/customer.parquet' ON o_custkey = c_custkey
           JOIN '{tpch}/nation.parquet' ON c_nationkey = n_nationkey
           JOIN '{tpch}/region.parquet' ON n_regionkey = r_regionkey
      ORDER BY o_orderkey) TO '{csv}' (HEADER)"""

# One day in the middle of the 2,406 days (the day `sparrow bench pruning` picks), the week from it,
# region EUROPE. Each query: (title, first day, last day, region); None = no condition on it.
DAY = "1995-04-18"
WEEK_END = "1995-04-24"
QUERIES = {
    "day": ("one day", DAY, DAY, None),
    "week": ("one week", DAY, WEEK_END, None),
    "region": ("one region", None, None, "EUROPE"),
    "day-region": ("one day in one region", DAY, DAY, "EUROPE"),
    "week-europe": ("one week in Europe", DAY, WEEK_END, "EUROPE"),
    "full": ("full scan", None, None, None),
}
SELECT = "SELECT count(*) AS orders, sum(total_price) AS revenue FROM sales"


def condition(first: str | None, last: str | None, region: str | None) -> str | None:
    parts = []
    if first is not None:
        parts.append(f"order_date = DATE '{first}'" if first == last
                     else f"order_date BETWEEN DATE '{first}' AND DATE '{last}'")
    if region is not None:
        parts.append(f"region = '{region}'")
    return " AND ".join(parts) or None


def query_sql(name: str) -> str:
    where = condition(*QUERIES[name][1:])
    return SELECT + (f" WHERE {where}" if where else "")


# The queries in polars' lazy API: the same filter on the hive columns, then count and sum.
POLARS_QUERY = r"""
import datetime, sys
import polars as pl

first, last, region, path = sys.argv[1:5]
c = pl.col
sales = pl.scan_parquet(path, hive_partitioning=True)
if first:
    sales = sales.filter(c("order_date").is_between(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)))
if region:
    sales = sales.filter(c("region") == region)
sys.stdout.write(sales.select(pl.len().alias("orders"), c("total_price").sum().alias("revenue")).collect().write_csv())
"""

POLARS_WRITE = r"""
import sys
import polars as pl
source, out = sys.argv[1:3]
pl.read_csv(source, try_parse_dates=True).write_parquet(out, partition_by=["order_date", "region"], mkdir=True)
"""

POLARS_SINK = r"""
import sys
import polars as pl
source, out = sys.argv[1:3]
pl.scan_csv(source, try_parse_dates=True).sink_parquet(pl.PartitionBy(out, key=["order_date", "region"]), mkdir=True)
"""

PYARROW_WRITE = r"""
import sys
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
source, out = sys.argv[1:3]
pq.write_to_dataset(pacsv.read_csv(source), out, partition_cols=["order_date", "region"], compression="zstd",
                    max_partitions=20000)
"""


# --- data


def prepare(data_dir: str, duckdb: str) -> str:
    """Makes DATA_DIR/tpch and DATA_DIR/sales.csv unless they exist; returns the CSV's path."""
    os.makedirs(data_dir, exist_ok=True)
    tpch = os.path.join(data_dir, "tpch")
    tables = ["orders", "customer", "nation", "region"]
    if not all(os.path.exists(os.path.join(tpch, f"{t}.parquet")) for t in tables):
        partial = os.path.join(data_dir, "tpch.partial")
        shutil.rmtree(partial, ignore_errors=True)
        print(f"prepare: tpchgen-cli parquet -s 1 --tables {','.join(tables)} -> {tpch}", flush=True)
        subprocess.run(["tpchgen-cli", "parquet", "-s", "1", "--tables", ",".join(tables), "--output-dir", partial],
                       check=True)
        shutil.rmtree(tpch, ignore_errors=True)
        os.rename(partial, tpch)
    csv = os.path.join(data_dir, "sales.csv")
    if not os.path.exists(csv):
        partial = csv + ".partial"
        print(f"prepare: DuckDB joins orders, customer, nation, region -> {csv}", flush=True)
        subprocess.run([duckdb, "-c", SALES_SQL.format(tpch=tpch, csv=partial)], check=True)
        os.rename(partial, csv)
    return csv


def duckdb_connection():
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    return connection


def summarize_csv(csv: str) -> dict:
    rows, partitions, total = duckdb_connection().execute(
        f"SELECT count(*), count(DISTINCT (order_date, region)), sum(total_price)::DOUBLE "
        f"FROM read_csv({sql_string(csv)})").fetchone()
    return {"rows": rows, "partitions": partitions, "sum_total_price": total}


def summarize_dataset(path: str) -> dict:
    """Rows, distinct partitions and sum read back with DuckDB, and the files' number and size."""
    files = 0
    size = 0
    for directory, _, names in os.walk(path):
        for name in names:
            if name.endswith(".parquet"):
                files += 1
                size += os.path.getsize(os.path.join(directory, name))
    rows, partitions, total = duckdb_connection().execute(
        "SELECT count(*), count(DISTINCT (order_date, region)), sum(total_price)::DOUBLE FROM "
        f"read_parquet({sql_string(os.path.join(path, '**', '*.parquet'))}, hive_partitioning=true)").fetchone()
    return {"files": files, "bytes": size, "rows": rows, "partitions": partitions, "sum_total_price": total}


# --- part write


WRITE_CASES = ["sparrow", "duckdb", "polars", "polars-stream", "pyarrow"]


def write_command(name: str, sparrow: str, duckdb: str, csv: str, out: str) -> tuple[str, str, list[str]]:
    """(tool, measures, argv) of a write case."""
    if name == "sparrow":
        return ("sparrow", "convert --partition-by order_date,region",
                [sparrow, "convert", csv, out, "--partition-by", ",".join(PARTITION_COLUMNS), "--quiet"])
    if name == "duckdb":
        return ("duckdb", "COPY read_csv ... (PARTITION_BY (order_date, region), COMPRESSION zstd)",
                [duckdb, "-c", f"COPY (SELECT * FROM read_csv({sql_string(csv)})) TO {sql_string(out)} "
                               "(FORMAT parquet, PARTITION_BY (order_date, region), COMPRESSION zstd)"])
    if name == "polars":
        return "polars", "read_csv + write_parquet(partition_by=...)", [sys.executable, "-c", POLARS_WRITE, csv, out]
    if name == "polars-stream":
        return "polars", "scan_csv + sink_parquet(PartitionBy(...))", [sys.executable, "-c", POLARS_SINK, csv, out]
    if name == "pyarrow":
        return ("pyarrow", "read_csv + write_to_dataset(partition_cols=...)",
                [sys.executable, "-c", PYARROW_WRITE, csv, out])
    raise ValueError(name)


def run_write(args, sparrow: str | None, duckdb: str, csv: str, data_dir: str) -> tuple[dict, bool]:
    root = os.path.join(data_dir, "partitioned")
    os.makedirs(root, exist_ok=True)
    names = [n for n in WRITE_CASES if (n != "sparrow" or sparrow is not None) and (n != "pyarrow" or args.pyarrow)]
    cases: dict[str, Case] = {}
    failures: dict[str, str] = {}
    for name in names:
        out = os.path.join(root, name)
        tool, measures, argv = write_command(name, sparrow or "", duckdb, csv, out)

        def run(out=out, argv=argv):
            shutil.rmtree(out, ignore_errors=True)
            return run_process(argv, timeout=args.timeout)

        cases[name] = Case(tool, measures, run)
    for round_index in range(args.write_runs):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            if name in failures:
                continue
            try:
                cases[name].samples.append(cases[name].run())
            except BenchError as error:
                if name != "sparrow":
                    raise
                failures[name] = str(error)
                print(f"\nsparrow: FAILED writing:\n{indent(str(error))}\n", flush=True)
        print(f"write: run {round_index + 1}/{args.write_runs} done", file=sys.stderr, flush=True)

    expected = summarize_csv(csv)
    if (expected["rows"], expected["partitions"]) != (ROWS, PARTITIONS):
        raise BenchError(f"{csv} holds {expected['rows']} rows in {expected['partitions']} partitions, expected "
                         f"{ROWS} in {PARTITIONS}: delete it to make it again")
    rows = []
    failed = bool(failures)
    for name in names:
        case = cases[name]
        row = case.summary() if case.samples else {"tool": case.tool, "measures": case.measures}
        row.update(case=name, failure=failures.get(name))
        if case.samples:
            out = os.path.join(root, name)
            row["output"] = summarize_dataset(out)
            problems = [f"{key} {row['output'][key]}, expected {expected[key]}" for key in ("rows", "partitions")
                        if row["output"][key] != expected[key]]
            total, want = row["output"]["sum_total_price"], expected["sum_total_price"]
            if abs(total - want) > 1e-6 + 1e-9 * abs(want):
                problems.append(f"sum(total_price) {total!r}, expected {want!r}")
            if problems:
                message = f"{name}'s partitioned output: " + "; ".join(problems)
                if name != "sparrow":
                    raise BenchError(message)
                row["failure"] = message
                failed = True
                print(f"sparrow: FAILED: {message}")
            if name != "sparrow":
                shutil.rmtree(out, ignore_errors=True)
        rows.append(row)

    base = next((r for r in rows if r["case"] == "sparrow" and "median_s" in r and not r["failure"]), None)
    table = []
    for r in rows:
        if "median_s" not in r or r["failure"]:
            table.append([r["case"], r["measures"], "FAILED"] + ["-"] * 8)
            continue
        r["time_ratio"] = round(r["median_s"] / base["median_s"], 3) if base else None
        r["rss_ratio"] = round(r["peak_rss_mb"] / base["peak_rss_mb"], 3) if base else None
        out = r["output"]
        table.append([r["case"], r["measures"], f"{r['median_s']:.2f}", f"{r['min_s']:.2f}", f"{r['max_s']:.2f}",
                      "-" if r["time_ratio"] is None else f"{r['time_ratio']:.2f}", f"{r['median_cpu_s']:.1f}",
                      f"{r['peak_rss_mb']:.0f}", "-" if r["rss_ratio"] is None else f"{r['rss_ratio']:.2f}",
                      f"{out['files']:,}", f"{out['bytes'] / 1e6:.1f}"])
    print_table(f"write: sales.csv -> partitioned by order_date, region; {args.write_runs} "
                f"run{'s' if args.write_runs > 1 else ''}",
                ["case", "measures", "median s", "min s", "max s", "time/sparrow", "CPU s", "peak RSS MB",
                 "RSS/sparrow", "files", "MB"], table)
    print(f"check: every output holds {expected['rows']:,} rows in {expected['partitions']:,} partitions and the "
          f"CSV's sum(total_price): " + ("FAILED (sparrow, see above)" if failed else "ok"))
    return {"expected": expected, "cases": rows}, failed


# --- part queries


def query_cases(name: str, source: str, sparrow: str | None, duckdb: str, timeout: float) -> list[QueryCase]:
    reference = Reference()
    sql = query_sql(name)
    glob = os.path.join(source, "**", "*.parquet")
    _, first, last, region = QUERIES[name]
    cases = [
        QueryCase("duckdb", "duckdb", "read_parquet(hive_partitioning) (process)", reference, frozenset({""}),
                  process([duckdb, "-csv", "-c", f"CREATE VIEW sales AS SELECT * FROM read_parquet("
                                                 f"{sql_string(glob)}, hive_partitioning=true); {sql}"], timeout)),
        QueryCase("polars", "polars", "scan_parquet(hive_partitioning) (process)", reference, frozenset({""}),
                  process([sys.executable, "-c", POLARS_QUERY, first or "", last or "", region or "", source],
                          timeout)),
    ]
    if sparrow is not None:
        cases.append(QueryCase("sparrow", "sparrow", "sql --table sales=DIR (process)", reference, frozenset({""}),
                               process([sparrow, "sql", "--table", f"sales={source}", "--format", "csv", sql],
                                       timeout)))
    return cases


def report_query(name: str, cases: list[QueryCase], runs: int) -> list[dict]:
    ordered = sorted(cases, key=lambda c: c.key != "sparrow")
    rows = []
    for case in ordered:
        row = case.summary() if case.samples and case.failure is None else {"tool": case.tool, "measures": case.measures}
        row.update(case=case.key, failure=case.failure, wrong_result=case.wrong_result)
        rows.append(row)
    base = next((r for r in rows if r["case"] == "sparrow" and "median_s" in r), None)
    table = []
    for r in rows:
        if "median_s" not in r:
            table.append([r["tool"], r["measures"], "FAILED"] + ["-"] * 5)
            continue
        r["time_ratio"] = round(r["median_s"] / base["median_s"], 3) if base else None
        table.append([r["tool"], r["measures"], f"{r['median_s']:.3f}", f"{r['min_s']:.3f}", f"{r['max_s']:.3f}",
                      "-" if r["time_ratio"] is None else f"{r['time_ratio']:.2f}", f"{r['median_cpu_s']:.2f}",
                      f"{r['peak_rss_mb']:.0f}"])
    where = condition(*QUERIES[name][1:]) or "no condition"
    print_table(f"{name}: {QUERIES[name][0]} ({where}), {runs} run{'s' if runs > 1 else ''}",
                ["tool", "measures", "median s", "min s", "max s", "time/sparrow", "CPU s", "peak RSS MB"], table)
    return rows


def run_queries(args, sparrow: str | None, duckdb: str, source: str) -> tuple[dict, bool]:
    names = list(QUERIES) if args.query == "all" else [args.query]
    results: dict = {"source": source, "queries": {}}
    failed = False
    summary = []
    for name in names:
        cases = query_cases(name, source, sparrow, duckdb, args.timeout)
        measure(cases, args.runs, args.warmup, name)
        rows = report_query(name, cases, args.runs)
        reference = cases[0].reference
        print(f"answer ({reference.tool}):\n{indent(reference.text)}")
        failed |= any(c.failure is not None for c in cases)
        results["queries"][name] = {"title": QUERIES[name][0], "sql": query_sql(name), "cases": rows,
                                    "answer": {"tool": reference.tool, "csv": reference.text}}
        line = [name]
        for key in ("sparrow", "duckdb", "polars"):
            r = next((r for r in rows if r["case"] == key), None)
            if r is None:
                line.append("-")
            elif "median_s" not in r:
                line.append("FAILED")
            elif key == "sparrow" or r.get("time_ratio") is None:
                line.append(f"{r['median_s']:.3f}")
            else:
                line.append(f"{r['median_s']:.3f} ({r['time_ratio']:.2f})")
        summary.append(line)
    if len(names) > 1:
        print_table("Summary: median seconds (tool / sparrow)", ["query", "sparrow", "duckdb", "polars (process)"],
                    summary, text_columns=1)
    checked = ", ".join(c for c in ("sparrow", "polars") if c != "sparrow" or sparrow is not None)
    print(f"check: {checked} against duckdb, every run: " + ("FAILED (sparrow, see above)" if failed else "ok"))
    return results, failed


# --- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["write", "queries", "all"], default="all", help="what to run (default all)")
    parser.add_argument("--query", choices=[*QUERIES, "all"], default="all", help="which query (default all)")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds of the queries (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds of the queries first (default 1)")
    parser.add_argument("--write-runs", type=int, default=3, help="timed rounds of the writes (default 3)")
    parser.add_argument("--pyarrow", action="store_true",
                        help="also time pyarrow's write_to_dataset (over 14 minutes per run; off by default)")
    parser.add_argument("--sparrow", default=os.path.join(REPO, ".build", "release", "sparrow"),
                        help="the sparrow binary (default .build/release/sparrow)")
    parser.add_argument("--duckdb", help="the DuckDB CLI binary (default: the one duckdb-cli bundles)")
    parser.add_argument("--data-dir", default=os.path.join(REPO, "bench-data", "sales"),
                        help="where the data is made and kept (default bench-data/sales/)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds after which a run is killed and counted as failed (default 1800)")
    parser.add_argument("--json", metavar="FILE", default=os.path.join(REPO, "tools", "bench", "results", "pruning.json"),
                        help="write the results as JSON (default tools/bench/results/pruning.json; '' for none)")
    args = parser.parse_args()
    if args.runs < 1 or args.write_runs < 1:
        parser.error("--runs and --write-runs must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    if shutil.which("tpchgen-cli") is None:
        parser.error("tpchgen-cli is not on PATH (tools/setup installs it)")
    try:
        duckdb = args.duckdb or duckdb_binary()
    except BenchError as error:
        parser.error(str(error))

    data_dir = os.path.abspath(args.data_dir)
    csv = prepare(data_dir, duckdb)
    sparrow: str | None = os.path.abspath(args.sparrow)
    if not os.access(sparrow, os.X_OK):
        print(f"sparrow: not available: no executable at {sparrow} (tools/build-release)")
        sparrow = None
    duckdb_version = subprocess.run([duckdb, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"duckdb: {duckdb} ({duckdb_version})")
    import polars

    results: dict = {
        "machine": machine(),
        "sparrow": {"path": os.path.abspath(args.sparrow), "available": sparrow is not None},
        "duckdb": {"path": duckdb, "version": duckdb_version},
        "polars": polars.__version__,
        "data": {"csv": csv, "bytes": os.path.getsize(csv)},
        "runs": args.runs, "warmup": args.warmup, "write_runs": args.write_runs,
    }
    failed = False
    load_before, steal_before = load_and_steal()
    try:
        if args.part in ("write", "all"):
            results["write"], write_failed = run_write(args, sparrow, duckdb, csv, data_dir)
            failed |= write_failed
        if args.part in ("queries", "all"):
            os.makedirs(os.path.join(data_dir, "partitioned"), exist_ok=True)
            source = os.path.join(data_dir, "partitioned", "sparrow")
            if sparrow is not None and not os.path.isdir(source):
                print(f"prepare: sparrow convert {csv} {source} --partition-by order_date,region", flush=True)
                run_process(write_command("sparrow", sparrow, duckdb, csv, source)[2], timeout=args.timeout)
            if sparrow is None or not os.path.isdir(source):
                source = os.path.join(data_dir, "partitioned", "duckdb-queries")
                if not os.path.isdir(source):
                    print(f"prepare: (no Sparrow) DuckDB writes {source}", flush=True)
                    run_process(write_command("duckdb", "", duckdb, csv, source)[2], timeout=args.timeout)
            results["queries"], query_failed = run_queries(args, sparrow, duckdb, source)
            failed |= query_failed
    except ResultMismatch as error:
        print(f"\nerror: the peers disagree: {error}", file=sys.stderr)
        return 1
    except BenchError as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    load_after, steal_after = load_and_steal()
    results["load"] = {"before": load_before, "after": load_after,
                       "steal_seconds": round(steal_after - steal_before, 2)}
    results["polars_code"] = {"query": POLARS_QUERY, "write": POLARS_WRITE, "sink": POLARS_SINK}
    print(f"\nmachine: load average {load_before} before, {load_after} after; "
          f"{steal_after - steal_before:.1f} s of CPU stolen by the hypervisor during the runs")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
            out.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Sparrow's joins against DuckDB and polars: TPC-H SF1 Q3, Q5, Q10, a skewed shuffled join, and
Q4, Q15, Q21, Q22 (subqueries as joins; against DuckDB only).

    joins.py [--runs N] [--warmup N] [--query q3|q5|q10|skew|q4|q15|q21|q22|all] [--engines sparrow,duckdb,polars]
             [--sparrow PATH] [--duckdb PATH] [--data-dir DIR] [--timeout SECONDS] [--json FILE]
    joins.py --analyze [--runs N] [--sparrow PATH] [--data-dir DIR] [--json FILE]

Data (made once, kept in DATA_DIR, default bench-data/ at the repository root, git-ignored):
  tpch/{lineitem,orders,customer,supplier,nation,region}.parquet
                                 `tpchgen-cli parquet -s 1 --tables ...` (the tables that are missing;
                                 lineitem is shared with parquet_read_write.py and tpch_queries.py);
  lineitem_rg128k.zstd.parquet   lineitem as tpch_queries.py makes it (shared with it);
  TABLE_rg128k.zstd.parquet      every other table the same way: string_view columns cast to string,
                                 `pq.write_table(t, path, compression='zstd', row_group_size=131072)`;
  skew_fact.zstd.parquet         4,000,000 rows (f_id, f_key, f_cents), made by pyarrow from arithmetic
                                 alone (no random generator, so every version makes the same rows):
                                 rows with f_id % 5 < 2 (40%) have f_key = 4242; the n-th of the
                                 others (n = 0, 1, ...) has f_key = n * 35761 % 100000, so every key
                                 of the dimension gets 24 of them; f_cents = f_id * 7919 % 100000 + 1;
  skew_dim.zstd.parquet          100,000 rows (d_key 0..99999, d_group = d_key % 100, d_name).
A step whose output exists is skipped.

Queries (the SQL text below, unchanged, for Sparrow and DuckDB; the same computation in polars' lazy API):
  q3     TPC-H Q3 (shipping priority: 3 tables, a top 10);
  q5     TPC-H Q5 (local supplier volume: 6 tables, a two-column key between lineitem and supplier);
  q10    TPC-H Q10 (returned items: 4 tables, group by 7 columns, a top 20);
  q4, q15, q21, q22
         TPC-H Q4 (EXISTS), Q15 (its view as a WITH query, and a scalar subquery), Q21 (EXISTS and
         NOT EXISTS over lineitem itself) and Q22 (a scalar subquery and NOT EXISTS): Sparrow plans
         the subqueries as semi, anti and one-row joins; Sparrow and DuckDB only (SQL_ONLY);
  skew   the fact table joined to the dimension on f_key = d_key, grouped by d_group. Sparrow runs it
         after `SET spark.sql.autoBroadcastJoinThreshold=-1`, so the join is a shuffled hash join whose
         partition holding key 4242 has 40% of the fact rows (the case AQE's skew split is for); the
         peers run the query alone, planned as they plan it.

Cases, per query (the engines --engines names; all by default):
  sparrow   whole process `sparrow sql --table NAME=FILE ... --format csv "QUERY"`;
  duckdb    whole process `duckdb -csv -c "CREATE VIEW NAME AS SELECT * FROM read_parquet('FILE'); ...; QUERY"`,
            the CLI binary itself (see tpch_queries.duckdb_binary);
  polars    whole process `python3 -c "...pl.scan_parquet(FILE)...collect()"` printing the result as CSV
            (interpreter start and `import polars`, about 0.4 s, included);
  polars    in process: a long-lived Python process builds the lazy query, then times `.collect()` only.

Runs, timing, memory and checks are tpch_queries.py's: --warmup untimed rounds (default 1), then --runs
rounds (default 5), each running every case once in an order rotated by one per round; wall time spawn
to exit, CPU time, peak RSS as GNU time reports it (VmHWM after a reset in process). The first answer
of each query (DuckDB's, or polars' without DuckDB) is the reference: every run of every case must
give the same rows in the same order, strings equal, numbers within 1e-6 + 1e-12 x |value|. A peer
that fails or disagrees stops the benchmark (exit 1). A Sparrow run that fails, times out or disagrees
is shown as `failed: <why>` in that query's table and the others go on (exit 1); a missing Sparrow
binary only prints `sparrow: not available` (exit 0).

--analyze runs only the skew query, only Sparrow, with `spark.sql.adaptive.enabled` true and then
false (`SET` before the query, broadcast joins disabled as above), --runs times each with `sparrow sql
--analyze`, checks each answer against DuckDB's, and prints from the `--analyze` report (stderr,
QueryExecution.analyzeString) every stage's task count, time, median task time and slowest task
("Stage N: T tasks, ..., task time median 12 ms, slowest task P 1.23 s"), each the median over the
runs, any line that reports an AQE decision, and, with AQE on and off, the slowest task of the stage
that joins (its `operators:` line names a HashJoinExec: where the skew split acts) and of any stage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from csv_to_parquet import load_and_steal, print_table  # noqa: E402
from parquet_read_write import BenchError, Sample, generate_lineitem, machine, write_lineitem  # noqa: E402
from tpch_queries import (QueryCase, Reference, ResultMismatch, duckdb_binary, indent, measure,  # noqa: E402
                          process, sql_string)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROW_GROUP_SIZE = 131_072
TPCH_TABLES = ["lineitem", "orders", "customer", "supplier", "nation", "region"]
TPCH_ROWS = {"lineitem": 6_001_215, "orders": 1_500_000, "customer": 150_000, "supplier": 10_000,
             "nation": 25, "region": 5}
FACT_ROWS = 4_000_000
DIM_ROWS = 100_000
HOT_KEY = 4242
ENGINES = ["sparrow", "duckdb", "polars"]

Q3 = """\
select
    l_orderkey,
    sum(l_extendedprice * (1 - l_discount)) as revenue,
    o_orderdate,
    o_shippriority
from
    customer,
    orders,
    lineitem
where
    c_mktsegment = 'BUILDING'
    and c_custkey = o_custkey
    and l_orderkey = o_orderkey
    and o_orderdate < date '1995-03-15'
    and l_shipdate > date '1995-03-15'
group by
    l_orderkey,
    o_orderdate,
    o_shippriority
order by
    revenue desc,
    o_orderdate
limit 10"""

Q5 = """\
select
    n_name,
    sum(l_extendedprice * (1 - l_discount)) as revenue
from
    customer,
    orders,
    lineitem,
    supplier,
    nation,
    region
where
    c_custkey = o_custkey
    and l_orderkey = o_orderkey
    and l_suppkey = s_suppkey
    and c_nationkey = s_nationkey
    and s_nationkey = n_nationkey
    and n_regionkey = r_regionkey
    and r_name = 'ASIA'
    and o_orderdate >= date '1994-01-01'
    and o_orderdate < date '1994-01-01' + interval '1' year
group by
    n_name
order by
    revenue desc"""

Q10 = """\
select
    c_custkey,
    c_name,
    sum(l_extendedprice * (1 - l_discount)) as revenue,
    c_acctbal,
    n_name,
    c_address,
    c_phone,
    c_comment
from
    customer,
    orders,
    lineitem,
    nation
where
    c_custkey = o_custkey
    and l_orderkey = o_orderkey
    and o_orderdate >= date '1993-10-01'
    and o_orderdate < date '1993-10-01' + interval '3' month
    and l_returnflag = 'R'
    and c_nationkey = n_nationkey
group by
    c_custkey,
    c_name,
    c_acctbal,
    c_phone,
    n_name,
    c_address,
    c_comment
order by
    revenue desc
limit 20"""

SKEW = """\
select
    d_group,
    count(*) as fact_rows,
    sum(f_cents) as cents
from
    fact
    join dim on f_key = d_key
group by
    d_group
order by
    d_group"""

Q4 = """\
select
    o_orderpriority,
    count(*) as order_count
from
    orders
where
    o_orderdate >= date '1993-07-01'
    and o_orderdate < date '1993-07-01' + interval '3' month
    and exists (
        select
            *
        from
            lineitem
        where
            l_orderkey = o_orderkey
            and l_commitdate < l_receiptdate
    )
group by
    o_orderpriority
order by
    o_orderpriority"""

# The view revenue0 as a WITH query (the specification's variant without CREATE VIEW).
Q15 = """\
with revenue0 as (
    select
        l_suppkey as supplier_no,
        sum(l_extendedprice * (1 - l_discount)) as total_revenue
    from
        lineitem
    where
        l_shipdate >= date '1996-01-01'
        and l_shipdate < date '1996-01-01' + interval '3' month
    group by
        l_suppkey
)
select
    s_suppkey,
    s_name,
    s_address,
    s_phone,
    total_revenue
from
    supplier,
    revenue0
where
    s_suppkey = supplier_no
    and total_revenue = (
        select
            max(total_revenue)
        from
            revenue0
    )
order by
    s_suppkey"""

Q21 = """\
select
    s_name,
    count(*) as numwait
from
    supplier,
    lineitem l1,
    orders,
    nation
where
    s_suppkey = l1.l_suppkey
    and o_orderkey = l1.l_orderkey
    and o_orderstatus = 'F'
    and l1.l_receiptdate > l1.l_commitdate
    and exists (
        select
            *
        from
            lineitem l2
        where
            l2.l_orderkey = l1.l_orderkey
            and l2.l_suppkey <> l1.l_suppkey
    )
    and not exists (
        select
            *
        from
            lineitem l3
        where
            l3.l_orderkey = l1.l_orderkey
            and l3.l_suppkey <> l1.l_suppkey
            and l3.l_receiptdate > l3.l_commitdate
    )
    and s_nationkey = n_nationkey
    and n_name = 'SAUDI ARABIA'
group by
    s_name
order by
    numwait desc,
    s_name
limit 100"""

Q22 = """\
select
    cntrycode,
    count(*) as numcust,
    sum(c_acctbal) as totacctbal
from (
    select
        substring(c_phone, 1, 2) as cntrycode,
        c_acctbal
    from
        customer
    where
        substring(c_phone, 1, 2) in ('13', '31', '23', '29', '30', '18', '17')
        and c_acctbal > (
            select
                avg(c_acctbal)
            from
                customer
            where
                c_acctbal > 0.00
                and substring(c_phone, 1, 2) in ('13', '31', '23', '29', '30', '18', '17')
        )
        and not exists (
            select
                *
            from
                orders
            where
                o_custkey = c_custkey
        )
) as custsale
group by
    cntrycode
order by
    cntrycode"""

# Statements Sparrow runs before a query: broadcast joins off, so the skewed join goes through a shuffle.
SKEW_SETTINGS = ["SET spark.sql.autoBroadcastJoinThreshold=-1"]

QUERIES = {
    "q3": ("TPC-H Q3", Q3, ["customer", "orders", "lineitem"], []),
    "q5": ("TPC-H Q5", Q5, ["customer", "orders", "lineitem", "supplier", "nation", "region"], []),
    "q10": ("TPC-H Q10", Q10, ["customer", "orders", "lineitem", "nation"], []),
    "skew": ("4M-row fact (40% on one key) joined to a 100k-row dimension, no broadcast", SKEW,
             ["fact", "dim"], SKEW_SETTINGS),
    "q4": ("TPC-H Q4", Q4, ["orders", "lineitem"], []),
    "q15": ("TPC-H Q15", Q15, ["lineitem", "supplier"], []),
    "q21": ("TPC-H Q21", Q21, ["supplier", "lineitem", "orders", "nation"], []),
    "q22": ("TPC-H Q22", Q22, ["customer", "orders"], []),
}

# Queries with IN, EXISTS or scalar subqueries (Sparrow plans them as joins), which only the SQL
# engines run: polars has no translation of them here.
SQL_ONLY = {"q4", "q15", "q21", "q22"}

# The queries in polars' lazy API, shared by the whole-process script and the in-process worker; `paths`
# maps each table name to its file. As in tpch_queries.py, the first factor of a decimal product is cast
# to the SQL result's scale, since polars would round every product to the larger operand scale.
POLARS_QUERIES = r"""
import datetime
import polars as pl

def build(name, paths):
    scan = {table: pl.scan_parquet(path) for table, path in paths.items()}
    c = pl.col
    revenue = (c("l_extendedprice").cast(pl.Decimal(38, 4)) * (1 - c("l_discount"))).sum().alias("revenue")
    if name == "q3":
        day = datetime.date(1995, 3, 15)
        return (
            scan["customer"].filter(c("c_mktsegment") == "BUILDING")
            .join(scan["orders"].filter(c("o_orderdate") < day), left_on="c_custkey", right_on="o_custkey")
            .join(scan["lineitem"].filter(c("l_shipdate") > day), left_on="o_orderkey", right_on="l_orderkey")
            .group_by(c("o_orderkey").alias("l_orderkey"), "o_orderdate", "o_shippriority")
            .agg(revenue)
            .select("l_orderkey", "revenue", "o_orderdate", "o_shippriority")
            .sort(["revenue", "o_orderdate"], descending=[True, False])
            .head(10)
        )
    if name == "q5":
        orders = scan["orders"].filter(c("o_orderdate").is_between(
            datetime.date(1994, 1, 1), datetime.date(1995, 1, 1), closed="left"))
        return (
            scan["region"].filter(c("r_name") == "ASIA")
            .join(scan["nation"], left_on="r_regionkey", right_on="n_regionkey")
            .join(scan["customer"], left_on="n_nationkey", right_on="c_nationkey")
            .join(orders, left_on="c_custkey", right_on="o_custkey")
            .join(scan["lineitem"], left_on="o_orderkey", right_on="l_orderkey")
            .join(scan["supplier"], left_on=["l_suppkey", "n_nationkey"], right_on=["s_suppkey", "s_nationkey"])
            .group_by("n_name")
            .agg(revenue)
            .sort("revenue", descending=True)
        )
    if name == "q10":
        orders = scan["orders"].filter(c("o_orderdate").is_between(
            datetime.date(1993, 10, 1), datetime.date(1994, 1, 1), closed="left"))
        return (
            orders
            .join(scan["customer"], left_on="o_custkey", right_on="c_custkey")
            .join(scan["lineitem"].filter(c("l_returnflag") == "R"), left_on="o_orderkey", right_on="l_orderkey")
            .join(scan["nation"], left_on="c_nationkey", right_on="n_nationkey")
            .group_by(c("o_custkey").alias("c_custkey"), "c_name", "c_acctbal", "c_phone", "n_name",
                      "c_address", "c_comment")
            .agg(revenue)
            .select("c_custkey", "c_name", "revenue", "c_acctbal", "n_name", "c_address", "c_phone",
                    "c_comment")
            .sort("revenue", descending=True)
            .head(20)
        )
    if name == "skew":
        return (
            scan["fact"].join(scan["dim"], left_on="f_key", right_on="d_key")
            .group_by("d_group")
            .agg(pl.len().alias("fact_rows"), c("f_cents").sum().alias("cents"))
            .sort("d_group")
        )
    raise SystemExit(f"unknown query {name}")
"""

POLARS_PROCESS = POLARS_QUERIES + r"""
import json, sys
sys.stdout.write(build(sys.argv[1], json.loads(sys.argv[2])).collect().write_csv())
"""

# The in-process worker: one JSON command per line on stdin ({"query", "paths"}), one JSON answer per
# line on stdout; only collect() is timed, after resetting the RSS high-water mark.
POLARS_WORKER = POLARS_QUERIES + r"""
import gc, json, re, resource, sys, time

def high_water_kb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))

def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

for line in sys.stdin:
    command = json.loads(line)
    plan = build(command["query"], command["paths"])
    gc.collect()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    start, start_cpu = time.perf_counter(), cpu_seconds()
    frame = plan.collect()
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": high_water_kb(), "csv": frame.write_csv()}),
          flush=True)
    del frame, plan
"""


class PolarsWorker:
    """A long-lived Python process that times polars' collect() (see POLARS_WORKER)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", POLARS_WORKER],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, query: str, paths: dict[str, str]) -> tuple[Sample, str]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"query": query, "paths": paths}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise BenchError(f"the polars worker died running {query}")
        answer = json.loads(line)
        return Sample(answer["seconds"], answer["cpu"], answer["peak_kb"]), answer["csv"]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


# --- data


def write_plain(source: str, path: str) -> None:
    """`source` (a tpchgen-cli file) at `path` with string_view columns as string, zstd, 128Ki-row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    print(f"prepare: pyarrow write_table(compression='zstd', row_group_size={ROW_GROUP_SIZE}) -> {path}",
          flush=True)
    table = pq.read_table(source)
    plain = pa.schema([f.with_type(pa.string()) if pa.types.is_string_view(f.type) else f for f in table.schema],
                      metadata=table.schema.metadata)
    pq.write_table(table.cast(plain), path + ".partial", compression="zstd", row_group_size=ROW_GROUP_SIZE)
    os.rename(path + ".partial", path)


def prepare_tpch(data_dir: str) -> dict[str, str]:
    """Makes the six TPC-H tables (see the module doc) unless they exist; returns their paths by name."""
    paths = {"lineitem": write_lineitem(data_dir, "lineitem_rg128k.zstd.parquet", compression="zstd",
                                        row_group_size=ROW_GROUP_SIZE)}
    tpch = os.path.dirname(generate_lineitem(data_dir))
    others = [t for t in TPCH_TABLES if t != "lineitem"]
    missing = [t for t in others if not os.path.exists(os.path.join(tpch, f"{t}.parquet"))]
    if missing:
        partial = os.path.join(data_dir, "tpch-joins.partial")
        shutil.rmtree(partial, ignore_errors=True)
        print(f"prepare: tpchgen-cli parquet -s 1 --tables {','.join(missing)} -> {tpch}", flush=True)
        subprocess.run(["tpchgen-cli", "parquet", "-s", "1", "--tables", ",".join(missing), "--output-dir", partial,
                        "--quiet"], check=True)
        for table in missing:
            os.rename(os.path.join(partial, f"{table}.parquet"), os.path.join(tpch, f"{table}.parquet"))
        shutil.rmtree(partial, ignore_errors=True)
    for table in others:
        path = os.path.join(data_dir, f"{table}_rg128k.zstd.parquet")
        if not os.path.exists(path):
            write_plain(os.path.join(tpch, f"{table}.parquet"), path)
        paths[table] = path
    return paths


def prepare_skew(data_dir: str) -> dict[str, str]:
    """Makes the skewed fact table and its dimension (see the module doc) unless they exist."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    paths = {"fact": os.path.join(data_dir, "skew_fact.zstd.parquet"),
             "dim": os.path.join(data_dir, "skew_dim.zstd.parquet")}
    os.makedirs(data_dir, exist_ok=True)
    if not os.path.exists(paths["fact"]):
        print(f"prepare: pyarrow skewed fact table ({FACT_ROWS:,} rows, 40% on key {HOT_KEY}) -> {paths['fact']}",
              flush=True)
        ids = np.arange(FACT_ROWS, dtype=np.int64)
        others = (ids // 5) * 3 + (ids % 5 - 2)  # 0, 1, 2, ... along the rows off the hot key
        keys = np.where(ids % 5 < 2, np.int64(HOT_KEY), others * 35761 % DIM_ROWS)
        fact = pa.table({"f_id": ids, "f_key": keys, "f_cents": ids * 7919 % 100_000 + 1})
        pq.write_table(fact, paths["fact"] + ".partial", compression="zstd", row_group_size=ROW_GROUP_SIZE)
        os.rename(paths["fact"] + ".partial", paths["fact"])
    if not os.path.exists(paths["dim"]):
        print(f"prepare: pyarrow dimension table ({DIM_ROWS:,} rows) -> {paths['dim']}", flush=True)
        keys = np.arange(DIM_ROWS, dtype=np.int64)
        dim = pa.table({"d_key": keys, "d_group": (keys % 100).astype(np.int32),
                        "d_name": pa.array([f"dim-{k:06d}" for k in range(DIM_ROWS)], type=pa.string())})
        pq.write_table(dim, paths["dim"] + ".partial", compression="zstd", row_group_size=ROW_GROUP_SIZE)
        os.rename(paths["dim"] + ".partial", paths["dim"])
    return paths


def check_rows(paths: dict[str, str]) -> None:
    import pyarrow.parquet as pq

    wanted = dict(TPCH_ROWS, fact=FACT_ROWS, dim=DIM_ROWS)
    for table, path in paths.items():
        rows = pq.ParquetFile(path).metadata.num_rows
        if rows != wanted[table]:
            raise BenchError(f"{path} holds {rows} rows, expected {wanted[table]} (delete it to remake it)")


# --- cases


def duckdb_script(query: str, paths: dict[str, str]) -> str:
    _, sql, tables, _ = QUERIES[query]
    views = "".join(f"CREATE VIEW {t} AS SELECT * FROM read_parquet({sql_string(paths[t])}); " for t in tables)
    return views + sql


def sparrow_argv(sparrow: str, query: str, paths: dict[str, str], settings: list[str],
                 analyze: bool = False) -> list[str]:
    _, sql, tables, _ = QUERIES[query]
    argv = [sparrow, "sql"]
    for table in tables:
        argv += ["--table", f"{table}={paths[table]}"]
    argv += ["--format", "csv"] + (["--analyze"] if analyze else [])
    return argv + ["".join(f"{s}; " for s in settings) + sql]


def make_cases(query: str, paths: dict[str, str], engines: list[str], sparrow: str | None, duckdb: str | None,
               worker: PolarsWorker | None, timeout: float) -> list[QueryCase]:
    """The cases of one query in the order of the first round: the reference (DuckDB, else polars) first."""
    _, _, tables, settings = QUERIES[query]
    own = {t: paths[t] for t in tables}
    reference = Reference()
    cases = []
    if "duckdb" in engines:
        cases.append(QueryCase("duckdb", "duckdb", "duckdb -csv -c (process)", reference, frozenset({"NULL"}),
                               process([duckdb, "-csv", "-c", duckdb_script(query, paths)], timeout)))
    if "polars" in engines and query not in SQL_ONLY:
        cases.append(QueryCase("polars", "polars", "scan_parquet ... collect() (process)", reference,
                               frozenset({""}),
                               process([sys.executable, "-c", POLARS_PROCESS, query, json.dumps(own)], timeout)))
        cases.append(QueryCase("polars-inproc", "polars", "collect() (in process)", reference, frozenset({""}),
                               lambda: worker.run(query, own)))
    if sparrow is not None:
        cases.append(QueryCase("sparrow", "sparrow", "sql --format csv (process)", reference, frozenset({""}),
                               process(sparrow_argv(sparrow, query, paths, settings), timeout)))
    return cases


# --- reporting


def failure_summary(failure: str) -> str:
    """One line saying why a Sparrow run failed: its error message rather than the whole command."""
    if "\n  exit status " in failure:
        detail = failure.split("\n  exit status ", 1)[1]
        status, _, stderr = detail.partition("\n")
        lines = [line.strip() for line in stderr.splitlines() if line.strip()]
        message = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")
        text = f"exit {status.strip()}: {message}" if message else f"exit {status.strip()}"
    elif "killed after" in failure:
        text = failure.strip().splitlines()[-1].strip()
    else:
        text = failure.strip().splitlines()[0]
    return text if len(text) <= 100 else text[:97] + "..."


def report(query: str, cases: list[QueryCase], runs: int) -> list[dict]:
    """Prints one query's table (Sparrow first) and returns its rows for the JSON file."""
    ordered = sorted(cases, key=lambda c: c.key != "sparrow")
    rows = []
    for case in ordered:
        row = case.summary() if case.samples and case.failure is None else {"tool": case.tool,
                                                                             "measures": case.measures}
        row.update(case=case.key, failure=case.failure, wrong_result=case.wrong_result)
        rows.append(row)
    base = next((r for r in rows if r["case"] == "sparrow" and "median_s" in r), None)
    for r in rows:
        measured = "median_s" in r
        r["time_ratio"] = round(r["median_s"] / base["median_s"], 3) if base and measured else None
        r["cpu_ratio"] = round(r["median_cpu_s"] / base["median_cpu_s"], 3) if base and measured else None

    def ratio(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    header = ["tool", "measures", "median s", "min s", "max s", "time/sparrow", "CPU s", "CPU/sparrow",
              "peak RSS MB", "note"]
    table = []
    for r in rows:
        if "median_s" not in r:
            table.append([r["tool"], r["measures"], "failed"] + ["-"] * (len(header) - 4)
                         + [f"failed: {failure_summary(r['failure'] or 'no runs')}"])
            continue
        table.append([r["tool"], r["measures"], f"{r['median_s']:.3f}", f"{r['min_s']:.3f}", f"{r['max_s']:.3f}",
                      ratio(r["time_ratio"]), f"{r['median_cpu_s']:.2f}", ratio(r["cpu_ratio"]),
                      f"{r['peak_rss_mb']:.0f}", ""])
    title = QUERIES[query][0]
    print_table(f"{query}: {title}, {runs} run{'s' if runs > 1 else ''}", header, table)
    return rows


def print_summary(results: dict[str, list[dict]]) -> None:
    """Median seconds of every case, one row per query (ratios to Sparrow in parentheses)."""
    keys = max(([r["case"] for r in rows] for rows in results.values()), key=len)
    labels = {"sparrow": "sparrow", "duckdb": "duckdb", "polars": "polars (process)",
              "polars-inproc": "polars (in process)"}
    table = []
    for query, rows in results.items():
        line = [query]
        for key in keys:
            r = next((r for r in rows if r["case"] == key), None)
            if r is None:
                line.append("-")
            elif "median_s" not in r:
                line.append("failed")
            elif r["time_ratio"] is None or key == "sparrow":
                line.append(f"{r['median_s']:.3f}")
            else:
                line.append(f"{r['median_s']:.3f} ({r['time_ratio']:.2f})")
        table.append(line)
    print_table("Summary: median seconds (tool / sparrow)", ["query"] + [labels[k] for k in keys], table,
                text_columns=1)


# --- --analyze: the skewed join with AQE on and off


STAGE = re.compile(r"^Stage (\d+): (\d+) tasks?, ([\d.]+) (ms|s)\b")
SLOWEST = re.compile(r"slowest task (\d+) ([\d.]+) (ms|s)\b")
MEDIAN_TASK = re.compile(r"task time median ([\d.]+) (ms|s)\b")
# The AQE decisions as issue 6 words them: "coalesced 200 → 6 partitions", "split skewed partition 17
# into 8", "converted to broadcast join: right side 3.2 MB".
AQE_WORDS = re.compile(r"coalesced \d|split skewed|skewed partition|converted to broadcast", re.I)


def seconds_of(number: str, unit: str) -> float:
    return float(number) / 1000 if unit == "ms" else float(number)


def parse_analyze(text: str) -> dict:
    """The stages of an `--analyze` report: id, tasks, seconds, median task seconds, slowest task
    (partition, seconds) and whether a hash join runs in it (its `operators:` line), and the lines
    that mention an AQE decision."""
    stages = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = STAGE.match(line.strip())
        if not match:
            continue
        operators = lines[index + 1].strip() if index + 1 < len(lines) else ""
        stage = {"stage": int(match.group(1)), "tasks": int(match.group(2)),
                 "seconds": seconds_of(match.group(3), match.group(4)), "median_task_s": None,
                 "slowest_partition": None, "slowest_s": None,
                 "joins": operators.startswith("operators:") and "HashJoinExec" in operators}
        median = MEDIAN_TASK.search(line)
        if median:
            stage["median_task_s"] = seconds_of(median.group(1), median.group(2))
        slowest = SLOWEST.search(line)
        if slowest:
            stage["slowest_partition"] = int(slowest.group(1))
            stage["slowest_s"] = seconds_of(slowest.group(2), slowest.group(3))
        stages.append(stage)
    decisions = [line.strip() for line in text.splitlines() if AQE_WORDS.search(line)]
    return {"stages": stages, "aqe_lines": decisions}


def run_analyze(args, sparrow: str, duckdb: str | None, paths: dict[str, str]) -> int:
    """Runs the skew query with AQE on and off (see the module doc); exit status 1 if Sparrow fails."""
    reference = Reference()
    if duckdb is not None:
        completed = subprocess.run([duckdb, "-csv", "-c", duckdb_script("skew", paths)], capture_output=True,
                                   text=True, timeout=args.timeout)
        if completed.returncode != 0:
            print(f"error: duckdb failed: {completed.stderr.strip()}", file=sys.stderr)
            return 1
        reference.check("duckdb", completed.stdout, frozenset({"NULL"}))
    results: dict = {"machine": machine(), "sparrow": sparrow, "runs": args.runs, "query": SKEW, "settings": {}}
    failed = False
    table = []
    overall: dict[str, float] = {}
    join_stage: dict[str, float] = {}
    for enabled in ("true", "false"):
        settings = SKEW_SETTINGS + [f"SET spark.sql.adaptive.enabled={enabled}"]
        argv = sparrow_argv(sparrow, "skew", paths, settings, analyze=True)
        label = f"spark.sql.adaptive.enabled={enabled}"
        runs = []
        for index in range(args.runs):
            start = time.perf_counter()
            try:
                completed = subprocess.run(argv, capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                runs = f"killed after {args.timeout:g} s"
                break
            seconds = time.perf_counter() - start
            if completed.returncode != 0:
                runs = f"exit {completed.returncode}: {completed.stderr.strip()[:500]}"
                break
            try:
                reference.check("sparrow", completed.stdout, frozenset({""}))
            except ResultMismatch as error:
                runs = f"wrong result: {error}"
                break
            parsed = parse_analyze(completed.stderr)
            parsed["seconds"] = round(seconds, 4)
            runs.append(parsed)
            print(f"{label}: run {index + 1}/{args.runs} done", file=sys.stderr, flush=True)
        results["settings"][label] = {"statements": settings, "runs": runs}
        if isinstance(runs, str):
            failed = True
            print(f"\nsparrow: FAILED with {label}:\n{indent(runs)}\n")
            table.append([label, f"failed: {failure_summary(runs)}", "", "", "", "", ""])
            continue
        if not runs[0]["stages"]:
            failed = True
            table.append([label, "failed: no 'Stage N: ...' lines in the --analyze output", "", "", "", "", ""])
            continue
        ids = [s["stage"] for s in runs[0]["stages"]]
        for stage_id in ids:
            stage_runs = [next(s for s in r["stages"] if s["stage"] == stage_id) for r in runs
                          if any(s["stage"] == stage_id for s in r["stages"])]
            slowest = [s["slowest_s"] for s in stage_runs if s["slowest_s"] is not None]
            medians = [s["median_task_s"] for s in stage_runs if s["median_task_s"] is not None]
            table.append([label if stage_id == ids[0] else "", f"stage {stage_id}", str(stage_runs[0]["tasks"]),
                          f"{statistics.median(s['seconds'] for s in stage_runs):.3f}",
                          f"{statistics.median(medians):.3f}" if medians else "-",
                          f"{statistics.median(slowest):.3f}" if slowest else "-",
                          f"{statistics.median(r['seconds'] for r in runs):.3f}" if stage_id == ids[0] else ""])
        for line in sorted({line for r in runs for line in r["aqe_lines"]}):
            table.append(["", f"decision: {line}", "", "", "", "", ""])
        # The slowest task of the whole query (once the join's, now as often a map task's).
        slowest = [max((s["slowest_s"] for s in r["stages"] if s["slowest_s"] is not None), default=None)
                   for r in runs]
        if all(value is not None for value in slowest):
            overall[enabled] = statistics.median(slowest)
        # The slowest task of the stage that joins (the one the skew split is for).
        joining = [max((s["slowest_s"] for s in r["stages"] if s["joins"] and s["slowest_s"] is not None), default=None)
                   for r in runs]
        if all(value is not None for value in joining):
            join_stage[enabled] = statistics.median(joining)
    print_table(f"skew: Sparrow --analyze, AQE on and off, median of {args.runs} run{'s' if args.runs > 1 else ''}",
                ["setting", "stage", "tasks", "stage s", "median task s", "slowest task s", "whole process s"], table,
                text_columns=2)
    for title, figures in (("the join stage", join_stage), ("any stage", overall)):
        if len(figures) == 2:
            print(f"{chr(10) if title == 'the join stage' else ''}slowest task of {title} (median): AQE on {figures['true']:.3f} s, "
                  f"off {figures['false']:.3f} s" + (f"; off / on = {figures['false'] / figures['true']:.2f}" if figures["true"] > 0 else ""))
    results["slowest_task_s"] = overall
    results["slowest_join_task_s"] = join_stage
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
            out.write("\n")
    return 1 if failed else 0


# --- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--query", choices=[*QUERIES, "all"], default="all", help="which query (default all)")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help=f"comma-separated engines to run (default all: {','.join(ENGINES)})")
    parser.add_argument("--analyze", action="store_true",
                        help="run only the skew query with Sparrow's --analyze, AQE on and off")
    parser.add_argument("--sparrow", default=os.path.join(REPO, ".build", "release", "sparrow"),
                        help="the sparrow binary (default .build/release/sparrow)")
    parser.add_argument("--duckdb", help="the DuckDB CLI binary (default: the one duckdb-cli bundles)")
    parser.add_argument("--data-dir", default=os.path.join(REPO, "bench-data"),
                        help="where the data is made and kept (default bench-data/)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds after which a run is killed and counted as failed (default 600)")
    parser.add_argument("--json", metavar="FILE",
                        help="write the results as JSON (default tools/bench/results/joins.json, or "
                             "joins_analyze.json with --analyze)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        parser.error(f"unknown --engines {', '.join(unknown) or '(none)'}; choose from {', '.join(ENGINES)}")
    if shutil.which("tpchgen-cli") is None and args.query != "skew":
        parser.error("tpchgen-cli is not on PATH (tools/setup installs it)")
    if args.json is None:
        args.json = os.path.join(REPO, "tools", "bench", "results",
                                 "joins_analyze.json" if args.analyze else "joins.json")
    duckdb = None
    if "duckdb" in engines or args.analyze:
        try:
            duckdb = args.duckdb or duckdb_binary()
        except BenchError as error:
            if not args.analyze:
                parser.error(str(error))
            print(f"duckdb: not available ({error}); Sparrow's answers go unchecked")

    data_dir = os.path.abspath(args.data_dir)
    names = ["skew"] if args.analyze else list(QUERIES) if args.query == "all" else [args.query]
    paths: dict[str, str] = {}
    try:
        if any(n != "skew" for n in names):
            paths.update(prepare_tpch(data_dir))
        if "skew" in names:
            paths.update(prepare_skew(data_dir))
        check_rows(paths)
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    sparrow: str | None = os.path.abspath(args.sparrow) if "sparrow" in engines or args.analyze else None
    if sparrow is not None and not os.access(sparrow, os.X_OK):
        print(f"sparrow: not available: no executable at {sparrow} (tools/build-release)")
        sparrow = None
    if args.analyze:
        if sparrow is None:
            return 1
        return run_analyze(args, sparrow, duckdb, paths)
    if sparrow is None and len(engines) == 1:
        return 0
    duckdb_version = None
    if duckdb is not None:
        duckdb_version = subprocess.run([duckdb, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"duckdb: {duckdb} ({duckdb_version})")
    import pyarrow.parquet as pq

    results: dict = {
        "machine": machine(),
        "engines": engines,
        "sparrow": {"path": os.path.abspath(args.sparrow), "available": sparrow is not None},
        "duckdb": {"path": duckdb, "version": duckdb_version},
        "data": {table: {"path": path, "rows": pq.ParquetFile(path).metadata.num_rows,
                         "bytes": os.path.getsize(path)} for table, path in paths.items()},
        "runs": args.runs,
        "warmup": args.warmup,
        "queries": {},
    }
    worker = PolarsWorker() if "polars" in engines else None
    tables: dict[str, list[dict]] = {}
    sparrow_failed = False
    load_before, steal_before = load_and_steal()
    try:
        for query in names:
            cases = make_cases(query, paths, engines, sparrow, duckdb, worker, args.timeout)
            if not cases:
                continue
            measure(cases, args.runs, args.warmup, query)
            tables[query] = report(query, cases, args.runs)
            reference = cases[0].reference
            if reference.tool is not None:
                print(f"answer ({reference.tool}):\n{indent(reference.text)}")
            sparrow_failed |= any(c.failure is not None for c in cases)
            results["queries"][query] = {
                "sql": QUERIES[query][1], "sparrow_statements": QUERIES[query][3], "cases": tables[query],
                "answer": {"tool": reference.tool, "csv": reference.text}}
    except ResultMismatch as error:
        print(f"\nerror: the peers disagree: {error}", file=sys.stderr)
        return 1
    except BenchError as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    finally:
        if worker is not None:
            worker.close()
    load_after, steal_after = load_and_steal()
    results["load"] = {"before": load_before, "after": load_after,
                       "steal_seconds": round(steal_after - steal_before, 2)}
    results["polars_queries"] = POLARS_QUERIES

    if len(tables) > 1:
        print_summary(tables)
    print(f"\nmachine: load average {load_before} before, {load_after} after; "
          f"{steal_after - steal_before:.1f} s of CPU stolen by the hypervisor during the runs")
    checked = [e for e in engines if e != "sparrow" or sparrow is not None]
    print(f"check: {', '.join(checked)} agree on every run: "
          + ("no (sparrow failed, see above)" if sparrow_failed else "yes"))
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
        out.write("\n")
    print(f"results: {os.path.relpath(args.json)}")
    return 1 if sparrow_failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Sparrow's SQL against DuckDB and polars: TPC-H Q1, Q6 and a key-range query on SF1 lineitem.

    tpch_queries.py [--runs N] [--warmup N] [--query q1|q6|range|all] [--sparrow PATH] [--duckdb PATH]
                    [--data-dir DIR] [--timeout SECONDS] [--json FILE]

Data (made once, kept in DATA_DIR, default bench-data/ at the repository root, git-ignored):
  tpch/lineitem.parquet          `tpchgen-cli parquet -s 1 --tables lineitem` (6,001,215 rows), shared
                                 with parquet_read_write.py;
  lineitem_rg128k.zstd.parquet   that table, string_view columns cast to string, written by pyarrow's
                                 `pq.write_table(t, path, compression='zstd', row_group_size=131072)`:
                                 46 row groups with min/max statistics, so the range query can skip
                                 all but one of them.
A step whose output exists is skipped.

Queries (the SQL text below, unchanged, for Sparrow and DuckDB; the same computation in polars' lazy API):
  q1     TPC-H Q1 (pricing summary: 4 groups, 8 aggregates over ~98% of the rows);
  q6     TPC-H Q6 (forecasting revenue change: 4 filters, one sum);
  range  count(*) and sum(l_quantity) for l_orderkey between 3,000,000 and 3,010,000 (10,063 rows,
         all in row group 22: rewards skipping row groups by their statistics).

Cases, per query:
  sparrow   whole process `sparrow sql --table lineitem=FILE --format csv "QUERY"`;
  duckdb    whole process `duckdb -csv -c "CREATE VIEW lineitem AS SELECT * FROM read_parquet('FILE'); QUERY"`,
            the CLI binary itself (see duckdb_binary: the `duckdb` command of the duckdb-cli package is a
            Python launcher in front of it);
  polars    whole process `python3 -c "...pl.scan_parquet(FILE)...collect()"` printing the result as CSV
            (interpreter start and `import polars`, about 0.4 s, included);
  polars    in process: a long-lived Python process builds the lazy query, then times `.collect()` only.

Runs: --warmup untimed rounds (default 1), then --runs rounds (default 5); each round runs every case
once, in an order rotated by one per round. The first round starts with DuckDB, whose answer is the
reference. Wall time spawn to exit for processes (around collect() in process), CPU time (user +
system, all threads), peak RSS as GNU time reports it for processes (VmHWM after resetting it, for
the in-process case: interpreter and polars included). Ratios are tool median / Sparrow median: above
1 means Sparrow is faster.

Checks: every run of every tool (warm-up included) must print the same number of rows and columns as
DuckDB's answer, and the same values: strings exactly, numbers within 1e-6 + 1e-12 x |value| (room for
an avg that one engine gives as decimal(19,6), Spark's type, and another as a double; a sum rounded to
another scale fails). A peer that fails or disagrees stops the benchmark (exit 1). If Sparrow fails or
disagrees, its error is printed, it is marked failed for that query and the others go on; the exit
status is then 1. A missing Sparrow binary only prints `sparrow: not available` (exit 0).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal, InvalidOperation

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from csv_to_parquet import load_and_steal, print_table  # noqa: E402
from parquet_read_write import BenchError, Case, Sample, machine, run_process, write_lineitem  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROWS = 6_001_215
SOURCE = "lineitem_rg128k.zstd.parquet"
ROW_GROUP_SIZE = 131_072

ABS_TOLERANCE = Decimal("1e-6")
REL_TOLERANCE = Decimal("1e-12")

Q1 = """\
select
    l_returnflag,
    l_linestatus,
    sum(l_quantity) as sum_qty,
    sum(l_extendedprice) as sum_base_price,
    sum(l_extendedprice * (1 - l_discount)) as sum_disc_price,
    sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
    avg(l_quantity) as avg_qty,
    avg(l_extendedprice) as avg_price,
    avg(l_discount) as avg_disc,
    count(*) as count_order
from
    lineitem
where
    l_shipdate <= date '1998-12-01' - interval '90' day
group by
    l_returnflag,
    l_linestatus
order by
    l_returnflag,
    l_linestatus"""

Q6 = """\
select
    sum(l_extendedprice * l_discount) as revenue
from
    lineitem
where
    l_shipdate >= date '1994-01-01'
    and l_shipdate < date '1994-01-01' + interval '1' year
    and l_discount between 0.06 - 0.01 and 0.06 + 0.01
    and l_quantity < 24"""

RANGE = "SELECT count(*), sum(l_quantity) FROM lineitem WHERE l_orderkey BETWEEN 3000000 AND 3010000"

QUERIES = {
    "q1": ("TPC-H Q1", Q1),
    "q6": ("TPC-H Q6", Q6),
    "range": ("count(*), sum(l_quantity) for l_orderkey BETWEEN 3000000 AND 3010000", RANGE),
}

# The queries in polars' lazy API, shared by the whole-process script and the in-process worker.
# polars gives a decimal product the larger of the operands' scales, rounding every row
# (decimal(15,2) * decimal(15,2) -> scale 2), where SQL adds the scales; casting the first operand to
# the SQL result's scale keeps the products exact, as in the SQL engines.
POLARS_QUERIES = r"""
import datetime
from decimal import Decimal
import polars as pl

def build(name, path):
    lineitem = pl.scan_parquet(path)
    c = pl.col
    if name == "q1":
        price = c("l_extendedprice")
        return (
            lineitem
            .filter(c("l_shipdate") <= pl.lit(datetime.date(1998, 12, 1)) - pl.duration(days=90))
            .group_by("l_returnflag", "l_linestatus")
            .agg(
                c("l_quantity").sum().alias("sum_qty"),
                price.sum().alias("sum_base_price"),
                (price.cast(pl.Decimal(38, 4)) * (1 - c("l_discount"))).sum().alias("sum_disc_price"),
                (price.cast(pl.Decimal(38, 6)) * (1 - c("l_discount")) * (1 + c("l_tax"))).sum()
                .alias("sum_charge"),
                c("l_quantity").mean().alias("avg_qty"),
                price.mean().alias("avg_price"),
                c("l_discount").mean().alias("avg_disc"),
                pl.len().alias("count_order"),
            )
            .sort("l_returnflag", "l_linestatus")
        )
    if name == "q6":
        start = pl.lit(datetime.date(1994, 1, 1))
        low = pl.lit(Decimal("0.06")) - pl.lit(Decimal("0.01"))
        high = pl.lit(Decimal("0.06")) + pl.lit(Decimal("0.01"))
        return (
            lineitem
            .filter(
                (c("l_shipdate") >= start)
                & (c("l_shipdate") < start.dt.offset_by("1y"))
                & c("l_discount").is_between(low, high)
                & (c("l_quantity") < 24)
            )
            .select((c("l_extendedprice").cast(pl.Decimal(38, 4)) * c("l_discount")).sum().alias("revenue"))
        )
    if name == "range":
        return (
            lineitem
            .filter(c("l_orderkey").is_between(3000000, 3010000))
            .select(pl.len(), c("l_quantity").sum())
        )
    raise SystemExit(f"unknown query {name}")
"""

POLARS_PROCESS = POLARS_QUERIES + r"""
import sys
sys.stdout.write(build(sys.argv[1], sys.argv[2]).collect().write_csv())
"""

# The in-process worker: one JSON command per line on stdin ({"query", "src"}), one JSON answer per line
# on stdout. Only collect() is timed; the RSS high-water mark is reset before it, as in
# parquet_read_write.py's worker.
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
    plan = build(command["query"], command["src"])
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


class ResultMismatch(BenchError):
    pass


class PolarsWorker:
    """A long-lived Python process that times polars' collect() (see POLARS_WORKER)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", POLARS_WORKER],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, query: str, source: str) -> tuple[Sample, str]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"query": query, "src": source}) + "\n")
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


# --- tools


def is_elf(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(4) == b"\x7fELF"
    except OSError:
        return False


def duckdb_binary() -> str:
    """The DuckDB CLI executable itself. The `duckdb` command that the duckdb-cli package installs is a
    Python console script (behind pyenv, a bash shim in front of that) that starts the bundled binary
    as a child: about 0.15 s of interpreter start per call, as much as a whole query here."""
    import importlib.util

    spec = importlib.util.find_spec("duckdb_cli")
    if spec is not None and spec.submodule_search_locations:
        for directory in spec.submodule_search_locations:
            candidate = os.path.join(directory, "duckdb")
            if is_elf(candidate) and os.access(candidate, os.X_OK):
                return candidate
    found = shutil.which("duckdb")
    if found and is_elf(os.path.realpath(found)):
        return found
    raise BenchError("no DuckDB CLI binary: neither the duckdb-cli package's bundled binary nor a native "
                     "`duckdb` on PATH (tools/setup installs duckdb-cli; or pass --duckdb PATH)")


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- answers


NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_answer(text: str, nulls: frozenset[str]) -> list[list[str | None]]:
    """The rows of a CSV answer, without its header (engines name columns differently)."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise BenchError("no output (not even a header row)")
    return [[None if field in nulls else field for field in row] for row in rows[1:]]


def number(text: str) -> Decimal | None:
    if not NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def same_value(expected: str | None, actual: str | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    a, b = number(expected), number(actual)
    if a is None or b is None:
        return expected == actual
    return abs(a - b) <= ABS_TOLERANCE + REL_TOLERANCE * max(abs(a), abs(b))


def differences(expected: list[list[str | None]], actual: list[list[str | None]]) -> list[str]:
    if len(expected) != len(actual):
        return [f"{len(actual)} rows, expected {len(expected)}"]
    problems = []
    for index, (want, got) in enumerate(zip(expected, actual)):
        if len(want) != len(got):
            problems.append(f"row {index + 1}: {len(got)} columns, expected {len(want)}")
        elif not all(same_value(w, g) for w, g in zip(want, got)):
            problems.append(f"row {index + 1}: {got}, expected {want}")
    return problems


class Reference:
    """The answer every run of one query is checked against: the first one given (DuckDB's)."""

    def __init__(self) -> None:
        self.tool: str | None = None
        self.rows: list[list[str | None]] | None = None
        self.text = ""

    def check(self, tool: str, text: str, nulls: frozenset[str]) -> None:
        try:
            rows = parse_answer(text, nulls)
        except (BenchError, csv.Error) as error:
            raise ResultMismatch(f"{tool}: unreadable answer ({error}):\n{text[:2000]}") from None
        if self.rows is None:
            self.tool, self.rows, self.text = tool, rows, text
            return
        problems = differences(self.rows, rows)
        if problems:
            raise ResultMismatch(f"{tool} disagrees with {self.tool}:\n    " + "\n    ".join(problems[:20])
                                 + f"\n  {tool} printed:\n{indent(text)}\n  {self.tool} printed:\n"
                                 + indent(self.text))


def indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines()[:40])


# --- cases


class QueryCase(Case):
    """A Case whose runs are checked against the query's reference answer; `failure` says why it was
    dropped (only Sparrow's case is dropped rather than stopping the benchmark)."""

    def __init__(self, key: str, tool: str, measures: str, reference: Reference, nulls: frozenset[str],
                 execute) -> None:
        super().__init__(tool, measures, self._run)
        self.key = key
        self.reference = reference
        self.nulls = nulls
        self.execute = execute
        self.failure: str | None = None
        self.wrong_result = False

    def _run(self) -> Sample:
        sample, text = self.execute()
        self.reference.check(self.key, text, self.nulls)
        return sample


def process(argv: list[str], timeout: float):
    """A run function for a whole process: its sample and standard output."""
    def execute() -> tuple[Sample, str]:
        captured: list[str] = []
        sample = run_process(argv, captured.append, timeout=timeout)
        return sample, captured[0]
    return execute


def make_cases(query: str, source: str, sparrow: str | None, duckdb: str, worker: PolarsWorker,
               timeout: float) -> list[QueryCase]:
    """The cases of one query in the order of the first round: DuckDB first (the reference)."""
    sql = QUERIES[query][1]
    reference = Reference()
    duckdb_sql = f"CREATE VIEW lineitem AS SELECT * FROM read_parquet({sql_string(source)}); {sql}"
    cases = [
        QueryCase("duckdb", "duckdb", "duckdb -csv -c (process)", reference, frozenset({"NULL"}),
                  process([duckdb, "-csv", "-c", duckdb_sql], timeout)),
        QueryCase("polars", "polars", "scan_parquet ... collect() (process)", reference, frozenset({""}),
                  process([sys.executable, "-c", POLARS_PROCESS, query, source], timeout)),
        QueryCase("polars-inproc", "polars", "collect() (in process)", reference, frozenset({""}),
                  lambda: worker.run(query, source)),
    ]
    if sparrow is not None:
        cases.append(QueryCase("sparrow", "sparrow", "sql --format csv (process)", reference, frozenset({""}),
                               process([sparrow, "sql", "--table", f"lineitem={source}", "--format", "csv",
                                        sql], timeout)))
    return cases


def measure(cases: list[QueryCase], runs: int, warmup: int, label: str) -> None:
    """parquet_read_write.measure's rounds (warm-up, then `runs` rounds in an order rotated by one each
    round), except that a failing Sparrow is dropped with its error printed instead of stopping."""
    for round_index in range(warmup + runs):
        live = [case for case in cases if case.failure is None]
        shift = round_index % len(live)
        for case in live[shift:] + live[:shift]:
            try:
                sample = case.run()
            except BenchError as error:
                if case.key != "sparrow":
                    raise
                case.failure = str(error)
                case.wrong_result = isinstance(error, ResultMismatch)
                print(f"\nsparrow: FAILED on {label}" + (" (wrong result)" if case.wrong_result else "")
                      + f":\n{indent(case.failure)}\n", flush=True)
                continue
            if round_index >= warmup:
                case.samples.append(sample)
        kind = "warm-up" if round_index < warmup else f"run {round_index - warmup + 1}/{runs}"
        print(f"{label}: {kind} done", file=sys.stderr, flush=True)


# --- reporting


def report(query: str, cases: list[QueryCase], runs: int) -> list[dict]:
    """Prints one query's table (Sparrow first) and returns its rows for the JSON file."""
    ordered = sorted(cases, key=lambda c: c.key != "sparrow")
    rows = []
    for case in ordered:
        if case.samples and case.failure is None:
            row = case.summary()
        else:
            row = {"tool": case.tool, "measures": case.measures}
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
              "peak RSS MB"]
    table = []
    for r in rows:
        if "median_s" not in r:
            table.append([r["tool"], r["measures"], "FAILED"] + ["-"] * (len(header) - 3))
            continue
        table.append([r["tool"], r["measures"], f"{r['median_s']:.3f}", f"{r['min_s']:.3f}",
                      f"{r['max_s']:.3f}", ratio(r["time_ratio"]), f"{r['median_cpu_s']:.2f}",
                      ratio(r["cpu_ratio"]), f"{r['peak_rss_mb']:.0f}"])
    title, _ = QUERIES[query]
    print_table(f"{query}: {title}, {runs} run{'s' if runs > 1 else ''}", header, table)
    return rows


def print_summary(results: dict[str, list[dict]]) -> None:
    """Median seconds of every case, one row per query (ratios to Sparrow in parentheses)."""
    keys = [r["case"] for r in next(iter(results.values()))]
    labels = {"sparrow": "sparrow", "duckdb": "duckdb", "polars": "polars (process)",
              "polars-inproc": "polars (in process)"}
    table = []
    for query, rows in results.items():
        line = [query]
        for key in keys:
            r = next(r for r in rows if r["case"] == key)
            if "median_s" not in r:
                line.append("FAILED")
            elif r["time_ratio"] is None or key == "sparrow":
                line.append(f"{r['median_s']:.3f}")
            else:
                line.append(f"{r['median_s']:.3f} ({r['time_ratio']:.2f})")
        table.append(line)
    print_table("Summary: median seconds (tool / sparrow)", ["query"] + [labels[k] for k in keys], table,
                text_columns=1)


# --- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--query", choices=[*QUERIES, "all"], default="all", help="which query (default all)")
    parser.add_argument("--sparrow", default=os.path.join(REPO, ".build", "release", "sparrow"),
                        help="the sparrow binary (default .build/release/sparrow)")
    parser.add_argument("--duckdb", help="the DuckDB CLI binary (default: the one duckdb-cli bundles)")
    parser.add_argument("--data-dir", default=os.path.join(REPO, "bench-data"),
                        help="where the data is made and kept (default bench-data/)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds after which a run is killed and counted as failed (default 600)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    if shutil.which("tpchgen-cli") is None:
        parser.error("tpchgen-cli is not on PATH (tools/setup installs it)")
    try:
        duckdb = args.duckdb or duckdb_binary()
    except BenchError as error:
        parser.error(str(error))

    source = write_lineitem(os.path.abspath(args.data_dir), SOURCE, compression="zstd",
                            row_group_size=ROW_GROUP_SIZE)
    sparrow: str | None = os.path.abspath(args.sparrow)
    if not os.access(sparrow, os.X_OK):
        print(f"sparrow: not available: no executable at {sparrow} (tools/build-release)")
        sparrow = None
    duckdb_version = subprocess.run([duckdb, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"duckdb: {duckdb} ({duckdb_version})")
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(source).metadata
    results: dict = {
        "machine": machine(),
        "sparrow": {"path": os.path.abspath(args.sparrow), "available": sparrow is not None},
        "duckdb": {"path": duckdb, "version": duckdb_version},
        "data": {"path": source, "rows": metadata.num_rows, "row_groups": metadata.num_row_groups,
                 "bytes": os.path.getsize(source)},
        "runs": args.runs,
        "warmup": args.warmup,
        "queries": {},
    }
    if metadata.num_rows != ROWS:
        print(f"error: {source} holds {metadata.num_rows} rows, expected {ROWS}", file=sys.stderr)
        return 1

    names = list(QUERIES) if args.query == "all" else [args.query]
    worker = PolarsWorker()
    tables: dict[str, list[dict]] = {}
    sparrow_failed = False
    load_before, steal_before = load_and_steal()
    try:
        for query in names:
            cases = make_cases(query, source, sparrow, duckdb, worker, args.timeout)
            measure(cases, args.runs, args.warmup, query)
            tables[query] = report(query, cases, args.runs)
            reference = cases[0].reference
            print(f"answer ({reference.tool}):\n{indent(reference.text)}")
            sparrow_failed |= any(c.failure is not None for c in cases)
            results["queries"][query] = {"sql": QUERIES[query][1], "cases": tables[query],
                                         "answer": {"tool": reference.tool, "csv": reference.text}}
    except ResultMismatch as error:
        print(f"\nerror: the peers disagree: {error}", file=sys.stderr)
        return 1
    except BenchError as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    finally:
        worker.close()
    load_after, steal_after = load_and_steal()
    results["load"] = {"before": load_before, "after": load_after,
                       "steal_seconds": round(steal_after - steal_before, 2)}
    results["polars_queries"] = POLARS_QUERIES

    if len(tables) > 1:
        print_summary(tables)
    print(f"\nmachine: load average {load_before} before, {load_after} after; "
          f"{steal_after - steal_before:.1f} s of CPU stolen by the hypervisor during the runs")
    checked = ", ".join(c for c in ("sparrow", "polars") if c != "sparrow" or sparrow is not None)
    print(f"check: {checked} against duckdb, every run: "
          + ("FAILED (sparrow, see above)" if sparrow_failed else "ok"))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
            out.write("\n")
    return 1 if sparrow_failed else 0


if __name__ == "__main__":
    sys.exit(main())

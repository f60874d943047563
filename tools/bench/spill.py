#!/usr/bin/env python3
"""Spilling under a memory budget: Sparrow against the DuckDB CLI at the same limits, TPC-H SF1 lineitem and orders.

    spill.py [--runs N] [--warmup N] [--limits 16m,64m,none] [--query join|groupby|distinct|mixed|several|all]
             [--sparrow PATH] [--duckdb PATH] [--data-dir DIR] [--tmp-dir DIR] [--timeout SECONDS] [--json FILE]

Data (made once, kept in DATA_DIR, default bench-data/ at the repository root, git-ignored): the TPC-H SF1
tables as joins.py's prepare_tpch makes them; these queries read two of them:
  lineitem_rg128k.zstd.parquet   6,001,215 rows, 46 row groups (tpch_queries.py's lineitem);
  orders_rg128k.zstd.parquet     1,500,000 rows, 12 row groups (o_comment: 19 to 78 characters).

Queries (the SQL text below, unchanged, for Sparrow and DuckDB); each one's join, aggregation or shuffle
state is several times the smaller budgets:
  join      every lineitem row joined to its order, grouped by o_orderpriority with max(o_comment): Sparrow
            runs it after `SET spark.sql.autoBroadcastJoinThreshold=-1`, so it is a shuffled hash join whose
            build side (1.5M orders with their comments, about 90 MiB as shuffled) spills (Grace hash join);
  groupby   orders grouped by o_custkey (99,996 groups) with count, sum(o_totalprice), max(o_comment),
            ordered by the key: the partial aggregation's shuffle and the final aggregation spill;
  distinct  count(*) and sum(l_partkey) over the distinct (l_orderkey, l_partkey) pairs of lineitem
            (6,001,169 of them, nearly one per row: the aggregation holds every row), no sort;
  mixed     lineitem grouped by l_shipmode with count(DISTINCT l_orderkey) beside sum(l_quantity) and
            count(*): under a limit Sparrow plans it as Spark plans one distinct argument (the other
            aggregates' states grouped by mode and order, about 4M groups, merged, then regrouped by
            mode), whose merge spills; with its default budget it runs one complete aggregation;
  several   lineitem grouped by l_shipmode with count(DISTINCT l_orderkey) and count(DISTINCT l_partkey)
            beside sum(l_quantity): under a limit the rows are expanded once per distinct argument and
            once for the sum (ExpandExec), then planned as `mixed`; with its default budget, one
            complete aggregation.

Cases, per query, for each memory limit of --limits (default 16m,64m,none; sizes as Sparrow takes them, m =
MiB; `none` sets no limit: Sparrow's default budget is a quarter of RAM, DuckDB's memory_limit 80% of it):
  sparrow   whole process `sparrow sql --table NAME=FILE ... --format csv --analyze [--memory-limit LIMIT]
            --conf spark.local.dir=TMP "QUERY"`, TMP a fresh empty directory per run. Sparrow's limit bounds
            what a query keeps for shuffles, aggregation and join state before spilling, not the whole
            process (scan buffers, batches in flight and the binary are outside it), so its peak RSS can
            exceed the limit. --analyze only prints metrics that every run keeps anyway;
  duckdb    whole process `duckdb -csv -c "SET memory_limit='LIMIT'; SET threads=2; SET
            temp_directory='TMP'; CREATE VIEW ...; QUERY"` (the CLI binary, tpch_queries.duckdb_binary;
            threads=2 = Sparrow's default of one per core on the 2-core machine), TMP a fresh directory
            per run. DuckDB's limit covers its whole buffer manager. DuckDB 1.5.6 cannot run any of
            these queries under 16 MiB: it stops at once with "Out of Memory Error: failed to allocate
            data of size ...". At 32 MiB it runs the group by but not the join or the distinct (at 32 MB,
            30.5 MiB, not the group by either); at 48 MiB it runs all three. A DuckDB out-of-memory is
            shown as `cannot run under this limit` with its message, not dropped from the table. The
            default limits are 16m, where Sparrow must spill nearly everything and DuckDB cannot run, 64m,
            the smallest power of two where both run (and still below every query's state: Sparrow
            spills in all four), and none.

Runs: --warmup untimed rounds (default 1), then --runs rounds (default 5); each round runs every case once,
in an order rotated by one per round. Wall time spawn to exit, CPU time (user + system, all threads), peak
RSS as GNU time reports it (parquet_read_write.run_process, here also keeping stderr for --analyze).
Ratios are DuckDB's median / Sparrow's at the same limit: above 1 means Sparrow is faster (or smaller).

Spill figures, from Sparrow's --analyze report (stderr, QueryExecution.analyzeString), medians over the
timed runs: `spill=42.1 MiB (19 files)` of the ShuffledHashJoinExec line (the join's build and probe
rows written to its hash buckets), of the HashAggregateExec lines summed (aggregation state) and of the
ShuffleExchangeExec lines summed (map output that did not fit), and the `spill X (n files)` figures of
the `Stage N:` lines summed (what the stages' tasks spilled). The two need not agree: a stage's figure
is taken when the stage ends, while an exchange's also counts the map output the memory budget makes it
write out later, when a later stage's operators need the memory (ShuffleExchangeExec.spillToDisk): the
group by at 64m shows 33.1 MiB in 12 files on its exchange against 7.0 MiB in 2 for its map stage.
`-` in the join column: the plan has no ShuffledHashJoinExec.

Checks: the first answer (DuckDB's, without a limit, which runs first) is the reference for every case of
the query: every run at every limit must give the same rows in the same order, strings equal, numbers
within 1e-6 + 1e-12 x |value| (tpch_queries.Reference). After every Sparrow run its spark.local.dir must
be empty (the query removes its spill directory); anything left is a failure. What DuckDB leaves in its
temp_directory is reported. A DuckDB run that fails with an out-of-memory error drops DuckDB at that
limit (`cannot run under this limit`); any other DuckDB failure or disagreement stops the benchmark
(exit 1). A Sparrow run that fails, times out, disagrees or leaves spill files is marked failed for
that limit with its reason, the other cases go on, and the exit status is 1.

Output: per query, a table of every case (limit, tool, median/min/max wall seconds, DuckDB/Sparrow, CPU,
peak RSS, Sparrow's spill figures, note), then a summary of median seconds per query and limit, the load
average before and after and the CPU time the hypervisor stole. --json FILE (default
tools/bench/results/spill.json) writes every sample, every run's spill figures, the answers, the SQL,
the limits, the DuckDB version and the machine.
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
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from csv_to_parquet import load_and_steal, print_table  # noqa: E402
from joins import check_rows, failure_summary, prepare_tpch  # noqa: E402
from parquet_read_write import BenchError, Sample, kill_group, machine  # noqa: E402
from tpch_queries import QueryCase, Reference, ResultMismatch, duckdb_binary, indent, sql_string  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_LIMITS = "16m,64m,none"

JOIN = """\
SELECT o_orderpriority, count(*) AS n, sum(l_extendedprice) AS revenue, max(o_comment) AS c
FROM lineitem JOIN orders ON l_orderkey = o_orderkey
GROUP BY 1
ORDER BY 1"""

GROUPBY = """\
SELECT o_custkey, count(*) AS n, sum(o_totalprice) AS total, max(o_comment) AS c
FROM orders
GROUP BY o_custkey
ORDER BY 1"""

DISTINCT = """\
SELECT count(*) AS n, sum(l_partkey) AS parts
FROM (SELECT DISTINCT l_orderkey, l_partkey FROM lineitem) AS pairs"""

MIXED = """\
SELECT l_shipmode, count(DISTINCT l_orderkey) AS orders, sum(l_quantity) AS quantity, count(*) AS n
FROM lineitem
GROUP BY 1
ORDER BY 1"""

SEVERAL = """\
SELECT l_shipmode, count(DISTINCT l_orderkey) AS orders, count(DISTINCT l_partkey) AS parts,
       sum(l_quantity) AS quantity
FROM lineitem
GROUP BY 1
ORDER BY 1"""

# name: (title, SQL, tables it reads, statements Sparrow runs first)
QUERIES = {
    "join": ("lineitem JOIN orders (shuffled hash join, orders with o_comment on the build side), group by "
             "priority", JOIN, ["lineitem", "orders"], ["SET spark.sql.autoBroadcastJoinThreshold=-1"]),
    "groupby": ("orders grouped by o_custkey (99,996 groups) with max(o_comment), ordered", GROUPBY,
                ["orders"], []),
    "distinct": ("count of the 6,001,169 distinct (l_orderkey, l_partkey) pairs of lineitem", DISTINCT,
                 ["lineitem"], []),
    "mixed": ("lineitem by l_shipmode: count(DISTINCT l_orderkey) beside sum(l_quantity) and count(*)", MIXED,
              ["lineitem"], []),
    "several": ("lineitem by l_shipmode: count(DISTINCT l_orderkey), count(DISTINCT l_partkey) and "
                "sum(l_quantity)", SEVERAL, ["lineitem"], []),
}

# DuckDB's words when its buffer manager cannot stay under memory_limit.
DUCKDB_OUT_OF_MEMORY = "Out of Memory Error"


# --- limits


def limit_bytes(text: str) -> int | None:
    """`none` -> None; `16m`, `512k`, `2g`, `1048576` -> bytes (k/m/g/t binary, as Sparrow's --memory-limit)."""
    text = text.strip().lower()
    if text == "none":
        return None
    match = re.fullmatch(r"(\d+)([kmgt]?)", text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"a memory limit is a positive size such as 16m, 512k or 2g, or none; not '{text}'")
    return int(match.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30, "t": 40}[match.group(2)]


def duckdb_size(size: int) -> str:
    """A byte count as DuckDB's memory_limit takes it, in the largest binary unit that divides it."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size % (1 << shift) == 0:
            return f"{size >> shift}{unit}"
    return f"{size}B"


# --- spill figures from --analyze


BYTES = r"([\d.]+) (B|KiB|MiB|GiB|TiB)"
OPERATOR_SPILL = re.compile(r"\bspill=" + BYTES + r" \((\d+) files?\)")
STAGE_LINE = re.compile(r"^Stage \d+: ")
STAGE_SPILL = re.compile(r", spill " + BYTES + r" \((\d+) files?\)")
SPILL_READ = re.compile(r", shuffle read " + BYTES + r" \(" + BYTES + r" from spill files\)")
UNIT = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}


def byte_count(number: str, unit: str) -> int:
    return round(float(number) * UNIT[unit])


def parse_spill(report: str) -> dict:
    """The spill figures of an --analyze report (see the module doc): bytes and files for the join,
    aggregations, exchanges and all stages, and the shuffle bytes read back from spill files."""
    figures = {kind: {"bytes": 0, "files": 0} for kind in ("join", "aggregate", "exchange", "stages")}
    figures["shuffle_read_from_spill_bytes"] = 0
    operators = {"ShuffledHashJoinExec": "join", "HashAggregateExec": "aggregate",
                 "ShuffleExchangeExec": "exchange"}
    for line in report.splitlines():
        text = line.strip().lstrip("+-:| ")
        if STAGE_LINE.match(text):
            found = STAGE_SPILL.search(text)
            if found:
                figures["stages"]["bytes"] += byte_count(found.group(1), found.group(2))
                figures["stages"]["files"] += int(found.group(3))
            read = SPILL_READ.search(text)
            if read:
                figures["shuffle_read_from_spill_bytes"] += byte_count(read.group(3), read.group(4))
            continue
        kind = next((k for name, k in operators.items() if text.startswith(name + " ")), None)
        found = OPERATOR_SPILL.search(text) if kind else None
        if found:
            figures[kind]["bytes"] += byte_count(found.group(1), found.group(2))
            figures[kind]["files"] += int(found.group(3))
    figures["stage_lines"] = sum(1 for line in report.splitlines() if STAGE_LINE.match(line.strip()))
    figures["has_join"] = any(line.strip().lstrip("+-:| ").startswith("ShuffledHashJoinExec ")
                              for line in report.splitlines())
    return figures


def mib(size: float) -> str:
    return f"{size / (1 << 20):.1f}"


# --- running


def run_captured(argv: list[str], timeout: float) -> tuple[Sample, str, str, int]:
    """parquet_read_write.run_process, keeping stderr and the exit status instead of raising: wall time
    spawn to exit, CPU time (wait4), peak RSS as GNU time reports it; killed (whole process group)
    after `timeout` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as peak:
        start = time.perf_counter()
        child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", peak.name, *argv], stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err, start_new_session=True)
        timer = threading.Timer(timeout, kill_group, (child.pid,))
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        if seconds >= timeout:
            raise BenchError(f"{' '.join(argv)}\n  killed after {timeout:g} s")
        lines = peak.read().strip().splitlines()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    code = os.waitstatus_to_exitcode(status)
    peak_kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    return Sample(seconds, usage.ru_utime + usage.ru_stime, peak_kib), stdout, stderr, code


class CannotRun(BenchError):
    """DuckDB ran out of memory under its memory_limit."""


class SpillCase(QueryCase):
    """One engine at one memory limit. Each run gets a fresh temp directory; Sparrow's must be empty
    after the run. `analyses` holds the spill figures of the run just made (Sparrow)."""

    def __init__(self, tool: str, limit: str, reference: Reference, query: str, paths: dict[str, str],
                 binary: str, tmp_root: str, timeout: float) -> None:
        nulls = frozenset({""}) if tool == "sparrow" else frozenset({"NULL"})
        measures = "sql --analyze --format csv (process)" if tool == "sparrow" else "duckdb -csv -c (process)"
        super().__init__(f"{tool}@{limit}", tool, measures, reference, nulls, self._execute)
        self.limit = limit
        self.query = query
        self.paths = paths
        self.binary = binary
        self.tmp_root = tmp_root
        self.timeout = timeout
        self.cannot_run = False
        self.last_spill: dict | None = None
        self.spills: list[dict] = []
        self.duckdb_leftovers: list[int] = []

    def argv(self, tmp: str) -> list[str]:
        _, sql, tables, settings = QUERIES[self.query]
        size = limit_bytes(self.limit)
        if self.tool == "sparrow":
            argv = [self.binary, "sql"]
            for table in tables:
                argv += ["--table", f"{table}={self.paths[table]}"]
            argv += ["--format", "csv", "--analyze"]
            if size is not None:
                argv += ["--memory-limit", self.limit]
            argv += ["--conf", f"spark.local.dir={tmp}"]
            return argv + ["".join(f"{s}; " for s in settings) + sql]
        script = f"SET memory_limit='{duckdb_size(size)}'; " if size is not None else ""
        script += f"SET threads=2; SET temp_directory={sql_string(tmp)}; "
        script += "".join(f"CREATE VIEW {t} AS SELECT * FROM read_parquet({sql_string(self.paths[t])}); "
                          for t in tables)
        return [self.binary, "-csv", "-c", script + sql]

    def _execute(self) -> tuple[Sample, str]:
        tmp = tempfile.mkdtemp(prefix=f"{self.tool}-", dir=self.tmp_root)
        try:
            argv = self.argv(tmp)
            sample, stdout, stderr, code = run_captured(argv, self.timeout)
            if code != 0:
                message = f"{' '.join(argv)}\n  exit status {code}\n  {stderr.strip()[:2000]}"
                if self.tool == "duckdb" and DUCKDB_OUT_OF_MEMORY in stderr:
                    raise CannotRun(message)
                raise BenchError(message)
            left = sorted(os.listdir(tmp)) if os.path.isdir(tmp) else []
            if self.tool == "sparrow":
                if left:
                    raise BenchError(f"{' '.join(argv)}\n  left {len(left)} entries in spark.local.dir {tmp}: "
                                     + ", ".join(left[:10]))
                self.last_spill = parse_spill(stderr)
                if self.last_spill["stage_lines"] == 0:
                    raise BenchError(f"{' '.join(argv)}\n  no 'Stage N:' lines in the --analyze report on stderr:\n"
                                     + stderr[:2000])
            else:
                self.duckdb_leftovers.append(len(left))
            return sample, stdout
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(cases: list[SpillCase], runs: int, warmup: int, label: str) -> None:
    """tpch_queries.measure's rounds (warm-up, then `runs` rounds in an order rotated by one each round),
    except that a DuckDB out-of-memory drops DuckDB at that limit as `cannot run`, and the spill
    figures of each timed Sparrow run are kept."""
    for round_index in range(warmup + runs):
        live = [case for case in cases if case.failure is None]
        if not live:
            break
        shift = round_index % len(live)
        for case in live[shift:] + live[:shift]:
            try:
                sample = case.run()
            except CannotRun as error:
                case.failure = str(error)
                case.cannot_run = True
                print(f"duckdb: cannot run {label} under memory_limit {case.limit}: "
                      f"{failure_summary(case.failure)}", file=sys.stderr, flush=True)
                continue
            except BenchError as error:
                if case.tool != "sparrow":
                    raise
                case.failure = str(error)
                case.wrong_result = isinstance(error, ResultMismatch)
                print(f"\nsparrow: FAILED on {label} at --memory-limit {case.limit}"
                      + (" (wrong result)" if case.wrong_result else "") + f":\n{indent(case.failure)}\n", flush=True)
                continue
            if round_index >= warmup:
                case.samples.append(sample)
                if case.last_spill is not None:
                    case.spills.append(case.last_spill)
        kind = "warm-up" if round_index < warmup else f"run {round_index - warmup + 1}/{runs}"
        print(f"{label}: {kind} done", file=sys.stderr, flush=True)


def make_cases(query: str, paths: dict[str, str], limits: list[str], sparrow: str | None, duckdb: str,
               tmp_root: str, timeout: float) -> list[SpillCase]:
    """The cases of one query in the order of the first round: DuckDB without a limit first (the
    reference), then per limit, from the largest, DuckDB and Sparrow."""
    reference = Reference()
    ordered = sorted(limits, key=lambda l: -(limit_bytes(l) or 1 << 62))
    cases = []
    for limit in ordered:
        cases.append(SpillCase("duckdb", limit, reference, query, paths, duckdb, tmp_root, timeout))
        if sparrow is not None:
            cases.append(SpillCase("sparrow", limit, reference, query, paths, sparrow, tmp_root, timeout))
    return cases


# --- reporting


def median_spill(spills: list[dict], kind: str) -> tuple[float, float] | None:
    if not spills:
        return None
    return (statistics.median(s[kind]["bytes"] for s in spills), statistics.median(s[kind]["files"] for s in spills))


def report(query: str, cases: list[SpillCase], limits: list[str], runs: int) -> list[dict]:
    """Prints one query's table (per limit as given, Sparrow then DuckDB) and returns its rows for the JSON."""
    rows = []
    for limit in limits:
        pair = sorted((c for c in cases if c.limit == limit), key=lambda c: c.tool != "sparrow")
        base = None
        for case in pair:
            row = case.summary() if case.samples and case.failure is None else {"tool": case.tool,
                                                                                 "measures": case.measures}
            row.update(case=case.key, limit=limit, failure=case.failure, wrong_result=case.wrong_result,
                       cannot_run=case.cannot_run)
            if case.tool == "sparrow":
                row["spill_runs"] = case.spills
                row["spill_median"] = {kind: dict(zip(("bytes", "files"), median_spill(case.spills, kind)))
                                       for kind in ("join", "aggregate", "exchange", "stages")} if case.spills else None
                if case.spills:
                    row["spill_median"]["shuffle_read_from_spill_bytes"] = statistics.median(
                        s["shuffle_read_from_spill_bytes"] for s in case.spills)
                if "median_s" in row:
                    base = row
            else:
                row["temp_directory_entries_left"] = case.duckdb_leftovers
            rows.append(row)
        for row in rows[-len(pair):]:
            measured = "median_s" in row and base is not None
            row["time_ratio"] = round(row["median_s"] / base["median_s"], 3) if measured else None
            row["cpu_ratio"] = round(row["median_cpu_s"] / base["median_cpu_s"], 3) if measured else None
            row["rss_ratio"] = round(row["peak_rss_mb"] / base["peak_rss_mb"], 3) if measured else None

    def ratio(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    def spill(row: dict, kind: str) -> str:
        figures = (row.get("spill_median") or {}).get(kind)
        if not figures or "median_s" not in row:
            return ""
        if kind == "join" and not row["spill_runs"][0]["has_join"]:
            return "-"
        return f"{mib(figures['bytes'])} ({figures['files']:g})" if figures["files"] else "0"

    header = ["limit", "tool", "median s", "min s", "max s", "duckdb/sparrow", "CPU s", "CPU ratio", "peak RSS MB",
              "RSS ratio", "join spill MiB (files)", "agg spill MiB (files)", "exchange spill MiB (files)",
              "stages spill MiB (files)", "note"]
    table = []
    for row in rows:
        if "median_s" not in row:
            why = failure_summary(row["failure"] or "no runs")
            if row["cannot_run"]:  # the exit status says nothing DuckDB's message does not
                why = "cannot run under this limit: " + re.sub(r"^exit \d+: ", "", why)
            else:
                why = "failed: " + why
            table.append([row["limit"], row["tool"]] + ["-"] * (len(header) - 3) + [why])
            continue
        note = ""
        left = [n for n in row.get("temp_directory_entries_left", []) if n]
        if left:
            note = f"left files in temp_directory after {len(left)} run(s)"
        table.append([row["limit"], row["tool"], f"{row['median_s']:.3f}", f"{row['min_s']:.3f}",
                      f"{row['max_s']:.3f}", "" if row["tool"] == "sparrow" else ratio(row["time_ratio"]),
                      f"{row['median_cpu_s']:.2f}", "" if row["tool"] == "sparrow" else ratio(row["cpu_ratio"]),
                      f"{row['peak_rss_mb']:.0f}", "" if row["tool"] == "sparrow" else ratio(row["rss_ratio"]),
                      spill(row, "join"), spill(row, "aggregate"), spill(row, "exchange"), spill(row, "stages"),
                      note])
    title = QUERIES[query][0]
    print_table(f"{query}: {title}, {runs} run{'s' if runs > 1 else ''}", header, table)
    return rows


def print_summary(results: dict[str, list[dict]], limits: list[str]) -> None:
    """Median seconds of Sparrow and DuckDB per query and limit (DuckDB / Sparrow in parentheses)."""
    table = []
    for query, rows in results.items():
        for limit in limits:
            line = [query if limit == limits[0] else "", limit]
            for tool in ("sparrow", "duckdb"):
                row = next((r for r in rows if r["limit"] == limit and r["tool"] == tool), None)
                if row is None:
                    line.append("-")
                elif "median_s" not in row:
                    line.append("cannot run" if row["cannot_run"] else "failed")
                elif tool == "duckdb" and row["time_ratio"] is not None:
                    line.append(f"{row['median_s']:.3f} ({row['time_ratio']:.2f})")
                else:
                    line.append(f"{row['median_s']:.3f}")
            table.append(line)
    print_table("Summary: median seconds (duckdb / sparrow at the same limit)", ["query", "limit", "sparrow", "duckdb"],
                table)


def head(text: str, lines: int = 8) -> str:
    """The first lines of an answer, and how many more there are."""
    all_lines = text.rstrip("\n").splitlines()
    more = len(all_lines) - lines
    return "\n".join(all_lines[:lines] + ([f"... ({more} more lines)"] if more > 0 else []))


def answer_record(reference: Reference) -> dict:
    """The reference answer for the JSON: whole if short, else its first rows, row count and SHA-256
    (groupby's answer is 99,996 rows, 5 MB)."""
    import hashlib

    record = {"tool": reference.tool, "rows": len(reference.rows or [])}
    if len(reference.text) <= 10_000:
        record["csv"] = reference.text
    else:
        record["csv_head"] = head(reference.text, 20)
        record["csv_sha256"] = hashlib.sha256(reference.text.encode()).hexdigest()
    return record


# --- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--limits", default=DEFAULT_LIMITS,
                        help=f"comma-separated memory limits, none = no limit (default {DEFAULT_LIMITS})")
    parser.add_argument("--query", choices=[*QUERIES, "all"], default="all", help="which query (default all)")
    parser.add_argument("--sparrow", default=os.path.join(REPO, ".build", "release", "sparrow"),
                        help="the sparrow binary (default .build/release/sparrow)")
    parser.add_argument("--duckdb", help="the DuckDB CLI binary (default: the one duckdb-cli bundles)")
    parser.add_argument("--data-dir", default=os.path.join(REPO, "bench-data"),
                        help="where the data is made and kept (default bench-data/)")
    parser.add_argument("--tmp-dir", help="where the runs' spill directories are made (default the system's)")
    parser.add_argument("--timeout", type=float, default=600,
                        help="seconds after which a run is killed and counted as failed (default 600)")
    parser.add_argument("--json", metavar="FILE", default=os.path.join(REPO, "tools", "bench", "results", "spill.json"),
                        help="write the results as JSON (default tools/bench/results/spill.json)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    limits = [l.strip().lower() for l in args.limits.split(",") if l.strip()]
    try:
        sizes = [limit_bytes(l) for l in limits]
    except ValueError as error:
        parser.error(str(error))
    if not limits or len(set(sizes)) != len(sizes):
        parser.error("--limits needs one or more different limits")
    if "none" not in limits:
        limits.append("none")  # DuckDB without a limit gives the reference answer
        print("limits: none added (DuckDB without a limit answers first, the reference)")
    try:
        duckdb = args.duckdb or duckdb_binary()
    except BenchError as error:
        parser.error(str(error))

    data_dir = os.path.abspath(args.data_dir)
    try:
        tpch = prepare_tpch(data_dir)
        paths = {"lineitem": tpch["lineitem"], "orders": tpch["orders"]}
        check_rows(paths)
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    sparrow: str | None = os.path.abspath(args.sparrow)
    if not os.access(sparrow, os.X_OK):
        print(f"sparrow: not available: no executable at {sparrow} (tools/build-release)")
        sparrow = None
    duckdb_version = subprocess.run([duckdb, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"duckdb: {duckdb} ({duckdb_version})")
    import pyarrow.parquet as pq

    results: dict = {
        "machine": machine(),
        "sparrow": {"path": os.path.abspath(args.sparrow), "available": sparrow is not None},
        "duckdb": {"path": duckdb, "version": duckdb_version, "settings": "SET threads=2; SET temp_directory=..."},
        "data": {table: {"path": path, "rows": pq.ParquetFile(path).metadata.num_rows,
                         "bytes": os.path.getsize(path)} for table, path in paths.items()},
        "limits": limits,
        "runs": args.runs,
        "warmup": args.warmup,
        "queries": {},
    }
    names = list(QUERIES) if args.query == "all" else [args.query]
    tmp_root = tempfile.mkdtemp(prefix="spillbench-", dir=args.tmp_dir)
    tables: dict[str, list[dict]] = {}
    sparrow_failed = False
    load_before, steal_before = load_and_steal()
    try:
        for query in names:
            cases = make_cases(query, paths, limits, sparrow, duckdb, tmp_root, args.timeout)
            measure(cases, args.runs, args.warmup, query)
            tables[query] = report(query, cases, limits, args.runs)
            reference = cases[0].reference
            if reference.tool is not None:
                print(f"answer ({reference.tool}, {len(reference.rows)} rows):\n{indent(head(reference.text))}")
            sparrow_failed |= any(c.failure is not None for c in cases if c.tool == "sparrow")
            results["queries"][query] = {
                "title": QUERIES[query][0], "sql": QUERIES[query][1], "sparrow_statements": QUERIES[query][3],
                "cases": tables[query], "answer": answer_record(reference)}
    except ResultMismatch as error:
        print(f"\nerror: the peers disagree: {error}", file=sys.stderr)
        return 1
    except BenchError as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    load_after, steal_after = load_and_steal()
    results["load"] = {"before": load_before, "after": load_after,
                       "steal_seconds": round(steal_after - steal_before, 2)}

    if tables:
        print_summary(tables, limits)
    print(f"\nmachine: load average {load_before} before, {load_after} after; "
          f"{steal_after - steal_before:.1f} s of CPU stolen by the hypervisor during the runs")
    if sparrow is not None:
        print("check: every answer against duckdb's, spark.local.dir empty after every sparrow run: "
              + ("FAILED (sparrow, see above)" if sparrow_failed else "ok"))
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
        out.write("\n")
    print(f"results: {os.path.relpath(args.json)}")
    return 1 if sparrow_failed else 0


if __name__ == "__main__":
    sys.exit(main())

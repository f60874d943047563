#!/usr/bin/env python3
"""Sparrow against pyarrow (and DuckDB, polars) reading and writing TPC-H SF1 lineitem with zstd.

    parquet_read_write.py [--runs N] [--sparrow PATH] [--data-dir DIR] [--json FILE]
                          [--bench read|write|all] [--warmup N]

Data (made once, kept in DATA_DIR, default bench-data/ at the repository root, git-ignored):
  tpch/lineitem.parquet   `tpchgen-cli parquet -s 1 --tables lineitem` (6,001,215 rows);
  lineitem.zstd.parquet   that table, string_view columns cast to string, written by pyarrow's
                          `pq.write_table(t, path, compression='zstd')` with every other default.
A step whose output exists is skipped.

Read benchmark (every case decodes all 16 columns of every row):
  sparrow               whole process `sparrow scan FILE --format null`;
  pyarrow (process)     whole process `python3 -c "...; pq.read_table(FILE)"`;
  pyarrow read_table    `pq.read_table(FILE)` timed inside a long-lived Python process;
  pyarrow iter_batches  `pq.ParquetFile(FILE).iter_batches()` (64Ki-row batches, dropped as they
                        come, as Sparrow's scan does), in the same process: the streaming peer for
                        peak memory, where read_table holds the whole table;
  polars read_parquet   `pl.read_parquet(FILE)` timed inside a long-lived Python process;
  duckdb (process)      whole process `duckdb -c "SELECT max(c1), ..., max(c16) FROM read_parquet(FILE)"`:
                        a plain count(*) or SELECT * under an aggregate would be answered by
                        projection pushdown without decoding; max over every column forces every
                        value to be decoded, but DuckDB streams and never holds the table.

Write benchmark (lineitem.zstd.parquet to a zstd file; the output is deleted before each run):
  sparrow convert       whole process `sparrow convert FILE OUT --compression zstd --overwrite --quiet`
                        (reads and writes);
  pyarrow (process)     whole process: read_table + write_table(compression='zstd');
  pyarrow read+write    the same, timed inside a long-lived Python process;
  pyarrow write_table   write_table only, in process, of a table read once beforehand;
  polars read+write     pl.read_parquet + write_parquet(compression='zstd'), in process;
  duckdb COPY (process) whole process `COPY (SELECT * FROM read_parquet(FILE)) TO OUT
                        (FORMAT parquet, COMPRESSION zstd)`.
Each peer keeps its own defaults (codec level, row group and page sizes); output sizes are reported.

Runs: one untimed warm-up round (page cache, lazy initialisation), then --runs rounds; each round runs
every case once, in an order rotated by one per round to spread the machine's noise.

Timing and memory: whole-process cases are timed from spawn to exit in this process, and their peak RSS
is the child's peak RSS as GNU time (/usr/bin/time) reports it. In-process cases run in long-lived worker processes (one for
pyarrow, one for polars, and one for pyarrow's write-only case, which holds its table between runs)
that reset their RSS high-water mark (/proc/self/clear_refs, 5) before each run and read VmHWM after
it: the peak is that run's, on top of the interpreter and the library already loaded.

Ratios are peer median / Sparrow median: above 1 means Sparrow is faster. Wall time is the
target; CPU time (user + system, all threads; median) is printed beside it because it is much less
disturbed by other work on a shared machine, and shows how much of the wall time used both cores.

Checks: every `sparrow scan` prints 6001215 rows; the file written by `sparrow convert` reads in
pyarrow with the same row count, the same sums for numeric and date columns and the same total string
lengths as the source. Exits 1 if a check or a command fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROWS = 6_001_215
SOURCE = "lineitem.zstd.parquet"

# The in-process worker: reads one JSON command per line on stdin, answers one JSON line on stdout.
# It imports only the library it is started for, so that library's memory is all that it holds.
WORKER = r"""
import gc, json, re, resource, sys, time

library = sys.argv[1]
if library == "pyarrow":
    import pyarrow as pa
    import pyarrow.parquet as pq
else:
    import polars as pl

def high_water_kb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))

def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

def reset_high_water():
    gc.collect()
    if library == "pyarrow":
        pa.default_memory_pool().release_unused()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")

held = None  # the table write_table writes, read once, outside the timing

for line in sys.stdin:
    command = json.loads(line)
    op = command["op"]
    if op == "pyarrow_write" and held is None:
        held = pq.read_table(command["src"])
    reset_high_water()
    start, start_cpu = time.perf_counter(), cpu_seconds()
    if op == "pyarrow_read":
        rows = pq.read_table(command["src"]).num_rows
    elif op == "pyarrow_iter_batches":
        rows = sum(batch.num_rows for batch in pq.ParquetFile(command["src"]).iter_batches())
    elif op == "pyarrow_read_write":
        table = pq.read_table(command["src"])
        pq.write_table(table, command["dst"], compression="zstd")
        rows = table.num_rows
        del table
    elif op == "pyarrow_write":
        pq.write_table(held, command["dst"], compression="zstd")
        rows = held.num_rows
    elif op == "polars_read":
        rows = pl.read_parquet(command["src"]).height
    elif op == "polars_read_write":
        frame = pl.read_parquet(command["src"])
        frame.write_parquet(command["dst"], compression="zstd")
        rows = frame.height
        del frame
    else:
        raise SystemExit(f"unknown op {op}")
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": high_water_kb(), "rows": rows}), flush=True)
"""


class BenchError(Exception):
    pass


@dataclass
class Sample:
    seconds: float
    """User + system CPU time of every thread."""
    cpu_seconds: float
    peak_kb: int


@dataclass
class Case:
    """One tool measured one way; `run` times a single execution."""

    tool: str
    measures: str
    run: Callable[[], Sample]
    output: str | None = None
    samples: list[Sample] = field(default_factory=list)
    output_bytes: int | None = None

    def summary(self) -> dict:
        seconds = [s.seconds for s in self.samples]
        cpu = [s.cpu_seconds for s in self.samples]
        return {
            "tool": self.tool,
            "measures": self.measures,
            "seconds": [round(s, 4) for s in seconds],
            "median_s": round(statistics.median(seconds), 4),
            "min_s": round(min(seconds), 4),
            "max_s": round(max(seconds), 4),
            "cpu_seconds": [round(c, 4) for c in cpu],
            "median_cpu_s": round(statistics.median(cpu), 4),
            "peak_rss_mb": round(max(s.peak_kb for s in self.samples) / 1024, 1),
            "output_bytes": self.output_bytes,
        }


# --- running things


def run_process(argv: list[str], check_stdout: Callable[[str], None] | None = None,
                timeout: float | None = None) -> Sample:
    """Runs argv to completion: wall time from spawn to exit, CPU time (wait4), and the child's own
    peak RSS as GNU time reports it. (wait4's ru_maxrss would also count the pages the child shared
    with this harness between fork and exec, which after data preparation are over a gigabyte.)
    With `timeout`, a run still going after that many seconds is killed (its whole process group,
    which it leads) and reported as a failure."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as peak:
        start = time.perf_counter()
        child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", peak.name, *argv],
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 start_new_session=timeout is not None)
        timer = None
        if timeout is not None:
            timer = threading.Timer(timeout, kill_group, (child.pid,))
            timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        if timer is not None:
            timer.cancel()
            if seconds >= timeout:
                raise BenchError(f"{' '.join(argv)}\n  killed after {timeout:g} s")
        peak_kib = int(peak.read().strip().splitlines()[-1])
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    if child.returncode != 0:
        raise BenchError(f"{' '.join(argv)}\n  exit status {child.returncode}\n  {stderr.strip()[:2000]}")
    if check_stdout:
        check_stdout(stdout)
    return Sample(seconds, usage.ru_utime + usage.ru_stime, peak_kib)  # KiB


class Worker:
    """A long-lived Python process that times operations of one library (see WORKER)."""

    def __init__(self, library: str):
        self.library = library
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, library],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )

    def run(self, **command) -> Sample:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise BenchError(f"the {self.library} worker died running {command}")
        answer = json.loads(line)
        if answer["rows"] != ROWS:
            raise BenchError(f"{self.library} {command['op']} saw {answer['rows']} rows, expected {ROWS}")
        return Sample(answer["seconds"], answer["cpu"], answer["peak_kb"])

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended as the timer fired
        pass


def remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


# --- data


def generate_lineitem(data_dir: str) -> str:
    """Makes DATA_DIR/tpch/lineitem.parquet with tpchgen-cli unless it exists; returns its path."""
    os.makedirs(data_dir, exist_ok=True)
    generated = os.path.join(data_dir, "tpch", "lineitem.parquet")
    if not os.path.exists(generated):
        partial = os.path.join(data_dir, "tpch.partial")
        shutil.rmtree(partial, ignore_errors=True)
        print(f"prepare: tpchgen-cli parquet -s 1 --tables lineitem -> {generated}", flush=True)
        subprocess.run(
            ["tpchgen-cli", "parquet", "-s", "1", "--tables", "lineitem", "--output-dir", partial, "--quiet"],
            check=True,
        )
        shutil.rmtree(os.path.join(data_dir, "tpch"), ignore_errors=True)
        os.rename(partial, os.path.join(data_dir, "tpch"))
    return generated


def write_lineitem(data_dir: str, name: str, **write_options) -> str:
    """Makes DATA_DIR/NAME unless it exists: tpchgen-cli's lineitem, string_view columns cast to string,
    written by `pq.write_table(table, path, **write_options)`. Returns its path."""
    generated = generate_lineitem(data_dir)
    path = os.path.join(data_dir, name)
    if not os.path.exists(path):
        options = ", ".join(f"{key}={value!r}" for key, value in write_options.items())
        print(f"prepare: pyarrow write_table({options}) -> {path}", flush=True)
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pq.read_table(generated)
        plain = pa.schema(
            [f.with_type(pa.string()) if pa.types.is_string_view(f.type) else f for f in table.schema],
            metadata=table.schema.metadata,
        )
        table = table.cast(plain)
        pq.write_table(table, path + ".partial", **write_options)
        os.rename(path + ".partial", path)
        del table
    return path


def prepare(data_dir: str) -> str:
    """Makes DATA_DIR/lineitem.zstd.parquet (see the module doc) unless it exists; returns its path."""
    return write_lineitem(data_dir, SOURCE, compression="zstd")


def column_names(path: str) -> list[str]:
    import pyarrow.parquet as pq

    return pq.read_schema(path).names


# --- checks


def expect_rows(stdout: str) -> None:
    """`sparrow scan --format null` prints `N rows`."""
    if stdout.strip() != f"{ROWS} rows":
        raise BenchError(f"sparrow scan printed {stdout.strip()!r}, expected '{ROWS} rows'")


def fingerprint(path: str) -> dict[str, object]:
    """Per column: the sum of the values (numbers, decimals, dates as days) or of the string lengths."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    result: dict[str, object] = {"rows": file.metadata.num_rows}
    for name in file.schema_arrow.names:
        column = file.read(columns=[name]).column(0)
        kind = column.type
        if pa.types.is_date32(kind):
            column = column.cast(pa.int32())
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            column = pc.utf8_length(column.cast(pa.string()))
        result[name] = pc.sum(column).as_py()
    return result


def check_convert(source: str, converted: str) -> list[str]:
    """Differences between the fingerprints of the source and of Sparrow's output (empty if none)."""
    expected, actual = fingerprint(source), fingerprint(converted)
    return [
        f"{key}: source {expected[key]!r}, sparrow output {actual.get(key)!r}"
        for key in expected if actual.get(key) != expected[key]
    ]


# --- the benchmark


def measure(cases: list[Case], runs: int, warmup: int, label: str) -> None:
    """Warm-up rounds, then `runs` rounds of every case, rotating the order by one each round."""
    total = warmup + runs
    for round_index in range(total):
        shift = round_index % len(cases)
        for case in cases[shift:] + cases[:shift]:
            if case.output:
                remove(case.output)
            sample = case.run()
            if round_index >= warmup:
                case.samples.append(sample)
            if case.output:
                case.output_bytes = os.path.getsize(case.output)
        kind = "warm-up" if round_index < warmup else f"run {round_index - warmup + 1}/{runs}"
        print(f"{label}: {kind} done", file=sys.stderr, flush=True)


def read_cases(sparrow: str, source: str, names: list[str], workers: dict[str, Worker]) -> list[Case]:
    maxima = ", ".join(f'max("{n}")' for n in names)
    duckdb_query = f"SELECT {maxima} FROM read_parquet('{source}')"
    pyarrow_script = "import sys, pyarrow.parquet as pq; pq.read_table(sys.argv[1])"
    return [
        Case("sparrow", "scan --format null (process)",
             lambda: run_process([sparrow, "scan", source, "--format", "null"], expect_rows)),
        Case("pyarrow", "read_table (in process)",
             lambda: workers["pyarrow"].run(op="pyarrow_read", src=source)),
        Case("pyarrow", "iter_batches (in process)",
             lambda: workers["pyarrow"].run(op="pyarrow_iter_batches", src=source)),
        Case("pyarrow", "read_table (process)",
             lambda: run_process([sys.executable, "-c", pyarrow_script, source])),
        Case("polars", "read_parquet (in process)",
             lambda: workers["polars"].run(op="polars_read", src=source)),
        Case("duckdb", "max() of every column (process)",
             lambda: run_process(["duckdb", "-c", duckdb_query])),
    ]


def write_cases(sparrow: str, source: str, out_dir: str, workers: dict[str, Worker]) -> list[Case]:
    def out(name: str) -> str:
        return os.path.join(out_dir, name)

    pyarrow_script = (
        "import sys, pyarrow.parquet as pq; "
        "pq.write_table(pq.read_table(sys.argv[1]), sys.argv[2], compression='zstd')"
    )
    duckdb_copy = (
        f"COPY (SELECT * FROM read_parquet('{source}')) TO '{out('duckdb.parquet')}' "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    return [
        Case("sparrow", "convert --compression zstd (process)",
             lambda: run_process([sparrow, "convert", source, out("sparrow.parquet"),
                                  "--compression", "zstd", "--overwrite", "--quiet"]),
             out("sparrow.parquet")),
        Case("pyarrow", "read_table + write_table (process)",
             lambda: run_process([sys.executable, "-c", pyarrow_script, source, out("pyarrow.parquet")]),
             out("pyarrow.parquet")),
        Case("pyarrow", "read_table + write_table (in process)",
             lambda: workers["pyarrow"].run(op="pyarrow_read_write", src=source,
                                            dst=out("pyarrow-inproc.parquet")),
             out("pyarrow-inproc.parquet")),
        Case("pyarrow", "write_table only (in process)",
             lambda: workers["pyarrow-held"].run(op="pyarrow_write", src=source, dst=out("pyarrow-write.parquet")),
             out("pyarrow-write.parquet")),
        Case("polars", "read_parquet + write_parquet (in process)",
             lambda: workers["polars"].run(op="polars_read_write", src=source, dst=out("polars.parquet")),
             out("polars.parquet")),
        Case("duckdb", "COPY ... (FORMAT parquet, COMPRESSION zstd) (process)",
             lambda: run_process(["duckdb", "-c", duckdb_copy]),
             out("duckdb.parquet")),
    ]


def report(title: str, cases: list[Case]) -> list[dict]:
    """Prints the table of one benchmark and returns its rows for the JSON file."""
    rows = [case.summary() for case in cases]
    base = rows[0]
    with_size = any(r["output_bytes"] is not None for r in rows)
    for r in rows:
        r["time_ratio"] = round(r["median_s"] / base["median_s"], 3)
        r["cpu_ratio"] = round(r["median_cpu_s"] / base["median_cpu_s"], 3)
        r["rss_ratio"] = round(r["peak_rss_mb"] / base["peak_rss_mb"], 3)
        if with_size:
            r["size_ratio"] = round(r["output_bytes"] / base["output_bytes"], 4)
    header = ["tool", "measures", "median s", "min s", "max s", "time/sparrow", "CPU s", "CPU/sparrow",
              "peak RSS MB"]
    if with_size:
        header += ["output MB", "size/sparrow"]
    table = []
    for r in rows:
        line = [r["tool"], r["measures"], f"{r['median_s']:.3f}", f"{r['min_s']:.3f}", f"{r['max_s']:.3f}",
                f"{r['time_ratio']:.2f}", f"{r['median_cpu_s']:.2f}", f"{r['cpu_ratio']:.2f}",
                f"{r['peak_rss_mb']:.0f}"]
        if with_size:
            line += [f"{r['output_bytes'] / 1e6:.1f}", f"{r['size_ratio']:.3f}"]
        table.append(line)
    widths = [max(len(str(x)) for x in column) for column in zip(header, *table)]
    numeric = [False, False] + [True] * (len(header) - 2)

    def render(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric)).rstrip()

    print(f"\n{title}")
    print(render(header))
    print(render(["-" * w for w in widths]))
    for line in table:
        print(render(line))
    return rows


def verdicts(read_rows: list[dict] | None, write_rows: list[dict] | None) -> list[str]:
    """The issue's targets, stated against the numbers just measured."""
    lines = []

    def find(rows: list[dict], tool: str, measures: str) -> dict:
        return next(r for r in rows if r["tool"] == tool and r["measures"] == measures)

    if read_rows:
        sparrow, peer = read_rows[0], find(read_rows, "pyarrow", "read_table (in process)")
        whole = find(read_rows, "pyarrow", "read_table (process)")
        lines.append(f"read:  pyarrow read_table in process / sparrow = {peer['time_ratio']:.2f} "
                     f"(whole process {whole['time_ratio']:.2f}; target >= 1; CPU {peer['cpu_ratio']:.2f}); "
                     f"peak RSS sparrow "
                     f"{sparrow['peak_rss_mb']:.0f} MB, pyarrow {whole['peak_rss_mb']:.0f} MB (process)")
    if write_rows:
        sparrow = write_rows[0]
        whole = find(write_rows, "pyarrow", "read_table + write_table (process)")
        inproc = find(write_rows, "pyarrow", "read_table + write_table (in process)")
        size = sparrow["output_bytes"] / whole["output_bytes"]
        lines.append(f"write: pyarrow read+write / sparrow convert = {whole['time_ratio']:.2f} (process), "
                     f"{inproc['time_ratio']:.2f} (in process); target >= 1; CPU {whole['cpu_ratio']:.2f} "
                     f"(process); peak RSS sparrow "
                     f"{sparrow['peak_rss_mb']:.0f} MB, pyarrow {whole['peak_rss_mb']:.0f} MB (process)")
        lines.append(f"size:  sparrow output / pyarrow output = {size:.3f} "
                     f"({sparrow['output_bytes']:,} / {whole['output_bytes']:,} bytes; target <= 1.10)")
    return lines


def machine() -> dict:
    info = {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read())
            if found:
                info["cpu"] = found.group(1).strip()
    except OSError:
        pass
    versions = {}
    for module in ("pyarrow", "polars"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = None
    try:
        versions["duckdb-cli"] = subprocess.run(["duckdb", "--version"], capture_output=True,
                                                text=True).stdout.strip()
    except OSError:
        versions["duckdb-cli"] = None
    info["versions"] = versions
    return info


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--sparrow", default=os.path.join(REPO, ".build", "release", "sparrow"),
                        help="the sparrow binary (default .build/release/sparrow)")
    parser.add_argument("--data-dir", default=os.path.join(REPO, "bench-data"),
                        help="where the data is made and kept (default bench-data/)")
    parser.add_argument("--bench", choices=["read", "write", "all"], default="all")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not os.access(args.sparrow, os.X_OK):
        parser.error(f"no sparrow binary at {args.sparrow}: tools/build-release")
    for tool in ("tpchgen-cli", "duckdb"):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is not on PATH (tools/setup installs it)")

    source = prepare(os.path.abspath(args.data_dir))
    out_dir = os.path.join(os.path.abspath(args.data_dir), "out")
    os.makedirs(out_dir, exist_ok=True)
    names = column_names(source)
    # write_table's worker holds its table between runs: its own process, so no other run counts it.
    workers = {"pyarrow": Worker("pyarrow"), "pyarrow-held": Worker("pyarrow"), "polars": Worker("polars")}
    results: dict = {
        "machine": machine(),
        "sparrow": os.path.abspath(args.sparrow),
        "data": {"path": source, "rows": ROWS, "bytes": os.path.getsize(source)},
        "runs": args.runs,
        "warmup": args.warmup,
    }
    read_rows = write_rows = None
    failures: list[str] = []
    try:
        if args.bench in ("read", "all"):
            cases = read_cases(args.sparrow, source, names, workers)
            measure(cases, args.runs, args.warmup, "read")
            read_rows = report(f"Read lineitem SF1 ({ROWS:,} rows, zstd, all columns), {args.runs} runs", cases)
        if args.bench in ("write", "all"):
            cases = write_cases(args.sparrow, source, out_dir, workers)
            measure(cases, args.runs, args.warmup, "write")
            write_rows = report(f"Write lineitem SF1 with zstd, {args.runs} runs", cases)
            failures = check_convert(source, cases[0].output or "")
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        for worker in workers.values():
            worker.close()

    print()
    for line in verdicts(read_rows, write_rows):
        print(line)
    if write_rows is not None:
        print("check: sparrow convert output matches the source (rows, numeric sums, string lengths): "
              + ("ok" if not failures else "FAILED"))
        for failure in failures:
            print(f"  {failure}")
    results["read"] = read_rows
    results["write"] = write_rows
    results["checks"] = {"scan_rows": read_rows is not None, "convert_mismatches": failures}
    results["verdicts"] = verdicts(read_rows, write_rows)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)
            out.write("\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Sparrow against polars, DuckDB and pyarrow converting TPC-H SF1 lineitem from CSV to zstd Parquet.

    csv_to_parquet.py [--runs N] [--warmup N] [--sparrow PATH] [--data-dir DIR] [--json FILE]
                      [--cases NAME,...]
    csv_to_parquet.py --big [GIB] [--big-peers] [--clean-big] [--sparrow PATH] [--data-dir DIR] [--json FILE]
    csv_to_parquet.py --clean-big [--data-dir DIR]

Data (made once, kept in DATA_DIR, default bench-data/ at the repository root, git-ignored):
  csv/lineitem.csv        `tpchgen-cli csv -s 1 --tables lineitem` (6,001,215 rows, 16 columns, 766 MB);
  csv/lineitem_probe.csv  its first 1,000 rows, to find out whether Sparrow converts CSV at all;
  csv/big/lineitem_<GIB>gib.csv (only with --big) `tpchgen-cli csv -s SF --tables lineitem`, SF chosen
                          for about GIB GiB: real rows streamed by the generator, no repeated block.
A step whose output exists is skipped.

Cases (each a whole process, spawn to exit, the output deleted before each run; names for --cases):
  sparrow         `sparrow convert IN OUT --compression zstd --overwrite --quiet`;
  polars          `pl.scan_csv(IN).sink_parquet(OUT, compression='zstd')`: streaming, but dates stay
                  strings (polars does not parse them by default);
  polars-dates    the same with `scan_csv(IN, try_parse_dates=True)`: dates as date32, like the others;
  duckdb          `duckdb -c "COPY (SELECT * FROM read_csv('IN')) TO 'OUT' (FORMAT parquet, COMPRESSION zstd)"`;
  pyarrow-stream  `pyarrow.csv.open_csv(IN)` batches into `pq.ParquetWriter(OUT, compression='zstd')`,
                  gathered into row groups of 1Mi rows (write_table's default; writing each ~1 MB batch
                  as its own row group would make the file 20% larger): bounded memory;
  pyarrow-table   `pq.write_table(pyarrow.csv.read_csv(IN), OUT, compression='zstd')`: the whole table in
                  memory, multi-threaded parsing.
Each tool keeps its own defaults (type inference, zstd level, row group and page sizes).

Runs: the runner of parquet_read_write.py (imported from it): one untimed warm-up round, then --runs
rounds; each round runs every case once, in an order rotated by one per round. Wall time spawn to exit,
CPU time (user + system, all threads) from wait4, peak RSS of the child as GNU time reports it.
Ratios are peer median / Sparrow median: above 1 means Sparrow is faster. Output sizes are compared
with DuckDB's. The Arrow schema of every output is printed and saved.

Sparrow is probed first on csv/lineitem_probe.csv: if the binary is missing or fails on CSV input, the
harness prints `sparrow: not available: <error>` and measures the peers alone (exit status 0).

Checks: every output holds 6,001,215 rows; Sparrow's output has, column by column, the same kind of type
as DuckDB's (integer, floating point, date32, string), the three date columns as date32, and the same
null counts, sums (integers exactly; doubles by an exactly rounded sum, math.fsum), sums of dates as
days and total string lengths as DuckDB's output. Exits 1 if a check or a command fails.

Big mode (--big GIB, default 3): makes csv/big/lineitem_<GIB>gib.csv if missing (refusing when the disk is short),
then runs Sparrow alone (and, with --big-peers, polars, DuckDB and pyarrow-stream) once each under
`/usr/bin/time -v`, and reports wall time, CPU time and maximum RSS: Sparrow's memory must stay bounded
by a few row groups (target < 300 MB) whatever the input size. Its output's row count is checked
against the CSV's and the output is deleted. --clean-big deletes csv/big/ (after the run, with --big).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parquet_read_write import BenchError, Case, machine, measure, remove, run_process  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROWS = 6_001_215
SF1_CSV_BYTES = 765_864_690  # csv/lineitem.csv as tpchgen-cli 4.0 writes it; scales --big's factor
PROBE_ROWS = 1_000
DATE_COLUMNS = ("l_shipdate", "l_commitdate", "l_receiptdate")

# Targets from the issue.
TARGET_RSS_MB = 300
TARGET_SIZE_RATIO = 1.10

POLARS_SCRIPT = (
    "import sys, polars as pl; "
    "pl.scan_csv(sys.argv[1]).sink_parquet(sys.argv[2], compression='zstd')"
)
POLARS_DATES_SCRIPT = (
    "import sys, polars as pl; "
    "pl.scan_csv(sys.argv[1], try_parse_dates=True).sink_parquet(sys.argv[2], compression='zstd')"
)
PYARROW_TABLE_SCRIPT = (
    "import sys, pyarrow.csv as csv, pyarrow.parquet as pq; "
    "pq.write_table(csv.read_csv(sys.argv[1]), sys.argv[2], compression='zstd')"
)
# ParquetWriter.write_table closes a row group at the end of every call, so batches are gathered into
# row groups of write_table's default size; what is held is about one row group.
PYARROW_STREAM_SCRIPT = r"""
import sys, pyarrow as pa, pyarrow.csv as csv, pyarrow.parquet as pq
ROW_GROUP = 1024 * 1024
reader = csv.open_csv(sys.argv[1])
pending, rows = [], 0
with pq.ParquetWriter(sys.argv[2], reader.schema, compression="zstd") as writer:
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= ROW_GROUP:
            table = pa.Table.from_batches(pending, reader.schema)
            writer.write_table(table.slice(0, ROW_GROUP))
            rest = table.slice(ROW_GROUP)
            pending, rows = rest.to_batches(), rest.num_rows
            del table, rest
    if rows:
        writer.write_table(pa.Table.from_batches(pending, reader.schema))
"""

CASE_NAMES = ("sparrow", "polars", "polars-dates", "duckdb", "pyarrow-stream", "pyarrow-table")
BIG_PEERS = ("polars", "duckdb", "pyarrow-stream")


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def command(name: str, sparrow: str, source: str, output: str) -> tuple[str, list[str]]:
    """What case `name` measures, and its command line."""
    if name == "sparrow":
        return ("convert --compression zstd (process)",
                [sparrow, "convert", source, output, "--compression", "zstd", "--overwrite", "--quiet"])
    if name == "polars":
        return "scan_csv + sink_parquet (process)", [sys.executable, "-c", POLARS_SCRIPT, source, output]
    if name == "polars-dates":
        return ("scan_csv(try_parse_dates) + sink_parquet (process)",
                [sys.executable, "-c", POLARS_DATES_SCRIPT, source, output])
    if name == "duckdb":
        copy = (f"COPY (SELECT * FROM read_csv({sql_string(source)})) TO {sql_string(output)} "
                "(FORMAT parquet, COMPRESSION zstd)")
        return "COPY read_csv ... (FORMAT parquet, COMPRESSION zstd) (process)", ["duckdb", "-c", copy]
    if name == "pyarrow-stream":
        return ("open_csv + ParquetWriter, 1Mi-row groups (process)",
                [sys.executable, "-c", PYARROW_STREAM_SCRIPT, source, output])
    if name == "pyarrow-table":
        return "read_csv + write_table (process)", [sys.executable, "-c", PYARROW_TABLE_SCRIPT, source, output]
    raise ValueError(name)


def tool_of(name: str) -> str:
    return name.split("-")[0]


# --- data


def prepare(data_dir: str) -> tuple[str, str]:
    """Makes csv/lineitem.csv and csv/lineitem_probe.csv (see the module doc) unless they exist."""
    csv_dir = os.path.join(data_dir, "csv")
    os.makedirs(csv_dir, exist_ok=True)
    source = os.path.join(csv_dir, "lineitem.csv")
    if not os.path.exists(source):
        partial = os.path.join(data_dir, "csv.partial")
        shutil.rmtree(partial, ignore_errors=True)
        print(f"prepare: tpchgen-cli csv -s 1 --tables lineitem -> {source}", flush=True)
        subprocess.run(["tpchgen-cli", "csv", "-s", "1", "--tables", "lineitem", "--output-dir", partial,
                        "--quiet"], check=True)
        os.rename(os.path.join(partial, "lineitem.csv"), source)
        shutil.rmtree(partial, ignore_errors=True)
    probe = os.path.join(csv_dir, "lineitem_probe.csv")
    if not os.path.exists(probe):
        with open(source, "rb") as full, open(probe + ".partial", "wb") as out:
            for _ in range(PROBE_ROWS + 1):
                out.write(full.readline())
        os.rename(probe + ".partial", probe)
    return source, probe


def big_path(data_dir: str, gib: float) -> str:
    return os.path.join(data_dir, "csv", "big", f"lineitem_{gib:g}gib.csv")


def count_lines(path: str) -> int:
    lines = 0
    with open(path, "rb") as file:
        while chunk := file.read(16 << 20):
            lines += chunk.count(b"\n")
    return lines


def prepare_big(data_dir: str, gib: float) -> tuple[str, int]:
    """Makes csv/big/lineitem_<GIB>gib.csv unless it exists; returns its path and row count (kept beside
    it in a .rows file; TPC-H comments hold no newlines, so rows are lines minus the header)."""
    path = big_path(data_dir, gib)
    rows_path = path + ".rows"
    if os.path.exists(path) and os.path.exists(rows_path):
        with open(rows_path) as rows_file:
            return path, int(rows_file.read())
    big_dir = os.path.dirname(path)
    os.makedirs(big_dir, exist_ok=True)
    # The CSV, then Parquet outputs of about a fifth of it, and room to spare.
    needed = int(gib * 2**30 * 1.3) + 2 * 2**30
    free = shutil.disk_usage(big_dir).free
    if free < needed:
        raise BenchError(f"{big_dir}: {free / 2**30:.1f} GiB free, {needed / 2**30:.1f} GiB needed "
                         f"for a {gib:g} GiB CSV and its outputs")
    scale = round(gib * 2**30 / SF1_CSV_BYTES, 2)
    partial = path + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    print(f"prepare: tpchgen-cli csv -s {scale} --tables lineitem -> {path}", flush=True)
    subprocess.run(["tpchgen-cli", "csv", "-s", str(scale), "--tables", "lineitem", "--output-dir", partial,
                    "--quiet"], check=True)
    os.rename(os.path.join(partial, "lineitem.csv"), path)
    shutil.rmtree(partial, ignore_errors=True)
    rows = count_lines(path) - 1
    with open(rows_path, "w") as rows_file:
        rows_file.write(f"{rows}\n")
    return path, rows


def clean_big(data_dir: str) -> None:
    big_dir = os.path.join(data_dir, "csv", "big")
    if os.path.isdir(big_dir):
        shutil.rmtree(big_dir)
        print(f"clean: removed {big_dir}")
    out_dir = os.path.join(data_dir, "out")
    if os.path.isdir(out_dir):
        for name in os.listdir(out_dir):
            if name.startswith("csv-big-"):
                remove(os.path.join(out_dir, name))


# --- Sparrow's availability


def probe_sparrow(sparrow: str, probe: str, out_dir: str) -> str | None:
    """Converts the probe CSV; returns why Sparrow cannot convert CSV, or None if it can."""
    if not os.access(sparrow, os.X_OK):
        return f"no executable at {sparrow} (tools/build-release)"
    output = os.path.join(out_dir, "csv-probe-sparrow.parquet")
    remove(output)
    try:
        done = subprocess.run([sparrow, "convert", probe, output, "--compression", "zstd", "--overwrite",
                               "--quiet"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120)
    except subprocess.TimeoutExpired:
        return "convert of a 1,000-row CSV did not finish in 120 s"
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        return f"exit status {done.returncode}: {message[0] if message else '(no message)'}"
    try:
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(output).metadata.num_rows
    except Exception as error:  # noqa: BLE001 - any failure to read the output means "not usable"
        return f"its output of the probe CSV does not read in pyarrow: {error}"
    finally:
        remove(output)
    if rows != PROBE_ROWS:
        return f"its output of the {PROBE_ROWS}-row probe CSV holds {rows} rows"
    return None


# --- outputs: schemas and checks


def describe(path: str) -> dict:
    """Row count, row groups, writer and Arrow schema (name -> type) of a Parquet file."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    return {
        "rows": file.metadata.num_rows,
        "row_groups": file.metadata.num_row_groups,
        "created_by": file.metadata.created_by,
        "schema": {f.name: str(f.type) for f in file.schema_arrow},
    }


def kind(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "floating"
    if pa.types.is_date32(arrow_type):
        return "date32"
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) \
            or pa.types.is_string_view(arrow_type):
        return "string"
    return str(arrow_type)


def fingerprint(path: str) -> dict[str, dict]:
    """Per column: kind of type, null count, and the sum of the values (integers exactly, doubles
    exactly rounded, dates as days) or of the string lengths."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    result = {}
    for name in file.schema_arrow.names:
        column = file.read(columns=[name]).column(0)
        column_kind = kind(column.type)
        if column_kind == "floating":
            total = math.fsum(column.drop_null().to_numpy())
        elif column_kind == "date32":
            total = pc.sum(column.cast(pa.int32()).cast(pa.int64())).as_py()
        elif column_kind == "string":
            total = pc.sum(pc.utf8_length(column)).as_py()
        elif column_kind == "integer":
            total = pc.sum(column.cast(pa.int64())).as_py()
        else:
            total = None
        result[name] = {"kind": column_kind, "nulls": column.null_count, "sum": total}
        del column
    return result


def check_sparrow(sparrow_output: str, duckdb_output: str) -> list[str]:
    """Differences between Sparrow's output and DuckDB's (empty if none); see the module doc."""
    problems = []
    sparrow_info = describe(sparrow_output)
    if sparrow_info["rows"] != ROWS:
        problems.append(f"sparrow output holds {sparrow_info['rows']} rows, expected {ROWS}")
    for name in DATE_COLUMNS:
        found = sparrow_info["schema"].get(name)
        if found != "date32[day]":
            problems.append(f"{name}: sparrow type {found}, expected date32")
    expected, actual = fingerprint(duckdb_output), fingerprint(sparrow_output)
    if list(expected) != list(actual):
        problems.append(f"columns: duckdb {list(expected)}, sparrow {list(actual)}")
    for name, want in expected.items():
        got = actual.get(name)
        if got is None:
            continue
        for key in ("kind", "nulls", "sum"):
            if got[key] != want[key]:
                problems.append(f"{name}: {key} duckdb {want[key]!r}, sparrow {got[key]!r}")
    return problems


# --- reporting


def report(title: str, cases: list[Case], names: list[str]) -> list[dict]:
    """Prints the table and returns its rows for the JSON file. Ratios are to Sparrow's row (when it
    ran), sizes to DuckDB's."""
    rows = []
    for name, case in zip(names, cases):
        row = case.summary()
        row["case"] = name
        rows.append(row)
    base = next((r for r in rows if r["case"] == "sparrow"), None)
    duckdb = next((r for r in rows if r["case"] == "duckdb"), None)
    for r in rows:
        r["time_ratio"] = round(r["median_s"] / base["median_s"], 3) if base else None
        r["cpu_ratio"] = round(r["median_cpu_s"] / base["median_cpu_s"], 3) if base else None
        r["size_ratio_duckdb"] = round(r["output_bytes"] / duckdb["output_bytes"], 4) if duckdb else None

    def ratio(value: float | None, digits: int = 2) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    header = ["tool", "measures", "median s", "min s", "max s", "peer/sparrow", "CPU s", "CPU/sparrow",
              "peak RSS MB", "output MB", "size/duckdb"]
    table = [[r["tool"], r["measures"], f"{r['median_s']:.3f}", f"{r['min_s']:.3f}", f"{r['max_s']:.3f}",
              ratio(r["time_ratio"]), f"{r['median_cpu_s']:.2f}", ratio(r["cpu_ratio"]),
              f"{r['peak_rss_mb']:.0f}", f"{r['output_bytes'] / 1e6:.1f}", ratio(r["size_ratio_duckdb"], 3)]
             for r in rows]
    print_table(title, header, table)
    return rows


def print_table(title: str, header: list[str], table: list[list[str]], text_columns: int = 2) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *table)]
    numeric = [False] * text_columns + [True] * (len(header) - text_columns)

    def render(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric)).rstrip()

    print(f"\n{title}")
    print(render(header))
    print(render(["-" * w for w in widths]))
    for line in table:
        print(render(line))


def print_schemas(outputs: dict[str, dict]) -> None:
    """One line per column, one column per case: the Arrow type each tool wrote."""
    names = list(outputs)
    columns = list(next(iter(outputs.values()))["schema"])
    table = [[column] + [outputs[n]["schema"].get(column, "(missing)") for n in names] for column in columns]
    table.append(["(row groups)"] + [str(outputs[n]["row_groups"]) for n in names])
    print_table("Output schemas (Arrow types as pyarrow reads them)", ["column"] + names, table,
                text_columns=len(names) + 1)


def verdicts(rows: list[dict]) -> list[str]:
    """The issue's targets, stated against the numbers just measured."""
    sparrow = next((r for r in rows if r["case"] == "sparrow"), None)
    if sparrow is None:
        return ["sparrow was not measured: no verdict"]
    peers = [r for r in rows if r["case"] != "sparrow"]
    lines = []
    if peers:
        slowest_beat = min(peers, key=lambda r: r["time_ratio"])
        each = ", ".join(f"{r['case']} {r['time_ratio']:.2f}" for r in peers)
        lines.append(f"time:   peer median / sparrow median: {each}; target > 1 for every peer: "
                     + ("met" if slowest_beat["time_ratio"] > 1 else f"not met ({slowest_beat['case']})"))
    lines.append(f"memory: sparrow peak RSS {sparrow['peak_rss_mb']:.0f} MB; target < {TARGET_RSS_MB} MB: "
                 + ("met" if sparrow["peak_rss_mb"] < TARGET_RSS_MB else "not met"))
    if sparrow["size_ratio_duckdb"] is not None:
        duckdb = next(r for r in rows if r["case"] == "duckdb")
        lines.append(f"size:   sparrow output / duckdb output = {sparrow['size_ratio_duckdb']:.3f} "
                     f"({sparrow['output_bytes']:,} / {duckdb['output_bytes']:,} bytes); target <= "
                     f"{TARGET_SIZE_RATIO:.2f}: " + ("met" if sparrow["size_ratio_duckdb"] <= TARGET_SIZE_RATIO
                                                     else "not met"))
    return lines


# --- big mode


def run_verbose(argv: list[str]) -> dict:
    """Runs argv once under `/usr/bin/time -v`; returns wall and CPU seconds and maximum RSS."""
    with tempfile.NamedTemporaryFile(mode="r") as report_file, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v", "-o", report_file.name, *argv],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        seconds = time.perf_counter() - start
        text = report_file.read()
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    if done.returncode != 0:
        raise BenchError(f"{' '.join(argv)}\n  exit status {done.returncode}\n  {stderr.strip()[:2000]}")

    def field(label: str) -> str:
        found = re.search(rf"^\s*{re.escape(label)}: (.+)$", text, re.MULTILINE)
        if not found:
            raise BenchError(f"/usr/bin/time -v printed no '{label}':\n{text}")
        return found.group(1).strip()

    return {
        "seconds": round(seconds, 3),
        "elapsed": field("Elapsed (wall clock) time (h:mm:ss or m:ss)"),
        "cpu_seconds": round(float(field("User time (seconds)")) + float(field("System time (seconds)")), 2),
        "max_rss_mb": round(int(field("Maximum resident set size (kbytes)")) / 1024, 1),
        "major_faults": int(field("Major (requiring I/O) page faults")),
    }


def run_big(args, data_dir: str, out_dir: str, sparrow_error: str | None) -> tuple[dict, bool]:
    """Big mode; returns its results and whether every check passed."""
    import pyarrow.parquet as pq

    path, rows = prepare_big(data_dir, args.big)
    size = os.path.getsize(path)
    results = {"path": path, "bytes": size, "rows": rows, "runs": []}
    print(f"\nBig input: {path} ({size / 2**30:.2f} GiB, {rows:,} rows); one run each under /usr/bin/time -v")
    names = (["sparrow"] if sparrow_error is None else []) + (list(BIG_PEERS) if args.big_peers else [])
    if sparrow_error is not None:
        print(f"sparrow: not available: {sparrow_error}")
    ok = True
    table = []
    for name in names:
        output = os.path.join(out_dir, f"csv-big-{name}.parquet")
        remove(output)
        measures, argv = command(name, args.sparrow, path, output)
        print(f"big: {name} ...", file=sys.stderr, flush=True)
        run = run_verbose(argv)
        written = pq.ParquetFile(output).metadata
        run.update(case=name, measures=measures, output_bytes=os.path.getsize(output),
                   output_rows=written.num_rows, row_groups=written.num_row_groups)
        remove(output)
        if run["output_rows"] != rows:
            ok = False
            print(f"check: {name} wrote {run['output_rows']:,} rows, the CSV holds {rows:,}")
        results["runs"].append(run)
        table.append([tool_of(name), measures, f"{run['seconds']:.2f}", f"{run['cpu_seconds']:.2f}",
                      f"{run['max_rss_mb']:.0f}", f"{run['output_bytes'] / 1e6:.1f}", str(run["row_groups"])])
    if table:
        print_table(f"Convert {size / 2**30:.2f} GiB of CSV to zstd Parquet",
                    ["tool", "measures", "wall s", "CPU s", "max RSS MB", "output MB", "row groups"], table)
    sparrow_run = next((r for r in results["runs"] if r["case"] == "sparrow"), None)
    if sparrow_run:
        verdict = (f"big:    sparrow max RSS {sparrow_run['max_rss_mb']:.0f} MB converting "
                   f"{size / 2**30:.2f} GiB; target < {TARGET_RSS_MB} MB: "
                   + ("met" if sparrow_run["max_rss_mb"] < TARGET_RSS_MB else "not met"))
        print(verdict)
        results["verdict"] = verdict
    return results, ok


# --- main


def load_and_steal() -> tuple[str, float]:
    """The load averages, and the CPU time stolen by the hypervisor so far (all CPUs, seconds)."""
    with open("/proc/loadavg") as loadavg:
        load = " ".join(loadavg.read().split()[:3])
    with open("/proc/stat") as stat:
        steal_ticks = int(stat.readline().split()[8])
    return load, steal_ticks / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--sparrow", default=os.path.join(REPO, ".build", "release", "sparrow"),
                        help="the sparrow binary (default .build/release/sparrow)")
    parser.add_argument("--data-dir", default=os.path.join(REPO, "bench-data"),
                        help="where the data is made and kept (default bench-data/)")
    parser.add_argument("--cases", default=",".join(CASE_NAMES),
                        help=f"comma-separated cases to run (default all: {','.join(CASE_NAMES)})")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--big", type=float, metavar="GIB", nargs="?", const=3.0,
                        help="instead of the SF1 benchmark, convert a generated CSV of about GIB GiB "
                             "(default 3) once under /usr/bin/time -v (Sparrow only unless --big-peers)")
    parser.add_argument("--big-peers", action="store_true",
                        help=f"with --big, also run {', '.join(BIG_PEERS)}")
    parser.add_argument("--clean-big", action="store_true",
                        help="delete the generated big CSV (after the run, with --big)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    selected = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in selected if c not in CASE_NAMES]
    if unknown or not selected:
        parser.error(f"unknown --cases {', '.join(unknown) or '(none)'}; choose from {', '.join(CASE_NAMES)}")
    if args.big is not None and args.big <= 0:
        parser.error("--big must be a positive number of GiB")
    data_dir = os.path.abspath(args.data_dir)
    if args.clean_big and args.big is None:
        clean_big(data_dir)
        return 0
    for tool in ("tpchgen-cli", "duckdb"):
        if shutil.which(tool) is None:
            parser.error(f"{tool} is not on PATH (tools/setup installs it)")

    source, probe = prepare(data_dir)
    out_dir = os.path.join(data_dir, "out")
    os.makedirs(out_dir, exist_ok=True)
    sparrow_error = probe_sparrow(args.sparrow, probe, out_dir)
    results: dict = {
        "machine": machine(),
        "sparrow": {"path": os.path.abspath(args.sparrow), "available": sparrow_error is None,
                    "error": sparrow_error},
        "data": {"path": source, "rows": ROWS, "bytes": os.path.getsize(source)},
    }

    try:
        if args.big is not None:
            results["big"], ok = run_big(args, data_dir, out_dir, sparrow_error)
            if args.clean_big:
                clean_big(data_dir)
            write_json(args.json, results)
            return 0 if ok else 1
        if sparrow_error is not None:
            print(f"sparrow: not available: {sparrow_error}")
            selected = [c for c in selected if c != "sparrow"]
            if not selected:
                return 0
        names = [c for c in CASE_NAMES if c in selected]
        cases = []
        for name in names:
            output = os.path.join(out_dir, f"csv-{name}.parquet")
            measures, argv = command(name, args.sparrow, source, output)
            cases.append(Case(tool_of(name), measures, lambda argv=argv: run_process(argv), output))
        load_before, steal_before = load_and_steal()
        measure(cases, args.runs, args.warmup, "csv")
        load_after, steal_after = load_and_steal()
        results["load"] = {"before": load_before, "after": load_after,
                           "steal_seconds": round(steal_after - steal_before, 2)}
        rows = report(f"Convert lineitem SF1 CSV ({ROWS:,} rows, {os.path.getsize(source) / 1e6:.0f} MB) "
                      f"to zstd Parquet, {args.runs} run{'s' if args.runs > 1 else ''}", cases, names)
        outputs = {name: describe(case.output) for name, case in zip(names, cases)}
        print_schemas(outputs)

        failures = [f"{name} output holds {info['rows']} rows, expected {ROWS}"
                    for name, info in outputs.items() if info["rows"] != ROWS]
        if "sparrow" in names:
            reference = os.path.join(out_dir, "csv-duckdb.parquet")
            if "duckdb" not in names:
                run_process(command("duckdb", args.sparrow, source, reference)[1])
            failures += check_sparrow(os.path.join(out_dir, "csv-sparrow.parquet"), reference)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    print(f"\nmachine: load average {results['load']['before']} before, {results['load']['after']} after; "
          f"{results['load']['steal_seconds']:.1f} s of CPU stolen by the hypervisor during the runs")
    lines = verdicts(rows)
    for line in lines:
        print(line)
    if "sparrow" in names:
        print("check: sparrow output against duckdb's (rows, date32 dates, type kinds, nulls, sums, string "
              "lengths): " + ("ok" if not failures else "FAILED"))
    elif failures:
        print("check: FAILED")
    for failure in failures:
        print(f"  {failure}")
    results.update(runs=args.runs, warmup=args.warmup, cases=rows, outputs=outputs,
                   checks={"failures": failures}, verdicts=lines)
    write_json(args.json, results)
    return 1 if failures else 0


def write_json(path: str | None, results: dict) -> None:
    if path:
        with open(path, "w") as out:
            json.dump(results, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    sys.exit(main())

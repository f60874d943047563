#!/usr/bin/env python3
"""Checks that `sparrow scan` reads every Parquet file of a directory exactly as pyarrow does.

    check_read.py CORPUS_DIR [--only SUBSTRING] [--verbose]

For every `*.parquet` in CORPUS_DIR (e.g. the output of make_corpus.py, or parquet-testing's data/):
  1. `sparrow scan FILE --format jsonl` against pyarrow's read of the file formatted by sparrow_json
     (DuckDB's read for the few files pyarrow refuses, see common.reference);
  2. a projection, `--select LAST,FIRST[,MIDDLE]` (top-level columns, in that order: the output keeps
     the order asked for, as SQL's SELECT does);
  3. `--limit 3`, which must print the first 3 rows.
Values are compared with compare.py's rules (exact, floats by value). Prints a table (file, rows, and
ok/FAIL per check), then the first mismatches of each failure, and exits 1 if anything failed.
The binary is $SPARROW, else .build/release/sparrow, else .build/debug/sparrow.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import compare  # noqa: E402

LIMIT = 3


def projection(names: list[str]) -> list[str] | None:
    """A reordered subset of top-level columns: last, first and a middle one (None if < 2 columns)."""
    usable = [n for n in names if "," not in n]
    if len(usable) < 2:
        return None
    chosen = [usable[-1], usable[0]]
    if len(usable) >= 4:
        chosen.append(usable[len(usable) // 2])
    return chosen


def check_scan(path: str, ref: common.Reference, args: list[str], expected: list[str]) -> tuple[str, list[str]]:
    """Runs one scan and compares; returns ('ok' | 'FAIL', detail lines)."""
    run = common.run_sparrow(["scan", path, *args, "--format", "jsonl"])
    label = f"{os.path.basename(path)} {' '.join(args)}".strip()
    if run.status != 0:
        return "FAIL", [f"{label}: sparrow exited {run.status}: {run.first_error_line()}"]
    mismatches, total = compare.compare_lines(expected, common.output_lines(run.stdout), ref.table.schema, label)
    if total:
        details = [str(m) for m in mismatches]
        if total > len(mismatches):
            details.append(f"... {total - len(mismatches)} more mismatches")
        return "FAIL", details
    return "ok", []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir")
    parser.add_argument("--only", help="check only files whose name contains this")
    parser.add_argument("--verbose", action="store_true", help="print each file as it is checked")
    args = parser.parse_args()

    files = sorted(glob.glob(os.path.join(args.corpus_dir, "*.parquet")))
    if args.only:
        files = [f for f in files if args.only in os.path.basename(f)]
    if not files:
        print(f"no .parquet files in {args.corpus_dir}", file=sys.stderr)
        return 1
    print(f"sparrow: {common.sparrow_binary()}")

    rows_out = []
    failures: list[str] = []
    for path in files:
        name = os.path.basename(path)
        if args.verbose:
            print(f"checking {name}", flush=True)
        try:
            ref = common.reference(path)
        except Exception as error:
            rows_out.append((name, "?", "skip", "skip", "skip", "no peer reads it"))
            failures.append(f"{name}: no reference (pyarrow and DuckDB both fail): {error}")
            continue
        full_lines = ref.lines()
        results = []
        status, details = check_scan(path, ref, [], full_lines)
        results.append(status)
        failures += details
        chosen = projection(ref.table.column_names)
        if chosen:
            status, details = check_scan(path, ref, ["--select", ",".join(chosen)], ref.lines(chosen))
            failures += details
        else:
            status = "-"
        results.append(status)
        status, details = check_scan(path, ref, ["--limit", str(LIMIT)], full_lines[:LIMIT])
        results.append(status)
        failures += details
        note = "" if ref.source == "pyarrow" else f"reference: {ref.source}"
        rows_out.append((name, str(ref.table.num_rows), *results, note))

    header = ("file", "rows", "scan", "select", "limit", "")
    widths = [max(len(str(r[i])) for r in [header, *rows_out]) for i in range(len(header))]
    for row in [header, *rows_out]:
        print("  ".join(str(cell).ljust(widths[i]) if i != 1 else str(cell).rjust(widths[i])
                        for i, cell in enumerate(row)).rstrip())
    bad = sum(1 for r in rows_out if "FAIL" in r[2:5] or r[2] == "skip")
    print(f"\ncheck_read: {len(rows_out) - bad} passed, {bad} failed")
    if failures:
        print("\nfailures:")
        for line in failures:
            print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks that what `sparrow convert` writes is read back correctly by pyarrow, DuckDB and polars.

    check_write.py CORPUS_DIR WORK_DIR [--only SUBSTRING] [--codecs zstd,snappy,...] [--keep]

For every `*.parquet` in CORPUS_DIR, flat and nested, and every codec (default zstd, snappy, gzip,
lz4, none) it runs `sparrow convert FILE OUT --compression C --overwrite`, plus one run with
`--row-group-rows R` (R about a quarter of the rows) so the output has several row groups, and one
with `--data-page-v2 --page-checksums`, whose page CRCs pyarrow must verify. Then:

* values: pyarrow must read every column of OUT and get the source's values (the source as pyarrow
  reads it; DuckDB for the two files pyarrow refuses). DuckDB (`read_parquet`, Arrow export) and
  polars must too, for the columns where that engine reading the *source* already agrees with
  pyarrow: an engine's own type limits (DuckDB has no decimal256, polars no UUID, ...) are learnt
  from the source, not hard-coded, so a difference on OUT is Sparrow's.
* metadata (pyarrow's `ParquetFile(OUT).metadata`): created_by starts with "Sparrow"; num_rows; with
  --row-group-rows R every row group but the last has R rows; every column chunk uses the codec
  asked for (checked through DuckDB's parquet_metadata, which names LZ4_RAW as such).
* statistics: for every top-level, non-nested column of a sortable type, in every row group,
  null_count is present and right, and min/max are present (when the chunk has a non-null, non-NaN
  value) and equal pyarrow.compute.min_max over the chunk's values (NaN ignored; strings and binary
  in byte-wise order; temporal values compared as the stored integers).

Outputs that pass are deleted unless --keep. Prints one line per file (ok/FAIL per variant), the
first problems of each failure, and exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import decimal
import glob
import math
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import compare  # noqa: E402
import sparrow_json  # noqa: E402

CODECS = ["zstd", "snappy", "gzip", "lz4", "none"]
PARQUET_CODEC = {"zstd": "ZSTD", "snappy": "SNAPPY", "gzip": "GZIP", "lz4": "LZ4_RAW", "none": "UNCOMPRESSED",
                 "brotli": "BROTLI"}
PEERS = ["duckdb", "polars"]
MAX_PROBLEMS = 10


# ---------------------------------------------------------------------------------------------------
# Values

def column_differences(ref: common.Reference, table: pa.Table, leaves: dict, label: str,
                       columns: list[str]) -> list[str]:
    """Mismatches between the reference and `table` (already aligned) on `columns`."""
    problems: list[str] = []
    for name in columns:
        expected = ref.table.column(name)
        actual = table.column(name)
        if expected.type == actual.type and expected.equals(actual):
            continue  # identical Arrow data: no need to format (NaN never compares equal, so floats may not take this path)
        mismatches, total = compare.compare_lines(
            sparrow_json.table_to_jsonl_lines(ref.table.select([name]), ref.interval_leaves),
            sparrow_json.table_to_jsonl_lines(table.select([name]), leaves),
            ref.table.schema, label, limit=3)
        problems += [str(m) for m in mismatches]
        if total > len(mismatches):
            problems.append(f"{label}: column {name}: {total - len(mismatches)} more mismatches")
    return problems


def comparable_columns(path: str, ref: common.Reference, engine: str) -> tuple[list[str], str]:
    """Columns on which `engine` reading the source agrees with the reference, and a note on the rest."""
    reader = common.ENGINES[engine]
    try:
        tables = {None: reader(path)}
    except Exception:
        # Try column by column, unless the engine cannot even read the first one (then the
        # trouble is the file's schema as a whole, as with polars and INTERVAL).
        tables = {}
        for position, name in enumerate(ref.table.column_names):
            try:
                tables[name] = reader(path, [name])
            except Exception:
                if position == 0:
                    break
    agreeing, differing = [], []
    for name in ref.table.column_names:
        table = tables.get(None) if None in tables else tables.get(name)
        if table is None or name not in table.column_names or table.num_rows != ref.table.num_rows:
            differing.append(name)
            continue
        aligned = common.align(table.select([name]), ref.table.schema)
        leaves = ref.interval_leaves if engine == "pyarrow" else {}
        if column_differences(ref, aligned, leaves, engine, [name]):
            differing.append(name)
        else:
            agreeing.append(name)
    shown = ", ".join(differing[:6]) + (f" and {len(differing) - 6} more" if len(differing) > 6 else "")
    note = f"{engine} reads the source differently on: {shown}" if differing else ""
    return agreeing, note


def check_values(out: str, ref: common.Reference, peers: dict[str, list[str]], label: str) -> list[str]:
    problems: list[str] = []
    try:
        table = common.pyarrow_table(out)
        leaves = sparrow_json.parquet_interval_leaves(out)
    except Exception as error:
        return [f"{label}: pyarrow cannot read the output: {error}"]
    if table.column_names != ref.table.column_names:
        return [f"{label}: columns {table.column_names}, expected {ref.table.column_names}"]
    if table.num_rows != ref.table.num_rows:
        problems.append(f"{label}: pyarrow reads {table.num_rows} rows, expected {ref.table.num_rows}")
    else:
        problems += column_differences(ref, common.align(table, ref.table.schema), leaves, f"{label} [pyarrow]",
                                       ref.table.column_names)
    for engine, columns in peers.items():
        if not columns:
            continue
        try:
            peer_table = common.ENGINES[engine](out, columns)
        except Exception as error:
            problems.append(f"{label}: {engine} cannot read the output: {str(error).splitlines()[0]}")
            continue
        if peer_table.num_rows != ref.table.num_rows:
            problems.append(f"{label}: {engine} reads {peer_table.num_rows} rows, expected {ref.table.num_rows}")
            continue
        problems += column_differences(ref, common.align(peer_table, ref.table.schema), {}, f"{label} [{engine}]",
                                       columns)
    return problems


# ---------------------------------------------------------------------------------------------------
# Metadata and statistics

def _leaf_index(schema: pa.Schema) -> dict[str, int]:
    """Top-level field name -> index of its first Parquet leaf column."""
    index, position = {}, 0
    for f in schema:
        index[f.name] = position
        position += sparrow_json._leaf_count(f.type)
    return index


def _storage(t: pa.DataType) -> pa.DataType:
    if isinstance(t, pa.ExtensionType):
        return t.storage_type
    if pa.types.is_dictionary(t):
        return t.value_type
    return t


def _stat_kind(field: pa.Field, column_schema) -> str | None:
    """How min/max of a flat column are compared, or None when the column has no ordered statistics."""
    t = _storage(field.type)
    if column_schema.converted_type == "INTERVAL" or str(column_schema.logical_type) == "Interval":
        return None  # INTERVAL has no defined sort order
    if pa.types.is_null(t):
        return None
    if pa.types.is_boolean(t) or pa.types.is_integer(t):
        return "logical"
    if pa.types.is_float16(t):
        return "float16"
    if pa.types.is_floating(t):
        return "float"
    if pa.types.is_decimal(t):
        return "logical"
    if pa.types.is_temporal(t):
        return "integer"
    if (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
            or pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t)
            or pa.types.is_fixed_size_binary(t)):
        return "bytes"
    return None


def _values(column: pa.ChunkedArray, kind: str) -> pa.Array:
    """The chunk's non-null (and non-NaN) values in the form their statistics are compared in."""
    array = column.combine_chunks()
    if isinstance(array, pa.ExtensionArray):
        array = array.storage
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    array = array.drop_null()
    t = array.type
    if kind == "float16":
        array = array.cast(pa.float32())
    if kind in ("float", "float16"):
        array = array.filter(pc.invert(pc.is_nan(array)))
    elif kind == "integer":
        if pa.types.is_timestamp(t) and t.unit == "s":
            array = array.cast(pa.timestamp("ms", t.tz))  # Parquet stores milliseconds
        elif pa.types.is_date64(t):
            array = array.cast(pa.date32())
        width = pa.int32() if pa.types.is_date32(t) or pa.types.is_time32(t) else pa.int64()
        array = array.view(width)
    elif kind == "bytes" and not pa.types.is_fixed_size_binary(t):
        array = array.cast(pa.large_binary())
    return array


def _stat_value(stats, which: str, kind: str):
    if kind == "logical":
        return getattr(stats, which)
    raw = getattr(stats, which + "_raw")
    if kind == "float16":
        return float(np.frombuffer(raw, dtype="<f2")[0])
    if kind == "bytes" and isinstance(raw, str):
        return raw.encode("utf-8")
    return raw


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return float(a) == float(b) or (math.isnan(float(a)) and math.isnan(float(b)))
    if isinstance(a, decimal.Decimal) or isinstance(b, decimal.Decimal):
        return decimal.Decimal(a) == decimal.Decimal(b)
    return a == b


def check_statistics(out: str, label: str) -> list[str]:
    problems: list[str] = []
    parquet_file = pq.ParquetFile(out)
    metadata = parquet_file.metadata
    schema = parquet_file.schema_arrow
    leaf_of = _leaf_index(schema)
    flat = []
    for f in schema:
        if sparrow_json._leaf_count(f.type) != 1 or pa.types.is_nested(_storage(f.type)):
            continue
        kind = _stat_kind(f, parquet_file.schema.column(leaf_of[f.name]))
        if kind:
            flat.append((f.name, kind))
    for rg in range(metadata.num_row_groups):
        if metadata.row_group(rg).num_rows == 0:
            continue  # an empty row group has nothing to describe (pyarrow writes one without statistics)
        data = parquet_file.read_row_group(rg, columns=[name for name, _ in flat])
        for name, kind in flat:
            chunk = metadata.row_group(rg).column(leaf_of[name])
            stats = chunk.statistics
            where = f"{label}: row group {rg}, column {name}"
            if stats is None or not stats.has_null_count:
                problems.append(f"{where}: no null_count in the statistics")
                continue
            column = data.column(name)
            if stats.null_count != column.null_count:
                problems.append(f"{where}: null_count {stats.null_count}, the data has {column.null_count} nulls")
            values = _values(column, kind)
            if len(values) == 0:
                continue  # all null (or NaN): min/max may be absent
            if not stats.has_min_max:
                problems.append(f"{where}: no min/max in the statistics")
                continue
            computed = pc.min_max(values)
            for which in ("min", "max"):
                expected = computed[which].as_py()
                try:
                    actual = _stat_value(stats, which, kind)
                except Exception as error:
                    problems.append(f"{where}: cannot read {which}: {error}")
                    continue
                if not _same(expected, actual):
                    problems.append(f"{where}: {which} {actual!r}, pyarrow.compute says {expected!r}")
    return problems


def check_metadata(out: str, rows: int, codec: str, row_group_rows: int | None, label: str) -> list[str]:
    problems: list[str] = []
    metadata = pq.ParquetFile(out).metadata
    if not (metadata.created_by or "").startswith("Sparrow"):
        problems.append(f"{label}: created_by is {metadata.created_by!r}, expected 'Sparrow…'")
    if metadata.num_rows != rows:
        problems.append(f"{label}: footer says {metadata.num_rows} rows, expected {rows}")
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    if sum(sizes) != rows:
        problems.append(f"{label}: row groups hold {sum(sizes)} rows, expected {rows}")
    if row_group_rows and rows:
        expected_sizes = [row_group_rows] * (rows // row_group_rows) + ([rows % row_group_rows] if rows % row_group_rows else [])
        if sizes != expected_sizes:
            problems.append(f"{label}: row group sizes {sizes[:12]}, expected {expected_sizes[:12]} "
                            f"(--row-group-rows {row_group_rows})")
    try:
        import duckdb

        found = duckdb.connect().execute(
            "SELECT DISTINCT compression FROM parquet_metadata(?)", [out]).fetchall()
        codecs = sorted({row[0] for row in found})
        if codecs and codecs != [PARQUET_CODEC[codec]]:
            problems.append(f"{label}: column chunks use {codecs}, expected {PARQUET_CODEC[codec]}")
    except ImportError:
        pass
    return problems


def check_checksums(out: str, label: str) -> list[str]:
    """pyarrow verifies the CRC-32 of every page."""
    try:
        pq.read_table(out, page_checksum_verification=True)
    except Exception as error:
        return [f"{label}: pyarrow's page checksum verification failed: {error}"]
    return []


# ---------------------------------------------------------------------------------------------------

def row_group_rows_for(rows: int) -> int:
    return max(1, (rows + 3) // 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir")
    parser.add_argument("work_dir")
    parser.add_argument("--only", help="check only files whose name contains this")
    parser.add_argument("--codecs", default=",".join(CODECS), help="comma-separated, default %(default)s")
    parser.add_argument("--peers", default=",".join(PEERS), help="engines besides pyarrow, default %(default)s")
    parser.add_argument("--keep", action="store_true", help="keep outputs that pass")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    codecs = [c for c in args.codecs.split(",") if c]
    peers = [p for p in args.peers.split(",") if p]
    files = sorted(glob.glob(os.path.join(args.corpus_dir, "*.parquet")))
    if args.only:
        files = [f for f in files if args.only in os.path.basename(f)]
    if not files:
        print(f"no .parquet files in {args.corpus_dir}", file=sys.stderr)
        return 1
    os.makedirs(args.work_dir, exist_ok=True)
    print(f"sparrow: {common.sparrow_binary()}")

    failures: list[str] = []
    passed = failed = 0
    for path in files:
        name = os.path.basename(path)
        stem = name[: -len(".parquet")]
        try:
            ref = common.reference(path)
        except Exception as error:
            failures.append(f"{name}: no peer reads the source: {error}")
            failed += 1
            continue
        rows = ref.table.num_rows
        peer_columns, notes = {}, []
        for engine in peers:
            peer_columns[engine], note = comparable_columns(path, ref, engine)
            if note:
                notes.append(note)
        # Every codec; several row groups; and v2 data pages with page checksums, which pyarrow
        # then verifies.
        variants = ([(codec, None, False) for codec in codecs] + [("zstd", row_group_rows_for(rows), False)]
                    + [("zstd", None, True)])
        results = []
        file_ok = True
        for codec, rg_rows, v2_checksums in variants:
            suffix = f"{codec}.rg{rg_rows}" if rg_rows else (f"{codec}.v2crc" if v2_checksums else codec)
            out = os.path.join(args.work_dir, f"{stem}.{suffix}.parquet")
            label = f"{name} -> {suffix}"
            command = ["convert", path, out, "--compression", codec, "--overwrite"]
            if rg_rows:
                command += ["--row-group-rows", str(rg_rows)]
            if v2_checksums:
                command += ["--data-page-v2", "--page-checksums"]
            if args.verbose:
                print("  sparrow " + " ".join(command), flush=True)
            run = common.run_sparrow(command)
            if run.status != 0:
                problems = [f"{label}: sparrow exited {run.status}: {run.first_error_line()}"]
            elif not os.path.exists(out):
                problems = [f"{label}: sparrow exited 0 but wrote no file"]
            else:
                try:
                    problems = check_values(out, ref, peer_columns, label)
                    problems += check_metadata(out, rows, codec, rg_rows, label)
                    problems += check_statistics(out, label)
                    if v2_checksums:
                        problems += check_checksums(out, label)
                except Exception as error:  # a file so broken that the checks themselves fail
                    problems = [f"{label}: {type(error).__name__}: {error}"]
            results.append(f"{suffix}:{'ok' if not problems else 'FAIL'}")
            if problems:
                file_ok = False
                failures += problems[:MAX_PROBLEMS]
                if len(problems) > MAX_PROBLEMS:
                    failures.append(f"{label}: ... {len(problems) - MAX_PROBLEMS} more problems")
            elif not args.keep and os.path.exists(out):
                os.remove(out)
        passed += file_ok
        failed += not file_ok
        extra = f"  ({'; '.join(notes)})" if notes else ""
        print(f"{'ok  ' if file_ok else 'FAIL'} {name:48s} {rows:6d} rows  {' '.join(results)}{extra}", flush=True)

    print(f"\ncheck_write: {passed} passed, {failed} failed")
    if failures:
        print("\nfailures:")
        for line in failures:
            print("  " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A stand-in for the `sparrow` binary, built on pyarrow, to test the interop checks themselves.

It implements the CLI surface the checks use, `scan PATH [--select a,b] [--limit N] --format jsonl` and
`convert IN OUT [--compression C] [--level N] [--row-group-rows N] [--overwrite]`, with a peer's
reading and pyarrow's writer (created_by patched to start with "Sparrow"). With
FAKE_SPARROW_CORRUPT=scan it changes one value of what it prints, with FAKE_SPARROW_CORRUPT=convert it
swaps the first and the middle row of what it writes, and with FAKE_SPARROW_CORRUPT=stats it writes no statistics:
the checks must then fail. Used by tools/interop/testing/selftest.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import common  # noqa: E402
import compare  # noqa: E402

import pyarrow.parquet as pq  # noqa: E402

CODECS = {"zstd": "zstd", "snappy": "snappy", "gzip": "gzip", "lz4": "lz4_raw", "brotli": "brotli", "none": "none"}


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def corrupt_line(line: str) -> str:
    """The same row with its last value changed."""
    row = compare.parse_line(line)
    key, value = row[-1]
    replacement = compare.Number("1") if value is None else None
    return compare.to_text(compare.Obj(list(row[:-1]) + [(key, replacement)]))


def scan(args) -> int:
    if args.format != "jsonl":
        return fail("the fake only prints jsonl")
    try:
        ref = common.reference(args.path)
    except Exception as error:
        return fail(f"{args.path}: {error}")
    columns = args.select.split(",") if args.select else None
    try:
        lines = ref.lines(columns, args.limit)
    except KeyError as error:
        return fail(f"no such column {error}")
    if os.environ.get("FAKE_SPARROW_CORRUPT") == "scan" and lines:
        lines[len(lines) // 2] = corrupt_line(lines[len(lines) // 2])
    sys.stdout.write("".join(line + "\n" for line in lines))
    return 0


def patch_created_by(path: str) -> None:
    """Rewrites created_by in the footer in place with a same-length string that starts with 'Sparrow'."""
    with open(path, "r+b") as f:
        data = f.read()
        footer_length = struct.unpack("<I", data[-8:-4])[0]
        start = len(data) - 8 - footer_length
        footer = data[start:-8]
        original = pq.ParquetFile(path).metadata.created_by.encode()
        if footer.count(original) != 1:
            raise RuntimeError("created_by not found exactly once in the footer")
        replacement = b"Sparrow fake (pyarrow)".ljust(len(original), b" ")[: len(original)]
        f.seek(start + footer.index(original))
        f.write(replacement)


def convert(args) -> int:
    if os.path.exists(args.output) and not args.overwrite:
        return fail(f"{args.output} exists (use --overwrite)")
    try:
        table = common.reference(args.input).table
    except Exception as error:
        return fail(f"{args.input}: {error}")
    mode = os.environ.get("FAKE_SPARROW_CORRUPT")
    if mode == "convert" and table.num_rows > 1:
        middle = table.num_rows // 2
        order = list(range(table.num_rows))
        order[0], order[middle] = middle, 0
        table = table.take(order)
    pq.write_table(table, args.output, compression=CODECS[args.compression], compression_level=args.level,
                   row_group_size=args.row_group_rows, write_statistics=(mode != "stats"), store_schema=False,
                   data_page_version="2.0" if args.data_page_v2 else "1.0",
                   write_page_checksum=args.page_checksums)
    patch_created_by(args.output)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="sparrow")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("scan")
    p.add_argument("path")
    p.add_argument("--select")
    p.add_argument("--limit", type=int)
    p.add_argument("--format", default="table")
    p = commands.add_parser("convert")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--compression", default="zstd", choices=sorted(CODECS))
    p.add_argument("--level", type=int)
    p.add_argument("--row-group-rows", type=int)
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("--data-page-v2", action="store_true")
    p.add_argument("--page-checksums", action="store_true")
    args = parser.parse_args()
    return scan(args) if args.command == "scan" else convert(args)


if __name__ == "__main__":
    sys.exit(main())

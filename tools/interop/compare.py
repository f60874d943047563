#!/usr/bin/env python3
"""Compares two jsonl streams (expected vs actual) row by row, value by value.

Equality is exact (same keys in the same order, same strings, same number text, same nesting, map
duplicates kept) with one exception: values of floating-point columns are compared as numbers after
parsing both sides as float64 (`1e+16` == `10000000000000000.0`, but 0.1 != 0.10000000149011612 and
-0.0 != 0.0), and the strings "NaN", "Infinity", "-Infinity" compare exactly. Decimals (and all
integers) are compared by their exact text, so `12.30` != `12.3`.

Which values are floats comes from an Arrow schema (pass the Parquet file with --parquet, or a
pyarrow.Schema to `compare_lines`). Without a schema, a number is compared as a float only when either
side is written with an exponent (decimals and integers never are); everything else by text.

    compare.py EXPECTED.jsonl ACTUAL.jsonl [--parquet FILE] [--label NAME]

Prints the first 10 mismatches (file, row, column, expected, actual) and exits 1 on any mismatch.
Bare NaN/Infinity tokens (not valid JSON) are an error on either side.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from typing import Sequence

import pyarrow as pa
import pyarrow.parquet as pq

MAX_REPORTED = 10


class Number(str):
    """A JSON number, kept as its text."""


class Obj(tuple):
    """A JSON object as its (key, value) pairs in order; duplicate keys are kept."""


def _reject_constant(name: str):
    raise ValueError(f"bare {name} is not JSON (the conventions spell it as a string)")


def parse_line(line: str):
    return json.loads(line, parse_float=Number, parse_int=Number, object_pairs_hook=Obj,
                      parse_constant=_reject_constant)


def to_text(value) -> str:
    """Compact JSON text of a parsed value (numbers as they were written)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Obj):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + to_text(v) for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(to_text(v) for v in value) + "]"
    raise TypeError(type(value))


@dataclass
class Mismatch:
    label: str
    row: int
    column: str
    path: str
    expected: str
    actual: str

    def __str__(self) -> str:
        where = self.column + (self.path if self.path else "")
        return f"{self.label}: row {self.row}, column {where}: expected {self.expected}, actual {self.actual}"


def _unwrap(t: pa.DataType | None) -> pa.DataType | None:
    while t is not None:
        if isinstance(t, pa.ExtensionType):
            t = t.storage_type
        elif pa.types.is_dictionary(t):
            t = t.value_type
        else:
            return t
    return None


def _floats_equal(a: str, b: str) -> bool:
    x, y = float(a), float(b)
    return x == y and math.copysign(1.0, x) == math.copysign(1.0, y)


def _child_type(t: pa.DataType | None, key: str) -> pa.DataType | None:
    if t is not None and pa.types.is_struct(t):
        index = t.get_field_index(key)
        return t.field(index).type if index >= 0 else None
    return None


def _difference(expected, actual, t: pa.DataType | None, path: str) -> tuple[str, str, str] | None:
    """None when equal, else (path, expected text, actual text) of the first difference."""
    t = _unwrap(t)
    if isinstance(expected, Number) and isinstance(actual, Number):
        if expected == actual:
            return None
        if t is not None:
            is_float = pa.types.is_floating(t)
        else:
            is_float = any(c in s for s in (expected, actual) for c in "eE")
        if is_float and _floats_equal(expected, actual):
            return None
        return path, to_text(expected), to_text(actual)
    if type(expected) is not type(actual):
        return path, to_text(expected), to_text(actual)
    if isinstance(expected, Obj):
        if [k for k, _ in expected] != [k for k, _ in actual]:
            return path, to_text(expected), to_text(actual)
        for index, ((key, ev), (_, av)) in enumerate(zip(expected, actual)):
            if t is not None and pa.types.is_map(t):
                child_t = t.item_type
            else:
                child_t = _child_type(t, key)
            found = _difference(ev, av, child_t, f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return path, to_text(expected), to_text(actual)
        if t is not None and pa.types.is_map(t):
            # Map with non-string keys: [{"key":k,"value":v}, ...]
            entry_t = pa.struct([("key", t.key_type), ("value", t.item_type)])
        elif t is not None and (pa.types.is_list(t) or pa.types.is_large_list(t)
                                or pa.types.is_fixed_size_list(t) or pa.types.is_list_view(t)
                                or pa.types.is_large_list_view(t)):
            entry_t = t.value_type
        else:
            entry_t = None
        for index, (ev, av) in enumerate(zip(expected, actual)):
            found = _difference(ev, av, entry_t, f"{path}[{index}]")
            if found:
                return found
        return None
    if expected != actual:
        return path, to_text(expected), to_text(actual)
    return None


def compare_lines(expected: Sequence[str], actual: Sequence[str], schema: pa.Schema | None = None,
                  label: str = "", limit: int = MAX_REPORTED) -> tuple[list[Mismatch], int]:
    """Compares two lists of jsonl lines; returns (first `limit` mismatches, total mismatch count)."""
    mismatches: list[Mismatch] = []
    total = 0

    def report(m: Mismatch) -> None:
        nonlocal total
        total += 1
        if len(mismatches) < limit:
            mismatches.append(m)

    if len(expected) != len(actual):
        report(Mismatch(label, min(len(expected), len(actual)), "<rows>", "",
                        f"{len(expected)} rows", f"{len(actual)} rows"))
    for row, (e_line, a_line) in enumerate(zip(expected, actual)):
        try:
            e_row = parse_line(e_line)
        except ValueError as error:
            report(Mismatch(label, row, "<expected line>", "", e_line[:200], f"unparsable: {error}"))
            continue
        try:
            a_row = parse_line(a_line)
        except ValueError as error:
            report(Mismatch(label, row, "<line>", "", e_line[:200], f"{a_line[:200]!r} unparsable: {error}"))
            continue
        if not isinstance(a_row, Obj) or [k for k, _ in e_row] != [k for k, _ in a_row]:
            report(Mismatch(label, row, "<keys>", "", str([k for k, _ in e_row]),
                            str([k for k, _ in a_row]) if isinstance(a_row, Obj) else to_text(a_row)))
            continue
        for (column, ev), (_, av) in zip(e_row, a_row):
            column_t = None
            if schema is not None:
                index = schema.get_field_index(column)
                column_t = schema.field(index).type if index >= 0 else None
            found = _difference(ev, av, column_t, "")
            if found:
                path, e_text, a_text = found
                report(Mismatch(label, row, column, path, e_text, a_text))
    return mismatches, total


def read_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def print_report(mismatches: list[Mismatch], total: int, out=sys.stdout) -> None:
    for m in mismatches:
        print("  " + str(m), file=out)
    if total > len(mismatches):
        print(f"  ... {total - len(mismatches)} more mismatches", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare two jsonl streams (expected, actual).")
    parser.add_argument("expected")
    parser.add_argument("actual")
    parser.add_argument("--parquet", help="Parquet file whose Arrow schema says which values are floats")
    parser.add_argument("--label", help="name shown in mismatch lines (default: the actual file)")
    args = parser.parse_args(argv)
    schema = pq.read_schema(args.parquet) if args.parquet else None
    mismatches, total = compare_lines(read_lines(args.expected), read_lines(args.actual), schema,
                                      args.label or args.actual)
    if total:
        print(f"{total} mismatches")
        print_report(mismatches, total)
        return 1
    print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())

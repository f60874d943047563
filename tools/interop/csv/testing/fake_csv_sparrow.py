#!/usr/bin/env python3
"""A stand-in for `sparrow convert` on CSV input, in Python, to test check_csv.py itself.

It reads the contract of issue 3 (/work/csv-contract.md) literally: the CLI surface
`convert INPUT OUTPUT [--compression C] [--level N] [--row-group-rows N] [--delimiter C] [--no-header]
[--schema SPEC] [--sample-rows N] [--on-error fail|skip|null] [--rejects FILE] [--overwrite] [--quiet]
[--threads N]`, INPUT a file or `-`, gzip/zstd recognised by their magic bytes, dialect and header
detection, inference over the whole input, the malformed-row policies, the rejects file, the summary,
and pyarrow's Parquet writer behind it. Where the contract leaves a choice it takes one of the readings
check_csv.py accepts. It is a test double, not a reference: slow, and simple where the corpus allows.

FAKE_CSV_BREAK makes it wrong on purpose, so the self-test can show check_csv catches it:
  type    INT32 columns are written as INT64
  value   one value of every output changes
  reject  the last rejects entry is left out
  line    line numbers in errors and rejects are one too high
  sample  types come from the first --sample-rows rows only (no widening): later values fail
  leftover a failed conversion leaves its partial output behind
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import os
import re
import sys
import time
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq

BREAK = os.environ.get("FAKE_CSV_BREAK", "")
CODECS = {"zstd": "zstd", "snappy": "snappy", "gzip": "gzip", "lz4": "lz4_raw", "brotli": "brotli", "none": "none"}
DELIMITERS = [",", ";", "\t", "|"]
TYPE_NAMES = {"boolean": "boolean", "bool": "boolean", "int32": "int32", "int": "int32", "integer": "int32",
              "int64": "int64", "bigint": "int64", "long": "int64", "double": "double", "float": "double",
              "float64": "double", "date": "date", "timestamp": "timestamp", "string": "string",
              "varchar": "string", "text": "string"}
INT32 = (-2**31, 2**31 - 1)
INT64 = (-2**63, 2**63 - 1)


class Failure(Exception):
    """A conversion error: message first line, and the raw record when there is one."""

    def __init__(self, message: str, raw: str | None = None):
        super().__init__(message)
        self.raw = raw


# ---------------------------------------------------------------------------------------------------
# Records

@dataclass
class Record:
    line: int                      # 1-based physical line where the record starts
    raw: str                       # its text without the line end
    fields: list[tuple[str, bool]]  # (value, quoted)
    unterminated: bool = False

    @property
    def blank(self) -> bool:
        return self.raw == "" and not self.unterminated


QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')


def records(text: str, delimiter: str):
    """Splits `text` into records; quotes per RFC 4180, LF and CRLF line ends."""
    unquoted = re.compile("[^" + re.escape(delimiter) + "\r\n]*")
    pos, line, n = 0, 1, len(text)
    while pos < n:
        start, start_line, fields = pos, line, []
        while True:
            if pos < n and text[pos] == '"':
                m = QUOTED.match(text, pos)
                if m is None:
                    yield Record(start_line, text[start:].rstrip("\r\n"), fields, unterminated=True)
                    return
                value = m.group(1).replace('""', '"')
                line += m.group(0).count("\n")
                pos = m.end()
                rest = unquoted.match(text, pos)  # text after the closing quote: kept, leniently
                value += rest.group(0)
                pos = rest.end()
                fields.append((value, True))
            else:
                m = unquoted.match(text, pos)
                fields.append((m.group(0), False))
                pos = m.end()
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            end = pos
            if text.startswith("\r\n", pos):
                pos += 2
            elif pos < n:
                pos += 1
            if pos > end:
                line += 1
            break
        yield Record(start_line, text[start:end], fields)


def detect_delimiter(text: str) -> str:
    """The candidate that splits the first non-blank records into the same number (> 1) of fields."""
    best, best_width = ",", 1
    for candidate in DELIMITERS:
        widths = []
        for record in records(text, candidate):
            if record.unterminated:
                break
            if not record.blank:
                widths.append(len(record.fields))
            if len(widths) == 20:
                break
        if widths and len(set(widths)) == 1 and widths[0] > best_width:
            best, best_width = candidate, widths[0]
    return best


# ---------------------------------------------------------------------------------------------------
# Values

INT_RE = re.compile(r"-?\d+")
FLOAT_RE = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
SPECIAL_FLOATS = {"nan", "-nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"}
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TS_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?")
EPOCH = datetime.date(1970, 1, 1)


def parse_date(text: str) -> int | None:
    m = DATE_RE.fullmatch(text)
    if not m:
        return None
    try:
        return (datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) - EPOCH).days
    except ValueError:
        return None


def parse_timestamp(text: str) -> tuple[int, int, bool] | None:
    """(nanoseconds since the epoch in UTC, fraction digits, zoned) or None."""
    m = TS_RE.fullmatch(text)
    if not m:
        return None
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    fraction = m.group(7) or ""
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:
        days = (datetime.date(year, month, day) - EPOCH).days
    except ValueError:
        return None
    nanos = ((days * 24 + hour) * 60 + minute) * 60 + second
    nanos = nanos * 10**9 + int(fraction.ljust(9, "0") or 0)
    zone = m.group(8)
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        nanos -= sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60 * 10**9
    return nanos, len(fraction), zone is not None


def classify(text: str) -> tuple[str, object]:
    """The narrowest kind of one non-null value: bool, int, bigint, float, date, ts, string."""
    lower = text.lower()
    if lower in ("true", "false"):
        return "bool", lower == "true"
    if INT_RE.fullmatch(text):
        v = int(text)
        return ("int" if INT64[0] <= v <= INT64[1] else "bigint"), v
    if lower in SPECIAL_FLOATS or (FLOAT_RE.fullmatch(text) and any(c in text for c in ".eE")):
        return "float", float(text)
    if parse_date(text) is not None:
        return "date", None
    ts = parse_timestamp(text)
    if ts is not None:
        return "ts", ts
    return "string", None


def infer(values: list[tuple[str, bool]]) -> str:
    """The contract's type for a column's cells (null cells left out)."""
    kinds: set[str] = set()
    ints: list[int] = []
    zoned = unzoned = False
    digits = 0
    for text, quoted in values:
        if text == "":
            continue
        kind, detail = classify(text)
        kinds.add(kind)
        if kind in ("int", "bigint"):
            ints.append(detail)
        elif kind == "ts":
            digits = max(digits, detail[1])
            zoned |= detail[2]
            unzoned |= not detail[2]
        elif kind == "date":
            unzoned = True
    if not kinds or "string" in kinds:
        return "string"
    groups = {"bool": "bool", "int": "num", "bigint": "num", "float": "num", "date": "time", "ts": "time"}
    if len({groups[k] for k in kinds}) > 1:
        return "string"
    if kinds == {"bool"}:
        return "boolean"
    if "ts" in kinds:
        if zoned and unzoned:
            return "string"
        return ("timestamp_ns" if digits > 6 else "timestamp") + ("_utc" if zoned else "")
    if kinds == {"date"}:
        return "date"
    if "float" in kinds or "bigint" in kinds:
        exact = all((abs(v) <= 2**53) if INT64[0] <= v <= INT64[1] else (int(float(v)) == v) for v in ints)
        return "double" if exact else "string"
    return "int32" if all(INT32[0] <= v <= INT32[1] for v in ints) else "int64"


def convert_value(text: str, quoted: bool, type_name: str):
    """(ok, value) for one cell under `type_name`; empty cells are null (quoted empty is '' in strings)."""
    if text == "":
        return True, ("" if quoted and type_name == "string" else None)
    if type_name == "string":
        return True, text
    if type_name == "boolean":
        lower = text.lower()
        return (True, lower == "true") if lower in ("true", "false") else (False, None)
    if type_name in ("int32", "int64"):
        if not INT_RE.fullmatch(text):
            return False, None
        v = int(text)
        low, high = INT32 if type_name == "int32" else INT64
        return (True, v) if low <= v <= high else (False, None)
    if type_name == "double":
        if text.lower() in SPECIAL_FLOATS or FLOAT_RE.fullmatch(text):
            return True, float(text)
        return False, None
    if type_name == "date":
        days = parse_date(text)
        return (days is not None), days
    ts = parse_timestamp(text)
    if ts is None:
        date = parse_date(text)
        if date is None or not type_name.startswith("timestamp"):
            return False, None
        ts = (date * 86400 * 10**9, 0, False)
    nanos = ts[0]
    if type_name in ("timestamp", "timestamp_utc"):  # microseconds: more digits do not fit
        return (True, nanos // 1000) if nanos % 1000 == 0 else (False, None)
    return True, nanos


def arrow_type(type_name: str) -> pa.DataType:
    return {"boolean": pa.bool_(), "int32": pa.int32(), "int64": pa.int64(), "double": pa.float64(),
            "date": pa.date32(), "timestamp": pa.timestamp("us"), "timestamp_ns": pa.timestamp("ns"),
            "timestamp_utc": pa.timestamp("us", tz="UTC"), "timestamp_ns_utc": pa.timestamp("ns", tz="UTC"),
            "string": pa.string()}[type_name]


# ---------------------------------------------------------------------------------------------------
# Conversion

@dataclass
class Row:
    record: Record
    cells: list[tuple[str, bool]]
    nulled: set[int]  # columns set to null (missing, or not parsing under --schema)


def read_input(path: str) -> bytes:
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    if data.startswith(b"\x1f\x8b"):
        return gzip.decompress(data)
    if data.startswith(b"\x28\xb5\x2f\xfd"):
        return pa.input_stream(pa.BufferReader(data), compression="zstd").read()
    return data


def column_names(header: list[str]) -> list[str]:
    names, seen = [], {}
    for i, name in enumerate(header):
        name = name or f"column{i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def looks_like_header(first: Record, rest: list[Record]) -> bool:
    width = len(first.fields)
    rows = [r for r in rest[:1000] if not r.unterminated and len(r.fields) == width]
    if not rows:
        return True
    typed = False
    for i in range(width):
        type_name = infer([r.fields[i] for r in rows])
        if type_name != "string":
            typed = True
            text, quoted = first.fields[i]
            if text == "" or not convert_value(text, quoted, type_name)[0]:
                return True
    return not typed  # only strings: nothing tells, take it as a header


def parse_schema(spec: str) -> dict[str, str]:
    schema = {}
    for item in spec.split(","):
        name, _, type_text = item.rpartition(":")
        if not name or type_text.strip().lower() not in TYPE_NAMES:
            raise Failure(f"--schema: cannot read {item!r} (name:type, types {', '.join(sorted(TYPE_NAMES))})")
        schema[name.strip()] = TYPE_NAMES[type_text.strip().lower()]
    return schema


def delimiter_option(text: str) -> str:
    if text in ("\\t", "tab", "\t"):
        return "\t"
    if len(text) != 1:
        raise Failure(f"--delimiter must be one character, not {text!r}")
    return text


def convert(args) -> int:
    started = time.monotonic()
    if os.path.exists(args.output) and not args.overwrite:
        raise Failure(f"{args.output} already exists; pass --overwrite to replace it")
    data = read_input(args.input)
    if data.startswith(b"PAR1"):
        pq.write_table(pq.read_table(pa.BufferReader(data)), args.output, compression=CODECS[args.compression])
        return 0
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    delimiter = delimiter_option(args.delimiter) if args.delimiter else detect_delimiter(text)
    all_records = list(records(text, delimiter))
    width_source = next((r for r in all_records if not r.blank), None)
    if width_source is None:
        raise Failure(f"{args.input}: no header and no rows")
    width = len(width_source.fields)
    if width > 1:
        all_records = [r for r in all_records if not r.blank]
    else:
        # One column: a blank line is a null value, except the one a final line end leaves behind.
        all_records = [r for r in all_records if not (r.blank and r is all_records[-1])]
    first_index = all_records.index(width_source)
    body = all_records[first_index + 1:]
    if args.no_header or not looks_like_header(width_source, body):
        names = [f"column{i}" for i in range(width)]
        body = all_records[first_index:]
    else:
        names = column_names([value for value, _ in width_source.fields])
    schema = parse_schema(args.schema) if args.schema else {}
    for name in schema:
        if name not in names:
            raise Failure(f"--schema names {name!r}, which is not a column ({', '.join(names)})")
    shift = 1 if BREAK == "line" else 0

    # Structural and value problems, in file order.
    problems: list[tuple[Record, str, int | None, str]] = []  # (record, reason, column index, action)
    kept: list[Row] = []
    for record in body:
        if record.unterminated:
            problems.append((record, "unterminated quote at the end of the input", None, "drop"))
            continue
        if len(record.fields) > width:
            problems.append((record, f"{len(record.fields)} fields, expected {width}", None, "drop"))
            continue
        row = Row(record, list(record.fields), set(range(len(record.fields), width)))
        if row.nulled:
            problems.append((record, f"{len(record.fields)} fields, expected {width}", None, "pad"))
            row.cells += [("", False)] * len(row.nulled)
        for i, name in enumerate(names):
            if name in schema and i not in row.nulled:
                text, quoted = row.cells[i]
                if not convert_value(text, quoted, schema[name])[0]:
                    row.nulled.add(i)
                    problems.append((record, f'cannot parse "{text}" as {schema[name]}', i, "null"))
        kept.append(row)

    if problems and args.on_error == "fail":
        record, reason, column, _ = problems[0]
        where = f"column '{names[column]}' ({column + 1}): " if column is not None else ""
        raise Failure(f"{args.input}:{record.line + shift}: {where}{reason}", record.raw)

    rejects: list[list[str]] = []
    dropped_lines: set[int] = set()
    fields_nulled = 0
    for record, reason, column, action in problems:
        if args.on_error == "skip" or action == "drop":
            if record.line not in dropped_lines:
                rejects.append([str(record.line + shift), "", reason, record.raw])
                dropped_lines.add(record.line)
        elif action == "pad":
            for i in range(len(record.fields), width):
                rejects.append([str(record.line + shift), names[i], "missing field", record.raw])
                fields_nulled += 1
        else:
            rejects.append([str(record.line + shift), names[column], reason, record.raw])
            fields_nulled += 1
    rows = [row for row in kept if row.record.line not in dropped_lines]

    # Types over every kept value (or the sample only, when broken on purpose).
    sample = rows[: args.sample_rows] if BREAK == "sample" else rows
    types = [schema.get(name) or infer([row.cells[i] for row in sample if i not in row.nulled])
             for i, name in enumerate(names)]

    arrays = []
    for i, name in enumerate(names):
        values = []
        for row in rows:
            if i in row.nulled:
                values.append(None)
                continue
            ok, value = convert_value(row.cells[i][0], row.cells[i][1], types[i])
            if not ok:
                raise Failure(f"{args.input}:{row.record.line + shift}: column '{name}' ({i + 1}): "
                              f"cannot parse \"{row.cells[i][0]}\" as {types[i]}", row.record.raw)
            values.append(value)
        type_name = "int64" if types[i] == "int32" and BREAK == "type" else types[i]
        arrays.append(pa.array(values, arrow_type(type_name)))
    table = pa.table(arrays, names=names)
    if BREAK == "value":
        table = change_one_value(table)

    directory = os.path.dirname(os.path.abspath(args.output))
    temporary = os.path.join(directory, f".{os.path.basename(args.output)}.partial")
    pq.write_table(table, temporary, compression=CODECS[args.compression], compression_level=args.level,
                   row_group_size=args.row_group_rows, store_schema=False)
    os.replace(temporary, args.output)
    if args.rejects:
        if BREAK == "reject" and rejects:
            rejects.pop()
        with open(args.rejects, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["line", "column", "reason", "raw"])
            writer.writerows(rejects)
    if not args.quiet:
        summary = (f"wrote {table.num_rows} rows to {args.output} ({os.path.getsize(args.output)} bytes, "
                   f"{args.compression.upper()}) in {time.monotonic() - started:.2f} s; "
                   f"{len(dropped_lines)} rows rejected")
        if args.on_error == "null":
            summary += f", {fields_nulled} fields set to null"
        print(summary, file=sys.stderr)
    return 0


def change_one_value(table: pa.Table) -> pa.Table:
    """The first non-null value of the last column, changed."""
    if table.num_rows == 0:
        return table
    index = table.num_columns - 1
    values = table.column(index).to_pylist()
    for row, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, bool):
            values[row] = not value
        elif isinstance(value, str):
            values[row] = value + "!"
        elif isinstance(value, (int, float)):
            values[row] = value + 1
        else:
            values[row] = value + datetime.timedelta(days=1)
        break
    return table.set_column(index, table.field(index), pa.array(values, table.column(index).type))


def main() -> int:
    parser = argparse.ArgumentParser(prog="sparrow")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("convert")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--compression", default="zstd", choices=sorted(CODECS))
    p.add_argument("--level", type=int)
    p.add_argument("--row-group-rows", type=int)
    p.add_argument("--delimiter")
    p.add_argument("--no-header", action="store_true")
    p.add_argument("--schema")
    p.add_argument("--sample-rows", type=int, default=20480)
    p.add_argument("--on-error", choices=["fail", "skip", "null"], default="fail")
    p.add_argument("--rejects")
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--threads", type=int)
    args = parser.parse_args()
    try:
        return convert(args)
    except Failure as failure:
        if BREAK == "leftover":
            open(args.output, "wb").close()
        print(f"sparrow: error: {failure}", file=sys.stderr)
        if failure.raw is not None:
            print(f"  raw: {failure.raw}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Golden jsonl producer: formats a pyarrow Table exactly as `sparrow scan --format jsonl` must.

Expected values for Sparrow's reader come from pyarrow (a peer implementation), formatted here by the
rules of the output conventions (one compact JSON object per row, keys in column order). Use it as a
library (`table_to_jsonl_lines`, `parquet_to_jsonl_lines`) or from the command line:

    sparrow_json.py FILE.parquet [--select a,b] [--limit N]

Rules worth knowing:

* Floats print as Swift's `description` does, which is the shortest digit string that round-trips at the
  column's own precision (float16/float32/float64), laid out like this (checked by running Swift itself:
  `check_float_format.py` compares every float16, and ~10^5 float32 and float64 values incl. edge cases,
  with `swiftc`-compiled output):
    - zero is `0.0` / `-0.0`;
    - with the shortest digits d1 d2 ... dn and decimal exponent E (value = d1.d2...dn x 10^E),
      exponential form `d1.d2...dne+XX` / `e-XX` (at least two exponent digits, no `.` for a single
      digit: `1e+20`, `5e-324`) is used when E < -4, or when |x| > 2^53 (float64) / |x| > 2^24
      (float32): Swift prints integers exactly only up to the largest exactly representable run;
      float16 never reaches that bound;
    - otherwise plain decimal: `0.0001`, `123.456`, and integral values get `.0` (`100.0`,
      `9007199254740992.0`); float16 writes integral values exactly (`65504.0`, where the shortest
      digits would be 6.55e4).
  NaN, +inf and -inf are the JSON strings "NaN", "Infinity", "-Infinity".
* Decimals print with exactly `scale` fraction digits (`12.30`, `-0.05`, `123`).
* Dates and timestamps use the proleptic Gregorian calendar computed from integers (so years outside
  1...9999 work): years 0...9999 as four digits, others as ISO 8601 expanded years (`+10000`, `-0001`).
  Times and timestamps carry 3/6/9 fraction digits for ms/us/ns. A Parquet file has no seconds unit;
  when pyarrow restores one from the stored Arrow schema the file itself holds milliseconds, so a
  seconds unit prints 3 digits, like Sparrow will. Any time zone on a timestamp means the Parquet
  column is isAdjustedToUTC, so the UTC value prints with a trailing `Z`.
* UUID: pyarrow 26 reads the Parquet UUID logical type as the `arrow.uuid` extension type
  (`arrow_extensions_enabled` defaults to True), which prints as lowercase 8-4-4-4-12 text. A plain
  fixed_size_binary(16) without the extension stays base64.
* Strings: invalid UTF-8 becomes U+FFFD; JSON escaping as json.dumps(ensure_ascii=False) does it
  (\\" \\\\ \\n \\r \\t \\b \\f, other control characters as \\u00xx).
* Binary, fixed_size_binary: base64 with padding. Dictionary arrays are decoded. Durations (pyarrow
  writes them as plain INT64) print as integers. Extension types other than uuid print their storage.
* Maps with string (or large/view string) keys print as objects in entry order, duplicates kept; other
  key types as arrays of {"key":k,"value":v}.
* INTERVAL (FLBA(12), e.g. from DuckDB) has no Arrow counterpart: pyarrow reads fixed_size_binary(12).
  `parquet_to_jsonl_lines` finds INTERVAL leaves in the Parquet schema and prints them as
  {"months":m,"days":d,"milliseconds":ms} (three little-endian uint32); `table_to_jsonl_lines` alone
  only does so when given those flags. A month_day_nano_interval (DuckDB's reading of INTERVAL)
  prints the same object with nanoseconds // 10^6 as milliseconds.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import sys
from decimal import Decimal
from typing import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

# ---------------------------------------------------------------------------------------------------
# Floats

_NAN = '"NaN"'
_INF = '"Infinity"'
_NEG_INF = '"-Infinity"'
_FLOAT64_EXACT_LIMIT = 2.0 ** 53
_FLOAT32_EXACT_LIMIT = 2.0 ** 24


def _layout(negative: bool, digits: str, exp10: int, force_exponential: bool) -> str:
    """Lays out shortest digits `d1d2...` with value d1.d2... x 10^exp10 the way Swift does."""
    if exp10 < -4 or force_exponential:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        text = f"{mantissa}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}"
    elif exp10 < 0:
        text = "0." + "0" * (-exp10 - 1) + digits
    elif exp10 + 1 < len(digits):
        text = digits[: exp10 + 1] + "." + digits[exp10 + 1:]
    else:
        text = digits + "0" * (exp10 + 1 - len(digits)) + ".0"
    return "-" + text if negative else text


def _split_scientific(text: str) -> tuple[bool, str, int]:
    """Splits a finite non-zero number's text ('-1.2345e+02', '1e-05', '123.0') into
    (negative, significant digits without trailing zeros, decimal exponent of the first digit)."""
    sign, digit_tuple, exponent = Decimal(text).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    return bool(sign), digits, exponent + len(digits) - 1


def _special(x: float) -> str | None:
    if math.isnan(x):
        return _NAN
    if math.isinf(x):
        return _INF if x > 0 else _NEG_INF
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    return None


def format_float64(x: float) -> str:
    """JSON text of a float64 value as Sparrow prints it (see the module docstring)."""
    x = float(x)
    special = _special(x)
    if special is not None:
        return special
    # Python's repr is the shortest round-tripping digit string, closest to the exact value.
    negative, digits, exp10 = _split_scientific(repr(x))
    return _layout(negative, digits, exp10, abs(x) > _FLOAT64_EXACT_LIMIT)


def format_float32(x) -> str:
    """JSON text of a float32 value: shortest digits at float32 precision (numpy's Dragon4, unique)."""
    v = np.float32(x)
    special = _special(float(v))
    if special is not None:
        return special
    negative, digits, exp10 = _split_scientific(np.format_float_scientific(v, unique=True, trim="-"))
    return _layout(negative, digits, exp10, abs(float(v)) > _FLOAT32_EXACT_LIMIT)


def format_float16(x) -> str:
    """JSON text of a float16 value: shortest digits at float16 precision."""
    v = np.float16(x)
    special = _special(float(v))
    if special is not None:
        return special
    if float(v).is_integer():
        # Swift writes float16's integer part exactly (65504.0, where the shortest digits are 6.55e4).
        return f"{int(v)}.0"
    negative, digits, exp10 = _split_scientific(np.format_float_scientific(v, unique=True, trim="-"))
    return _layout(negative, digits, exp10, False)


# ---------------------------------------------------------------------------------------------------
# Decimals, dates and times

def format_decimal(value: Decimal, scale: int) -> str:
    """Exactly `scale` fraction digits, no exponent: 12.30, -0.05, 123."""
    sign, digit_tuple, exponent = value.as_tuple()
    unscaled = int("".join(map(str, digit_tuple)) or "0")
    # Bring the unscaled integer to the column's scale (pyarrow already gives exponent == -scale).
    shift = -exponent - scale
    if shift > 0:
        unscaled, rest = divmod(unscaled, 10 ** shift)
        if rest:
            raise ValueError(f"decimal {value} has more than {scale} fraction digits")
    elif shift < 0:
        unscaled *= 10 ** (-shift)
    text = str(unscaled)
    if scale > 0:
        text = text.rjust(scale + 1, "0")
        text = text[:-scale] + "." + text[-scale:]
    elif scale < 0:
        text = text + "0" * (-scale) if unscaled else "0"
    return "-" + text if sign and unscaled else text


def civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01 in the proleptic Gregorian calendar.

    Howard Hinnant's `civil_from_days`, valid for any integer.
    """
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def _year_text(year: int) -> str:
    if 0 <= year <= 9999:
        return f"{year:04d}"
    return f"{'+' if year > 0 else '-'}{abs(year):04d}"


def date_text(days: int) -> str:
    """YYYY-MM-DD for a day count since the epoch (ISO 8601 expanded years outside 0...9999)."""
    y, m, d = civil_from_days(days)
    return f"{_year_text(y)}-{m:02d}-{d:02d}"


_UNITS_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _fraction_digits(unit: str) -> int:
    # Parquet has no seconds unit: a pyarrow 's' column came from a MILLIS Parquet column.
    return {"s": 3, "ms": 3, "us": 6, "ns": 9}[unit]


def time_of_day_text(value: int, unit: str) -> str:
    """HH:MM:SS.fff (3/6/9 fraction digits) for a count of `unit` since midnight."""
    per_second = _UNITS_PER_SECOND[unit]
    seconds, fraction = divmod(value, per_second)
    digits = _fraction_digits(unit)
    fraction = fraction * 10 ** digits // per_second
    h, rem = divmod(seconds, 3600)
    mnt, sec = divmod(rem, 60)
    return f"{h:02d}:{mnt:02d}:{sec:02d}.{fraction:0{digits}d}"


def timestamp_text(value: int, unit: str, utc: bool) -> str:
    """YYYY-MM-DDTHH:MM:SS.fff[Z] for a count of `unit` since the epoch."""
    per_day = _UNITS_PER_SECOND[unit] * 86400
    days, within = divmod(value, per_day)
    text = date_text(days) + "T" + time_of_day_text(within, unit)
    return text + "Z" if utc else text


def uuid_text(raw: bytes) -> str:
    h = raw.hex()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def string_json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------
# Arrays -> JSON fragments (one string per element)

def _map_none(values: list, fn: Callable) -> list[str]:
    return ["null" if v is None else fn(v) for v in values]


def _valid_mask(array: pa.Array) -> list[bool]:
    return array.is_valid().to_pylist()


def _is_string_like(t: pa.DataType) -> bool:
    if isinstance(t, pa.ExtensionType):
        t = t.storage_type
    if pa.types.is_dictionary(t):
        t = t.value_type
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


class LeafFlags:
    """Which Parquet leaf columns of one top-level column are INTERVAL, in depth-first order.

    Arrow has no type for Parquet's INTERVAL (pyarrow reads it as fixed_size_binary(12)), so the flags
    come from the Parquet schema and are consumed leaf by leaf while walking the Arrow array.
    """

    def __init__(self, flags: Sequence[bool]):
        self.flags = list(flags)
        self.position = 0

    def take(self) -> bool:
        flag = self.flags[self.position] if self.position < len(self.flags) else False
        self.position += 1
        return flag


def interval_text(raw: bytes) -> str:
    months, days, millis = (int.from_bytes(raw[i:i + 4], "little") for i in (0, 4, 8))
    return f'{{"months":{months},"days":{days},"milliseconds":{millis}}}'


def array_fragments(array: pa.Array, leaves: LeafFlags | None = None) -> list[str]:
    """JSON text for every element of `array` (null -> 'null')."""
    t = array.type

    # Wrappers and nested types: the Parquet leaves are further down.
    if isinstance(array, pa.ExtensionArray):
        if isinstance(t, pa.UuidType):
            if leaves is not None:
                leaves.take()
            return _map_none(array.storage.to_pylist(), lambda b: f'"{uuid_text(b)}"')
        return array_fragments(array.storage, leaves)
    if pa.types.is_dictionary(t):
        return array_fragments(array.dictionary_decode(), leaves)
    if pa.types.is_map(t):
        return _map_fragments(array, leaves)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        child = array_fragments(array.values, leaves)
        offsets = array.offsets.to_pylist()
        valid = _valid_mask(array)
        return ["[" + ",".join(child[offsets[i]:offsets[i + 1]]) + "]" if valid[i] else "null"
                for i in range(len(array))]
    if pa.types.is_fixed_size_list(t):
        size = t.list_size
        child = array_fragments(array.values, leaves)  # .values ignores the array's offset
        base = array.offset
        valid = _valid_mask(array)
        return ["[" + ",".join(child[(base + i) * size:(base + i + 1) * size]) + "]" if valid[i] else "null"
                for i in range(len(array))]
    if pa.types.is_list_view(t) or pa.types.is_large_list_view(t):
        return array_fragments(array.cast(pa.large_list(t.value_type)), leaves)
    if pa.types.is_struct(t):
        names = [string_json(t.field(j).name) for j in range(t.num_fields)]
        children = [array_fragments(array.field(j), leaves) for j in range(t.num_fields)]  # offset applied
        valid = _valid_mask(array)
        return ["{" + ",".join(f"{names[j]}:{children[j][i]}" for j in range(len(names))) + "}"
                if valid[i] else "null" for i in range(len(array))]

    # A leaf.
    is_interval = leaves.take() if leaves is not None else False
    if pa.types.is_null(t):
        return ["null"] * len(array)
    if pa.types.is_boolean(t):
        return _map_none(array.to_pylist(), lambda v: "true" if v else "false")
    if pa.types.is_integer(t):
        return _map_none(array.to_pylist(), str)
    if pa.types.is_float16(t):
        # View as uint16 so the result does not depend on how pyarrow boxes float16 scalars.
        bits = array.view(pa.uint16()).to_pylist()
        return _map_none(bits, lambda b: format_float16(np.array(b, dtype=np.uint16).view(np.float16)))
    if pa.types.is_float32(t):
        return _map_none(array.to_pylist(), format_float32)
    if pa.types.is_float64(t):
        return _map_none(array.to_pylist(), format_float64)
    if pa.types.is_decimal(t):
        scale = t.scale
        return _map_none(array.to_pylist(), lambda v: format_decimal(v, scale))
    if pa.types.is_date32(t):
        return _map_none(array.view(pa.int32()).to_pylist(), lambda d: f'"{date_text(d)}"')
    if pa.types.is_date64(t):
        return _map_none(array.view(pa.int64()).to_pylist(), lambda ms: f'"{date_text(ms // 86_400_000)}"')
    if pa.types.is_time(t):
        storage = pa.int32() if pa.types.is_time32(t) else pa.int64()
        unit = t.unit
        return _map_none(array.view(storage).to_pylist(), lambda v: f'"{time_of_day_text(v, unit)}"')
    if pa.types.is_timestamp(t):
        unit, utc = t.unit, t.tz is not None
        if unit == "s":
            # Parquet stored milliseconds; keep the digits Sparrow will print.
            array = array.cast(pa.timestamp("ms", t.tz))
            unit = "ms"
        return _map_none(array.view(pa.int64()).to_pylist(), lambda v: f'"{timestamp_text(v, unit, utc)}"')
    if t == pa.month_day_nano_interval():
        # How DuckDB hands over a Parquet INTERVAL (milliseconds scaled to nanoseconds).
        return _map_none(array.to_pylist(), lambda v: f'{{"months":{v.months},"days":{v.days},'
                                                      f'"milliseconds":{v.nanoseconds // 1_000_000}}}')
    if pa.types.is_duration(t):
        return _map_none(array.view(pa.int64()).to_pylist(), str)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        raw = array.cast(pa.large_binary()).to_pylist()
        return _map_none(raw, lambda b: string_json(b.decode("utf-8", errors="replace")))
    if is_interval and pa.types.is_fixed_size_binary(t) and t.byte_width == 12:
        return _map_none(array.to_pylist(), interval_text)
    if (pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t)
            or pa.types.is_fixed_size_binary(t)):
        return _map_none(array.to_pylist(), lambda b: '"' + base64.b64encode(b).decode("ascii") + '"')
    raise TypeError(f"sparrow_json: no jsonl rule for Arrow type {t}")


def _map_fragments(array: pa.MapArray, leaves: LeafFlags | None) -> list[str]:
    keys = array_fragments(array.keys, leaves)
    items = array_fragments(array.items, leaves)
    offsets = array.offsets.to_pylist()
    valid = _valid_mask(array)
    as_object = _is_string_like(array.type.key_type)
    out = []
    for i in range(len(array)):
        if not valid[i]:
            out.append("null")
            continue
        entries = range(offsets[i], offsets[i + 1])
        if as_object:
            out.append("{" + ",".join(f"{keys[k]}:{items[k]}" for k in entries) + "}")
        else:
            out.append("[" + ",".join('{"key":' + keys[k] + ',"value":' + items[k] + "}" for k in entries) + "]")
    return out


def column_fragments(column: pa.ChunkedArray | pa.Array, leaf_flags: Sequence[bool] | None = None) -> list[str]:
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out: list[str] = []
    for chunk in chunks:
        out.extend(array_fragments(chunk, LeafFlags(leaf_flags) if leaf_flags else None))
    return out


def table_to_jsonl_lines(table: pa.Table, interval_leaves: dict[str, Sequence[bool]] | None = None) -> list[str]:
    """One compact JSON object per row, keys in column order, no trailing newline.

    `interval_leaves` maps a column name to its leaves' INTERVAL flags (see `parquet_interval_leaves`).
    """
    interval_leaves = interval_leaves or {}
    names = [string_json(n) for n in table.schema.names]
    columns = [column_fragments(table.column(i), interval_leaves.get(table.schema.names[i]))
               for i in range(table.num_columns)]
    return ["{" + ",".join(f"{names[j]}:{columns[j][i]}" for j in range(len(names))) + "}"
            for i in range(table.num_rows)]


def _leaf_count(t: pa.DataType) -> int:
    if isinstance(t, pa.ExtensionType):
        return _leaf_count(t.storage_type)
    if pa.types.is_struct(t):
        return sum(_leaf_count(t.field(j).type) for j in range(t.num_fields))
    if pa.types.is_map(t):
        return _leaf_count(t.key_type) + _leaf_count(t.item_type)
    if (pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t)
            or pa.types.is_list_view(t) or pa.types.is_large_list_view(t)):
        return _leaf_count(t.value_type)
    return 1


def parquet_interval_leaves(path: str) -> dict[str, list[bool]]:
    """Top-level column name -> INTERVAL flag of each of its Parquet leaves; {} when there is none."""
    parquet_schema = pq.ParquetFile(path).schema
    flags = []
    for i in range(len(parquet_schema)):
        column = parquet_schema.column(i)
        flags.append(column.converted_type == "INTERVAL" or str(column.logical_type) == "Interval")
    if not any(flags):
        return {}
    result: dict[str, list[bool]] = {}
    position = 0
    for field in pq.read_schema(path):
        count = _leaf_count(field.type)
        result[field.name] = flags[position:position + count]
        position += count
    return result


def read_parquet(path: str, columns: Sequence[str] | None = None) -> pa.Table:
    """The table pyarrow reads from `path`, optionally only the given top-level columns, in that order."""
    table = pq.read_table(path, columns=list(columns) if columns is not None else None)
    if columns is not None:
        table = table.select(list(columns))
    return table


def parquet_to_jsonl_lines(path: str, columns: Sequence[str] | None = None,
                           limit: int | None = None) -> list[str]:
    table = read_parquet(path, columns)
    if limit is not None:
        table = table.slice(0, limit)
    return table_to_jsonl_lines(table, parquet_interval_leaves(path))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print a Parquet file (read by pyarrow) as Sparrow jsonl.")
    parser.add_argument("path")
    parser.add_argument("--select", help="comma-separated top-level columns")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    columns = args.select.split(",") if args.select else None
    out = sys.stdout
    for line in parquet_to_jsonl_lines(args.path, columns, args.limit):
        out.write(line)
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

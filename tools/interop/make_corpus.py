#!/usr/bin/env python3
"""Writes the interop corpus: Parquet files made by pyarrow, DuckDB and polars.

    make_corpus.py OUT_DIR

The corpus covers every type Sparrow reads (ints signed/unsigned, float16/32/64 with NaN, ±0.0, ±inf
and extremes, decimals of precision 1...38 as INT32/INT64/FLBA and 39...76 as FLBA, dates, times,
timestamps naive/UTC/zoned, strings with unicode/empty/escapes, binary, fixed-size binary, UUID, JSON,
INTERVAL, dictionary columns, null columns, lists, large and fixed-size lists, structs, maps),
every codec (none, snappy, gzip, zstd, lz4_raw, brotli; pyarrow 26 writes LZ4_RAW for 'lz4' too,
so the deprecated Hadoop LZ4 comes only from parquet-testing), the encodings PLAIN, dictionary
(and dictionaries that fall back to PLAIN), RLE booleans, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY,
DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT, data pages v1 and v2, several row groups, many small pages,
page indexes, CRCs and bloom filters, and files with 0 rows, 1 row and all-null columns.

Everything is deterministic (seeded), small (a few MB) and quick (seconds). `corpus.json` in OUT_DIR
lists each file with its writer and what it is for.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import sys
import uuid

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

ROWS = 2000
CODECS_PYARROW = ["none", "snappy", "gzip", "zstd", "lz4_raw", "brotli"]


class Corpus:
    def __init__(self, out_dir: str):
        self.out_dir = out_dir
        self.entries: dict[str, dict] = {}

    def path(self, name: str) -> str:
        return os.path.join(self.out_dir, name)

    def add(self, name: str, writer: str, about: str) -> None:
        self.entries[name] = {"writer": writer, "about": about}

    def pyarrow(self, name: str, table: pa.Table, about: str, **options) -> None:
        options.setdefault("compression", "snappy")
        pq.write_table(table, self.path(name), **options)
        shown = {k: v for k, v in options.items() if k != "bloom_filter_options"}
        self.add(name, "pyarrow " + pa.__version__, f"{about} ({shown})")


# ---------------------------------------------------------------------------------------------------
# Data

def _with_nulls(values: list, every: int, offset: int = 3) -> list:
    return [None if (i + offset) % every == 0 else v for i, v in enumerate(values)]


def _ints(rng, n: int, bits: int, signed: bool) -> list[int]:
    lo, hi = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    extremes = [lo, hi, 0, 1, lo + 1, hi - 1] + ([-1] if signed else [])
    rest = [int(x) for x in rng.integers(lo, hi, size=n - len(extremes), endpoint=True, dtype=np.uint64 if not signed and bits == 64 else np.int64)]
    return extremes + rest


FLOAT64_SPECIAL = [0.0, -0.0, float("nan"), float("inf"), float("-inf"), 5e-324, -5e-324, 2.2250738585072014e-308,
                   1.7976931348623157e308, -1.7976931348623157e308, 0.1, 1e16, 9.1e15, 9007199254740992.0,
                   9007199254740993.0, 1e-5, 1e-4, 123.456, 1e20, -1.5]
FLOAT32_SPECIAL = [0.0, -0.0, float("nan"), float("inf"), float("-inf"), 1e-45, 1.17549435e-38, 3.4028235e38,
                   -3.4028235e38, 0.1, 16777216.0, 16777218.0, 1e-5, 1e7, 1e8, 0.3333333]
FLOAT16_SPECIAL = [0.0, -0.0, float("nan"), float("inf"), float("-inf"), 6e-8, 6.1e-5, 65504.0, -65504.0, 0.1,
                   2049.0, 0.0001, 1e-5, 0.333]

STRINGS = ["", "a", "é", "中文字符", "🐦 sparrow", 'quote " backslash \\', "new\nline\ttab\rcr", "\b\f\x01\x1f\x7f",
           "ümlaut Ünïcödé", "x" * 300, " leading and trailing ", "null", "NULL", "{\"json\": 1}", "\u2028\u2029",
           "zero\x00byte"]


def _floats(rng, n: int, special: list[float], dtype) -> list:
    values = list(special) + [float(x) for x in (rng.standard_normal(n - len(special)) * 1000).astype(dtype)]
    return values


_WIDE = decimal.Context(prec=100)


def _dec(unscaled: int, scale: int) -> decimal.Decimal:
    """unscaled x 10^-scale, exactly (the default context would round past 28 digits)."""
    return decimal.Decimal(unscaled).scaleb(-scale, context=_WIDE)


def _decimal_values(rng, n: int, precision: int, scale: int) -> list:
    top = 10 ** precision - 1
    unscaled = [top, -top, 0, 1, -1] + [int(rng.integers(-(10 ** min(precision, 18)) + 1, 10 ** min(precision, 18)))
                                         * (10 ** max(0, precision - 18)) for _ in range(n - 5)]
    unscaled = [max(-top, min(top, u)) for u in unscaled]
    return [_dec(u, scale) for u in unscaled]


DECIMALS = [(1, 0), (1, 1), (4, 2), (9, 3), (10, 0), (18, 6), (19, 2), (28, 10), (38, 0), (38, 38)]
DECIMALS_WIDE = [(39, 5), (50, 20), (76, 38)]


def flat_table(n: int = ROWS, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)
    cols: dict[str, pa.Array] = {}
    cols["id"] = pa.array(range(n), pa.int64())
    cols["bool"] = pa.array(_with_nulls([bool(x) for x in rng.integers(0, 2, n)], 7), pa.bool_())
    for bits in (8, 16, 32, 64):
        cols[f"int{bits}"] = pa.array(_with_nulls(_ints(rng, n, bits, True), 11), getattr(pa, f"int{bits}")())
        cols[f"uint{bits}"] = pa.array(_with_nulls(_ints(rng, n, bits, False), 13), getattr(pa, f"uint{bits}")())
    cols["float16"] = pa.array(np.array(_floats(rng, n, FLOAT16_SPECIAL, np.float16), np.float16), pa.float16(),
                               mask=np.array([i % 17 == 5 for i in range(n)]))
    cols["float32"] = pa.array(_with_nulls(_floats(rng, n, FLOAT32_SPECIAL, np.float32), 17), pa.float32())
    cols["float64"] = pa.array(_with_nulls(_floats(rng, n, FLOAT64_SPECIAL, np.float64), 19), pa.float64())
    days = [0, -1, -719528, -719529, 2932896, 2932897, 19753, -25567, 2 ** 31 - 1, -(2 ** 31)]
    days += [int(x) for x in rng.integers(-200_000, 200_000, n - len(days))]
    cols["date32"] = pa.array(_with_nulls(days, 23), pa.date32())
    cols["date64"] = pa.array(_with_nulls([d * 86_400_000 for d in days[:2] + days[10:]] + [0] * 8, 29), pa.date64())
    ms_day = 86_400_000
    cols["time32_ms"] = pa.array(_with_nulls([0, ms_day - 1] + [int(x) for x in rng.integers(0, ms_day, n - 2)], 5),
                                 pa.time32("ms"))
    cols["time64_us"] = pa.array(_with_nulls([0, ms_day * 1000 - 1] + [int(x) for x in rng.integers(0, ms_day * 1000, n - 2)], 5),
                                 pa.time64("us"))
    cols["time64_ns"] = pa.array(_with_nulls([0, ms_day * 10 ** 6 - 1] + [int(x) for x in rng.integers(0, ms_day * 10 ** 6, n - 2)], 5),
                                 pa.time64("ns"))
    ts_us = [0, -1, 1706702400000001, -62135596800000000, 253402300799999999, -62167219200000000, 1]
    ts_us += [int(x) for x in rng.integers(-2_000_000_000_000_000, 4_000_000_000_000_000, n - len(ts_us))]
    ts_ns = [0, -1, 2 ** 63 - 1, -(2 ** 63) + 1, 1706702400000000001]
    ts_ns += [int(x) for x in rng.integers(-(2 ** 62), 2 ** 62, n - len(ts_ns))]
    cols["ts_ms"] = pa.array(_with_nulls([v // 1000 for v in ts_us], 7), pa.timestamp("ms"))
    cols["ts_us"] = pa.array(_with_nulls(ts_us, 7), pa.timestamp("us"))
    cols["ts_ns"] = pa.array(_with_nulls(ts_ns, 7), pa.timestamp("ns"))
    cols["ts_s"] = pa.array(_with_nulls([v // 1_000_000 for v in ts_us], 7), pa.timestamp("s"))
    cols["ts_ms_utc"] = pa.array(_with_nulls([v // 1000 for v in ts_us], 8), pa.timestamp("ms", "UTC"))
    cols["ts_us_utc"] = pa.array(_with_nulls(ts_us, 8), pa.timestamp("us", "UTC"))
    cols["ts_ns_utc"] = pa.array(_with_nulls(ts_ns, 8), pa.timestamp("ns", "UTC"))
    cols["ts_us_new_york"] = pa.array(_with_nulls(ts_us, 9), pa.timestamp("us", "America/New_York"))
    strings = [STRINGS[i % len(STRINGS)] if i < 64 else f"s{int(x)}" for i, x in enumerate(rng.integers(0, 10 ** 6, n))]
    cols["string"] = pa.array(_with_nulls(strings, 7), pa.string())
    cols["large_string"] = pa.array(_with_nulls(strings[::-1], 9), pa.large_string())
    blobs = [b"", b"\x00", b"\xff\xfe\x00\x01", "é".encode()] + [rng.bytes(int(k)) for k in rng.integers(0, 40, n - 4)]
    cols["binary"] = pa.array(_with_nulls(blobs, 7), pa.binary())
    cols["large_binary"] = pa.array(_with_nulls(blobs[::-1], 9), pa.large_binary())
    cols["fixed_binary5"] = pa.array(_with_nulls([rng.bytes(5) for _ in range(n)], 7), pa.binary(5))
    uuids = [uuid.UUID(int=0).bytes, uuid.UUID(int=2 ** 128 - 1).bytes] + [rng.bytes(16) for _ in range(n - 2)]
    cols["uuid"] = pa.array(_with_nulls(uuids, 7), pa.uuid())
    cols["json"] = pa.array(_with_nulls([json.dumps({"k": i, "s": STRINGS[i % 5]}) for i in range(n)], 7), pa.json_())
    cols["dictionary"] = pa.array(_with_nulls([["red", "green", "blue", "é"][i % 4] for i in range(n)], 7)).dictionary_encode()
    cols["duration_ms"] = pa.array(_with_nulls([int(x) for x in rng.integers(-10 ** 12, 10 ** 12, n)], 7), pa.duration("ms"))
    cols["null"] = pa.nulls(n)
    cols["decimal_9_2"] = pa.array(_with_nulls(_decimal_values(rng, n, 9, 2), 7), pa.decimal128(9, 2))
    cols["decimal_38_10"] = pa.array(_with_nulls(_decimal_values(rng, n, 38, 10), 7), pa.decimal128(38, 10))
    cols["decimal_50_20"] = pa.array(_with_nulls(_decimal_values(rng, n, 50, 20), 7), pa.decimal256(50, 20))
    return pa.table(cols)


def decimal_table(n: int = ROWS, seed: int = 2) -> pa.Table:
    rng = np.random.default_rng(seed)
    cols = {}
    for p, s in DECIMALS:
        cols[f"d_{p}_{s}"] = pa.array(_with_nulls(_decimal_values(rng, n, p, s), 11), pa.decimal128(p, s))
    for p, s in DECIMALS_WIDE:
        cols[f"d_{p}_{s}"] = pa.array(_with_nulls(_decimal_values(rng, n, p, s), 11), pa.decimal256(p, s))
    return pa.table(cols)


def nested_table(n: int = 1000, seed: int = 3) -> pa.Table:
    rng = np.random.default_rng(seed)

    def int_list(i):
        if i % 9 == 0:
            return None
        if i % 9 == 1:
            return []
        return [None if (i + k) % 5 == 0 else int(rng.integers(-1000, 1000)) for k in range(int(rng.integers(1, 6)))]

    def str_list(i):
        return None if i % 8 == 0 else [STRINGS[(i + k) % len(STRINGS)] if (i + k) % 6 else None for k in range(i % 4)]

    cols = {}
    cols["id"] = pa.array(range(n), pa.int32())
    cols["list_int"] = pa.array([int_list(i) for i in range(n)], pa.list_(pa.int32()))
    cols["list_string"] = pa.array([str_list(i) for i in range(n)], pa.list_(pa.string()))
    cols["large_list_int64"] = pa.array([None if i % 10 == 3 else list(range(i % 5)) for i in range(n)],
                                        pa.large_list(pa.int64()))
    cols["fixed_list_float"] = pa.array([None if i % 7 == 0 else [float(i), None if i % 3 == 0 else -0.5, float("nan") if i % 11 == 0 else 1e-3]
                                         for i in range(n)], pa.list_(pa.float32(), 3))
    cols["list_list"] = pa.array([None if i % 6 == 0 else [None if (i + k) % 4 == 0 else [int(x) for x in range(k)] for k in range(i % 4)]
                                  for i in range(n)], pa.list_(pa.list_(pa.int16())))
    struct_t = pa.struct([("a", pa.int32()), ("b", pa.string()), ("c", pa.list_(pa.float64()))])
    cols["struct"] = pa.array([None if i % 10 == 0 else {"a": None if i % 3 == 0 else i, "b": STRINGS[i % len(STRINGS)],
                                                         "c": None if i % 4 == 0 else [i / 7, -0.0]} for i in range(n)], struct_t)
    inner_t = pa.struct([("inner", pa.struct([("x", pa.int64()), ("y", pa.bool_())])), ("z", pa.date32())])
    cols["struct_struct"] = pa.array([None if i % 12 == 0 else {"inner": None if i % 5 == 0 else {"x": i * 1000003, "y": None if i % 2 else i % 3 == 0},
                                                                "z": i * 10} for i in range(n)], inner_t)
    cols["map_string_int"] = pa.array([None if i % 9 == 4 else ([("k", 1), ("k", 2)] if i == 1 else [(f"key{k}", None if k == 2 else k * i) for k in range(i % 4)])
                                       for i in range(n)], pa.map_(pa.string(), pa.int32()))
    cols["map_int_string"] = pa.array([None if i % 9 == 5 else [(k - 2, STRINGS[(i + k) % len(STRINGS)]) for k in range(i % 3)]
                                       for i in range(n)], pa.map_(pa.int64(), pa.string()))
    entry_t = pa.struct([("k", pa.string()), ("v", pa.list_(pa.int32()))])
    cols["list_struct"] = pa.array([None if i % 7 == 2 else [None if k == 1 else {"k": f"e{k}", "v": None if k == 2 else list(range(k))} for k in range(i % 4)]
                                    for i in range(n)], pa.list_(entry_t))
    cols["map_string_list"] = pa.array([None if i % 5 == 0 else [(f"m{k}", None if k == 1 else [k, i]) for k in range(i % 3)]
                                        for i in range(n)], pa.map_(pa.string(), pa.list_(pa.int32())))
    cols["list_decimal"] = pa.array([None if i % 4 == 0 else [_dec(i, 2), None] for i in range(n)],
                                    pa.list_(pa.decimal128(12, 2)))
    cols["list_timestamp"] = pa.array([[i * 1_000_000_007, None] if i % 3 else [] for i in range(n)],
                                      pa.list_(pa.timestamp("us", "UTC")))
    uuid_storage = pa.array([uuid.UUID(int=i * 0x0123456789ABCDEF).bytes for i in range(n)], pa.binary(16))
    cols["list_uuid"] = pa.ListArray.from_arrays(pa.array(range(n + 1), pa.int32()),
                                                 pa.ExtensionArray.from_storage(pa.uuid(), uuid_storage),
                                                 mask=pa.array([i % 2 == 0 for i in range(n)]))
    cols["struct_all_null_children"] = pa.array([{"p": None, "q": None} if i % 2 else None for i in range(n)],
                                                pa.struct([("p", pa.int8()), ("q", pa.string())]))
    # Required (non-nullable) levels at several depths.
    req_t = pa.struct([pa.field("r", pa.int32(), nullable=False),
                       pa.field("l", pa.list_(pa.field("item", pa.string(), nullable=False)), nullable=False)])
    table = pa.table(cols)
    required = pa.array([{"r": i, "l": [str(i)] * (i % 3)} for i in range(n)], req_t)
    return table.append_column(pa.field("required_struct", req_t, nullable=False), required)


def mixed_table(n: int, seed: int) -> pa.Table:
    """Ordinary data for the codec and page files: numbers, repetitive text, a list."""
    rng = np.random.default_rng(seed)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "ζήτα", "eta"]
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "value": pa.array(_with_nulls([float(x) for x in rng.standard_normal(n)], 10), pa.float64()),
        "amount": pa.array(_with_nulls([int(x) for x in rng.integers(-10 ** 6, 10 ** 6, n)], 9), pa.int32()),
        "word": pa.array(_with_nulls([words[int(x)] for x in rng.integers(0, len(words), n)], 8), pa.string()),
        "text": pa.array([f"row {i} " + "lorem ipsum " * int(i % 5) for i in range(n)], pa.string()),
        "price": pa.array([_dec(int(x), 2) for x in rng.integers(0, 10 ** 7, n)], pa.decimal128(9, 2)),
        "day": pa.array([int(x) for x in rng.integers(10_000, 20_000, n)], pa.date32()),
        "tags": pa.array([None if i % 13 == 0 else [words[(i + k) % len(words)] for k in range(i % 4)] for i in range(n)],
                         pa.list_(pa.string())),
    })


# ---------------------------------------------------------------------------------------------------
# Writers

def write_pyarrow(c: Corpus) -> None:
    flat = flat_table()
    nested = nested_table()
    c.pyarrow("pyarrow_flat_types.parquet", flat, "every flat type: extremes, NaN, ±0.0, unicode, nulls")
    c.pyarrow("pyarrow_flat_types_v2.parquet", flat, "every flat type, data page v2, no dictionary",
              data_page_version="2.0", use_dictionary=False)
    c.pyarrow("pyarrow_decimals.parquet", decimal_table(), "decimals p1..76 as FLBA (precision > 38: decimal256)")
    c.pyarrow("pyarrow_decimals_int.parquet", decimal_table(seed=4),
              "decimals with p <= 18 stored as INT32/INT64", store_decimal_as_integer=True)
    c.pyarrow("pyarrow_nested.parquet", nested, "lists, large/fixed-size lists, structs, maps, required levels")
    c.pyarrow("pyarrow_nested_v2.parquet", nested, "nested types, data page v2, small pages",
              data_page_version="2.0", data_page_size=512, compression="zstd")

    mixed = mixed_table(5000, 5)
    for codec in CODECS_PYARROW:
        c.pyarrow(f"pyarrow_codec_{codec}.parquet", mixed, f"codec {codec}", compression=codec)
    c.pyarrow("pyarrow_codec_lz4.parquet", mixed, "compression='lz4' (pyarrow writes LZ4_RAW)", compression="lz4")
    c.pyarrow("pyarrow_codec_zstd_level19.parquet", mixed, "zstd level 19", compression="zstd", compression_level=19)
    c.pyarrow("pyarrow_codec_gzip_level9.parquet", mixed, "gzip level 9", compression="gzip", compression_level=9)

    enc_rng = np.random.default_rng(6)
    n = ROWS
    ints = pa.table({
        "sorted_i32": pa.array(range(-1000, n - 1000), pa.int32()),
        "random_i32": pa.array(_ints(enc_rng, n, 32, True), pa.int32()),
        "nullable_i64": pa.array(_with_nulls(_ints(enc_rng, n, 64, True), 4), pa.int64()),
        "constant_i64": pa.array([42] * n, pa.int64()),
        "small_deltas_i64": pa.array(np.cumsum(enc_rng.integers(-3, 4, n)).tolist(), pa.int64()),
        "uint32": pa.array(_ints(enc_rng, n, 32, False), pa.uint32()),
    })
    prefixed = [f"https://example.com/path/{i // 10}/item-{i}" for i in range(n)]
    texts = pa.table({
        "prefixed": pa.array(_with_nulls(prefixed, 6), pa.string()),
        "unicode": pa.array([STRINGS[i % len(STRINGS)] + str(i) for i in range(n)], pa.string()),
        "binary": pa.array([enc_rng.bytes(int(i % 17)) for i in range(n)], pa.binary()),
        "empty_and_null": pa.array(_with_nulls([""] * n, 2), pa.string()),
    })
    floats = pa.table({
        "f32": pa.array(_with_nulls(_floats(enc_rng, n, FLOAT32_SPECIAL, np.float32), 9), pa.float32()),
        "f64": pa.array(_with_nulls(_floats(enc_rng, n, FLOAT64_SPECIAL, np.float64), 9), pa.float64()),
        "f16": pa.array(np.array(_floats(enc_rng, n, FLOAT16_SPECIAL, np.float16), np.float16), pa.float16()),
        "i32": pa.array(_ints(enc_rng, n, 32, True), pa.int32()),
        "i64": pa.array(_with_nulls(_ints(enc_rng, n, 64, True), 5), pa.int64()),
        "fixed4": pa.array([enc_rng.bytes(4) for _ in range(n)], pa.binary(4)),
        "dec_flba": pa.array(_decimal_values(enc_rng, n, 20, 4), pa.decimal128(20, 4)),
    })
    bools = pa.table({"b": pa.array(_with_nulls([i % 3 == 0 or i > n // 2 for i in range(n)], 7), pa.bool_()),
                      "runs": pa.array([(i // 100) % 2 == 0 for i in range(n)], pa.bool_())})
    for version in ("1.0", "2.0"):
        v = "v1" if version == "1.0" else "v2"
        c.pyarrow(f"pyarrow_enc_plain_{v}.parquet", flat.select(["id", "bool", "int32", "int64", "float32", "float64",
                                                               "string", "binary", "fixed_binary5", "decimal_9_2"]),
                  f"PLAIN only, data page {v}", use_dictionary=False, data_page_version=version)
        c.pyarrow(f"pyarrow_enc_dictionary_{v}.parquet", mixed_table(3000, 7),
                  f"dictionary encoding, data page {v}", use_dictionary=True, data_page_version=version)
        c.pyarrow(f"pyarrow_enc_delta_binary_packed_{v}.parquet", ints, f"DELTA_BINARY_PACKED, data page {v}",
                  use_dictionary=False, data_page_version=version,
                  column_encoding={name: "DELTA_BINARY_PACKED" for name in ints.column_names})
        c.pyarrow(f"pyarrow_enc_delta_length_byte_array_{v}.parquet", texts, f"DELTA_LENGTH_BYTE_ARRAY, data page {v}",
                  use_dictionary=False, data_page_version=version,
                  column_encoding={name: "DELTA_LENGTH_BYTE_ARRAY" for name in texts.column_names})
        c.pyarrow(f"pyarrow_enc_delta_byte_array_{v}.parquet", texts, f"DELTA_BYTE_ARRAY, data page {v}",
                  use_dictionary=False, data_page_version=version,
                  column_encoding={name: "DELTA_BYTE_ARRAY" for name in texts.column_names})
        c.pyarrow(f"pyarrow_enc_byte_stream_split_{v}.parquet", floats,
                  f"BYTE_STREAM_SPLIT for float16/32/64, int32/64, FLBA, data page {v}",
                  use_dictionary=False, data_page_version=version,
                  column_encoding={name: "BYTE_STREAM_SPLIT" for name in floats.column_names})
        c.pyarrow(f"pyarrow_enc_rle_boolean_{v}.parquet", bools, f"RLE booleans, data page {v}",
                  use_dictionary=False, data_page_version=version, column_encoding={"b": "RLE", "runs": "RLE"})

    many = pa.table({"unique": pa.array([f"value-{i:06d}-{'x' * (i % 30)}" for i in range(6000)]),
                     "unique_i64": pa.array([i * 7919 for i in range(6000)], pa.int64()),
                     "low_card": pa.array([f"c{i % 5}" for i in range(6000)])})
    c.pyarrow("pyarrow_dictionary_fallback.parquet", many, "dictionaries overflow and fall back to PLAIN",
              dictionary_pagesize_limit=4096, data_page_size=2048)
    c.pyarrow("pyarrow_dictionary_fallback_v2.parquet", many, "dictionary fallback, data page v2",
              dictionary_pagesize_limit=4096, data_page_size=2048, data_page_version="2.0")

    pages = mixed_table(10_000, 8)
    c.pyarrow("pyarrow_pages_v1.parquet", pages, "10 row groups, many small v1 pages, page index, CRCs",
              row_group_size=1000, data_page_size=256, write_batch_size=64, write_page_index=True,
              write_page_checksum=True)
    c.pyarrow("pyarrow_pages_v2.parquet", pages, "10 row groups, many small v2 pages, page index, CRCs",
              row_group_size=1000, data_page_size=256, write_batch_size=64, data_page_version="2.0",
              write_page_index=True, write_page_checksum=True, compression="zstd")
    c.pyarrow("pyarrow_max_rows_per_page.parquet", nested, "nested, at most 10 rows per page, uneven row groups",
              row_group_size=333, max_rows_per_page=10)
    c.pyarrow("pyarrow_bloom_filter.parquet", pages.slice(0, 3000), "bloom filters on id and word",
              bloom_filter_options={"id": {"ndv": 3000, "fpp": 0.05}, "word": {"ndv": 10, "fpp": 0.05}})
    c.pyarrow("pyarrow_no_statistics.parquet", pages.slice(0, 1000), "no statistics written",
              write_statistics=False)

    empty = pa.concat_tables([flat.slice(0, 0).select(["id", "bool", "int32", "float64", "string", "decimal_9_2", "ts_us_utc"]).append_column(
        "list_int", pa.array([], pa.list_(pa.int32()))).append_column("struct", pa.array([], nested.schema.field("struct").type))])
    c.pyarrow("pyarrow_zero_rows.parquet", empty, "0 rows, flat and nested columns")
    c.pyarrow("pyarrow_one_row.parquet", flat.slice(0, 1), "1 row of every flat type")
    c.pyarrow("pyarrow_one_row_nested.parquet", nested.slice(2, 1), "1 row of every nested type")
    all_null = pa.table({name: pa.nulls(100, flat.schema.field(name).type) for name in flat.column_names
                         if name != "id"}).append_column("nested_list", pa.nulls(100, pa.list_(pa.int32()))) \
        .append_column("nested_struct", pa.nulls(100, nested.schema.field("struct").type)) \
        .append_column("nested_map", pa.nulls(100, pa.map_(pa.string(), pa.int32())))
    c.pyarrow("pyarrow_all_null.parquet", all_null, "100 rows, every column all null")


def write_duckdb(c: Corpus) -> None:
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
    con.execute("""
        CREATE TABLE t AS
        SELECT
            i AS id,
            CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 256 - 128)::TINYINT END AS tiny,
            CASE WHEN i % 7 = 1 THEN NULL ELSE (i * 37 % 65536)::USMALLINT END AS usmall,
            (i * 2654435761 % 4294967296)::UINTEGER AS uint,
            CASE WHEN i = 0 THEN 18446744073709551615::UBIGINT ELSE (i::HUGEINT * 11400714819323198485 % 18446744073709551616)::UBIGINT END AS ubig,
            CASE WHEN i = 0 THEN (-9223372036854775807 - 1)::BIGINT WHEN i = 1 THEN 9223372036854775807::BIGINT
                 ELSE (i * 6364136223846793005::HUGEINT % 9223372036854775807)::BIGINT END AS big,
            CASE WHEN i % 11 = 0 THEN NULL ELSE (i / 7.0)::FLOAT END AS f32,
            CASE WHEN i = 2 THEN 'nan'::DOUBLE WHEN i = 3 THEN '-inf'::DOUBLE WHEN i = 4 THEN -0.0::DOUBLE
                 ELSE i * 1.000001 - 500 END AS f64,
            (i % 10000 / 100.0)::DECIMAL(4, 2) AS dec4,
            (i * 123456789 % 1000000000000)::DECIMAL(18, 3) AS dec18,
            (i::HUGEINT * 1234567890123456789 - 99999999999999999999)::DECIMAL(38, 0) AS dec38,
            CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN '' ELSE 'v' || i || ' é中🐦' END AS str,
            ('\\x' || lpad(to_hex(i), 4, '0'))::BLOB AS blob,
            DATE '1970-01-01' + (i * 37 - 30000)::INTEGER AS day,
            TIME '00:00:00' + INTERVAL (i * 1234567) MICROSECONDS AS tm,
            TIMESTAMP '2000-01-01' + INTERVAL (i * 98765432123) MICROSECONDS AS ts,
            (TIMESTAMP '2000-01-01' + INTERVAL (i * 98765432123) MICROSECONDS)::TIMESTAMP_MS AS ts_ms,
            (TIMESTAMP '2000-01-01' + INTERVAL (i * 98765432123) MICROSECONDS)::TIMESTAMP_NS AS ts_ns,
            (TIMESTAMP '2000-01-01' + INTERVAL (i * 98765432123) MICROSECONDS)::TIMESTAMPTZ AS tstz,
            ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::UUID AS id_uuid,
            CASE WHEN i % 4 = 0 THEN NULL ELSE INTERVAL (i) MONTH + INTERVAL (i % 31) DAY + INTERVAL (i * 1000) MILLISECOND END AS iv,
            (['sad', 'ok', 'happy'])[i % 3 + 1]::mood AS mood,
            CASE WHEN i % 6 = 0 THEN NULL ELSE [i, NULL, i * 2] END AS list_int,
            CASE WHEN i % 8 = 0 THEN NULL ELSE {'a': i, 'b': 'x' || i, 'c': [i / 2.0]} END AS struct_col,
            CASE WHEN i % 10 = 0 THEN NULL ELSE MAP {'k' || (i % 3): i, 'z': NULL} END AS map_str,
            MAP {i: 'v' || i} AS map_int,
            [[i], [], NULL]::INTEGER[][] AS list_list,
            [i, i + 1, i + 2]::INTEGER[3] AS array3,
            ('{"n": ' || i || '}')::JSON AS js,
            i % 2 = 0 AS flag
        FROM range(3000) r(i)
    """)
    options = [("duckdb_types.parquet", "COMPRESSION zstd, ROW_GROUP_SIZE 1024", "every DuckDB type, zstd, 3 row groups"),
               ("duckdb_types_v2.parquet", "COMPRESSION snappy, ROW_GROUP_SIZE 2048, PARQUET_VERSION V2",
                "DuckDB's V2 writer: data page v2, DELTA encodings, BYTE_STREAM_SPLIT")]
    for codec in ("uncompressed", "snappy", "gzip", "zstd", "lz4", "brotli"):
        options.append((f"duckdb_codec_{codec}.parquet", f"COMPRESSION {codec}, ROW_GROUP_SIZE 1000",
                        f"DuckDB codec {codec}"))
    for name, copy_options, about in options:
        if name == "duckdb_types_v2.parquet":
            source = "(SELECT * EXCLUDE (uint) FROM t)"  # see duckdb_v2_uint32_delta.parquet
        elif "types" in name:
            source = "t"
        else:
            source = "(SELECT id, f64, dec18, str, day, ts, list_int, struct_col FROM t)"
        con.execute(f"COPY {source} TO '{c.path(name)}' (FORMAT parquet, {copy_options})")
        c.add(name, "duckdb " + duckdb.__version__, f"{about} ({copy_options})")
    # DuckDB writes a null fixed-size array as list_size level entries under a null list; pyarrow 26
    # rejects that ("Length spanned by list offsets ... larger than values array"), DuckDB and polars
    # read it. Reference values for this file come from DuckDB.
    con.execute(f"""COPY (SELECT i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE [i, i + 1, NULL]::INTEGER[3] END AS a
                        FROM range(100) r(i)) TO '{c.path('duckdb_null_fixed_array.parquet')}' (FORMAT parquet)""")
    c.add("duckdb_null_fixed_array.parquet", "duckdb " + duckdb.__version__,
          "nullable INTEGER[3]: levels pyarrow rejects, DuckDB and polars accept (reference: DuckDB)")
    # DuckDB's V2 writer delta-encodes UINTEGER with 64-bit deltas (miniblock bit widths above 32);
    # pyarrow 26 rejects that ("delta bit width larger than integer bit width"), DuckDB reads it.
    con.execute(f"""COPY (SELECT id, uint FROM t) TO '{c.path('duckdb_v2_uint32_delta.parquet')}'
                    (FORMAT parquet, PARQUET_VERSION V2)""")
    c.add("duckdb_v2_uint32_delta.parquet", "duckdb " + duckdb.__version__,
          "UINTEGER with DELTA_BINARY_PACKED bit widths > 32, which pyarrow rejects (reference: DuckDB)")
    con.execute(f"COPY (SELECT * FROM t WHERE false) TO '{c.path('duckdb_zero_rows.parquet')}' (FORMAT parquet)")
    c.add("duckdb_zero_rows.parquet", "duckdb " + duckdb.__version__, "0 rows, every DuckDB type")


def write_polars(c: Corpus) -> None:
    n = ROWS
    rng = np.random.default_rng(9)
    df = pl.DataFrame({
        "id": pl.Series(range(n), dtype=pl.Int64),
        "i8": pl.Series(_with_nulls(_ints(rng, n, 8, True), 7), dtype=pl.Int8),
        "u16": pl.Series(_with_nulls(_ints(rng, n, 16, False), 7), dtype=pl.UInt16),
        "u64": pl.Series(_ints(rng, n, 64, False), dtype=pl.UInt64),
        "f32": pl.Series(_with_nulls(_floats(rng, n, FLOAT32_SPECIAL, np.float32), 7), dtype=pl.Float32),
        "f64": pl.Series(_with_nulls(_floats(rng, n, FLOAT64_SPECIAL, np.float64), 7), dtype=pl.Float64),
        "s": pl.Series(_with_nulls([STRINGS[i % len(STRINGS)] + (str(i) if i % 3 else "") for i in range(n)], 5), dtype=pl.String),
        "bin": pl.Series([rng.bytes(int(i % 9)) for i in range(n)], dtype=pl.Binary),
        "d": pl.Series([dt.date(1970, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(-50_000, 50_000, n)], dtype=pl.Date),
        "ts_ms": pl.Series([dt.datetime(2000, 1, 1) + dt.timedelta(milliseconds=int(x)) for x in rng.integers(-10 ** 11, 10 ** 11, n)],
                           dtype=pl.Datetime("ms")),
        "ts_ns_utc": pl.Series([dt.datetime(2020, 1, 1) + dt.timedelta(microseconds=int(x)) for x in rng.integers(-10 ** 14, 10 ** 14, n)],
                               dtype=pl.Datetime("ns", "UTC")),
        "t": pl.Series([dt.time(int(x) % 24, int(x) % 60, int(x) % 60, int(x) % 10 ** 6) for x in rng.integers(0, 10 ** 9, n)], dtype=pl.Time),
        "dur": pl.Series([dt.timedelta(microseconds=int(x)) for x in rng.integers(-10 ** 12, 10 ** 12, n)], dtype=pl.Duration("us")),
        "dec": pl.Series([_dec(int(x), 3) for x in rng.integers(-10 ** 12, 10 ** 12, n)], dtype=pl.Decimal(20, 3)),
        "cat": pl.Series([["north", "south", "east", "west"][i % 4] for i in range(n)], dtype=pl.Categorical),
        "enum": pl.Series([["lo", "mid", "hi"][i % 3] for i in range(n)], dtype=pl.Enum(["lo", "mid", "hi"])),
        "b": pl.Series(_with_nulls([i % 2 == 0 for i in range(n)], 5), dtype=pl.Boolean),
        "nulls": pl.Series([None] * n, dtype=pl.Null),
    })
    nested = pl.DataFrame({
        "id": pl.Series(range(n), dtype=pl.Int32),
        "list": pl.Series([None if i % 7 == 0 else [i, None, -i][: i % 4] for i in range(n)], dtype=pl.List(pl.Int64)),
        "list_str": pl.Series([[STRINGS[(i + k) % len(STRINGS)] for k in range(i % 3)] for i in range(n)], dtype=pl.List(pl.String)),
        "array": pl.Series([None if i % 5 == 0 else [float(i), -0.0] for i in range(n)], dtype=pl.Array(pl.Float64, 2)),
        "struct": pl.Series([None if i % 6 == 0 else {"x": i, "y": f"y{i}", "z": [i]} for i in range(n)],
                            dtype=pl.Struct({"x": pl.Int32, "y": pl.String, "z": pl.List(pl.Int16)})),
        "list_struct": pl.Series([[{"a": k, "b": None if k % 2 else str(k)} for k in range(i % 3)] for i in range(n)],
                                 dtype=pl.List(pl.Struct({"a": pl.Int64, "b": pl.String}))),
    })
    version = "polars " + pl.__version__
    df.write_parquet(c.path("polars_types.parquet"), compression="zstd", row_group_size=700)
    c.add("polars_types.parquet", version, "polars types (string view, categorical, enum, time ns, duration), zstd, 3 row groups")
    nested.write_parquet(c.path("polars_nested.parquet"), compression="snappy", data_page_size=1024)
    c.add("polars_nested.parquet", version, "polars lists, arrays, structs, small pages")
    for codec in ("uncompressed", "snappy", "gzip", "lz4", "brotli", "zstd"):
        name = f"polars_codec_{codec}.parquet"
        df.select(["id", "i8", "f64", "s", "d", "ts_ms", "dec"]).write_parquet(c.path(name), compression=codec, statistics=True)
        c.add(name, version, f"polars codec {codec}")
    df.head(0).write_parquet(c.path("polars_zero_rows.parquet"))
    c.add("polars_zero_rows.parquet", version, "0 rows, polars types")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    corpus = Corpus(out_dir)
    write_pyarrow(corpus)
    write_duckdb(corpus)
    write_polars(corpus)
    with open(os.path.join(out_dir, "corpus.json"), "w") as f:
        json.dump(corpus.entries, f, indent=1, default=str)
        f.write("\n")
    size = sum(os.path.getsize(corpus.path(name)) for name in corpus.entries)
    print(f"{len(corpus.entries)} Parquet files, {size / 1e6:.1f} MB in {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

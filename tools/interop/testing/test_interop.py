#!/usr/bin/env python3
"""Unit tests of the interop tooling itself: the golden formatter and the comparer.

    python3 -m unittest discover -s tools/interop/testing -p 'test_*.py'

Expected spellings come from the output conventions (and, for floats, from Swift: see
check_float_format.py, which compares with a compiled Swift program).
"""

from __future__ import annotations

import os
import sys
import unittest
import uuid
from decimal import Decimal

import numpy as np
import pyarrow as pa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import compare  # noqa: E402
import sparrow_json as sj  # noqa: E402


class FloatTests(unittest.TestCase):
    def test_conventions_examples(self):
        self.assertEqual(sj.format_float64(1.0), "1.0")
        self.assertEqual(sj.format_float64(0.1), "0.1")
        self.assertEqual(sj.format_float64(1e20), "1e+20")
        self.assertEqual(sj.format_float64(-0.0), "-0.0")
        self.assertEqual(sj.format_float64(5e-324), "5e-324")
        self.assertEqual(sj.format_float32(0.1), "0.1")  # not 0.10000000149011612

    def test_specials_are_strings(self):
        self.assertEqual(sj.format_float64(float("nan")), '"NaN"')
        self.assertEqual(sj.format_float32(float("inf")), '"Infinity"')
        self.assertEqual(sj.format_float16(float("-inf")), '"-Infinity"')

    def test_layout_bounds(self):
        self.assertEqual(sj.format_float64(2.0 ** 53), "9007199254740992.0")
        self.assertEqual(sj.format_float64(9.1e15), "9.1e+15")  # above 2^53: exponential
        self.assertEqual(sj.format_float64(1e-4), "0.0001")
        self.assertEqual(sj.format_float64(9.999e-5), "9.999e-05")
        self.assertEqual(sj.format_float32(2.0 ** 24), "16777216.0")
        self.assertEqual(sj.format_float32(2.0 ** 24 + 2), "1.6777218e+07")
        self.assertEqual(sj.format_float16(65504.0), "65504.0")


class ValueTests(unittest.TestCase):
    def test_decimals_keep_scale(self):
        self.assertEqual(sj.format_decimal(Decimal("12.30"), 2), "12.30")
        self.assertEqual(sj.format_decimal(Decimal("-0.05"), 2), "-0.05")
        self.assertEqual(sj.format_decimal(Decimal("0.00"), 2), "0.00")
        self.assertEqual(sj.format_decimal(Decimal("123"), 0), "123")
        self.assertEqual(sj.format_decimal(Decimal("-1E+2"), 0), "-100")

    def test_dates_in_and_out_of_four_digit_years(self):
        self.assertEqual(sj.date_text(0), "1970-01-01")
        self.assertEqual(sj.date_text(-719528), "0000-01-01")
        self.assertEqual(sj.date_text(-719529), "-0001-12-31")
        self.assertEqual(sj.date_text(2932897), "+10000-01-01")
        self.assertEqual(sj.date_text(11016), "2000-02-29")

    def test_times_and_timestamps(self):
        self.assertEqual(sj.time_of_day_text(12 * 3600 * 1000, "ms"), "12:00:00.000")
        self.assertEqual(sj.time_of_day_text(86_399_999_999, "us"), "23:59:59.999999")
        self.assertEqual(sj.timestamp_text(1706702400000001, "us", False), "2024-01-31T12:00:00.000001")
        self.assertEqual(sj.timestamp_text(1706702400000, "ms", True), "2024-01-31T12:00:00.000Z")
        self.assertEqual(sj.timestamp_text(-1, "ns", False), "1969-12-31T23:59:59.999999999")

    def test_table_lines(self):
        u = uuid.UUID("12345678-9abc-def0-1234-56789abcdef0")
        table = pa.table({
            "s": pa.array(['a"\\\n\x01é', None]),
            "b": pa.array([b"\x00\xff", b""]),
            "u": pa.ExtensionArray.from_storage(pa.uuid(), pa.array([u.bytes, None], pa.binary(16))),
            "m": pa.array([[("k", 1), ("k", 2)], []], pa.map_(pa.string(), pa.int8())),
            "mi": pa.array([[(1, "x")], None], pa.map_(pa.int32(), pa.string())),
            "st": pa.array([{"x": [1, None]}, None], pa.struct([("x", pa.list_(pa.int64()))])),
            "d": pa.array(["p", "q"]).dictionary_encode(),
            "f16": pa.array(np.array([0.1, -0.0], np.float16)),
            "ts": pa.array([0, None], pa.timestamp("s")),
        })
        self.assertEqual(sj.table_to_jsonl_lines(table), [
            '{"s":"a\\"\\\\\\n\\u0001é","b":"AP8=","u":"12345678-9abc-def0-1234-56789abcdef0",'
            '"m":{"k":1,"k":2},"mi":[{"key":1,"value":"x"}],"st":{"x":[1,null]},"d":"p","f16":0.1,'
            '"ts":"1970-01-01T00:00:00.000"}',
            '{"s":null,"b":"","u":null,"m":{},"mi":null,"st":null,"d":"q","f16":-0.0,"ts":null}',
        ])

    def test_sliced_arrays(self):
        table = pa.table({"l": pa.array([[1], [2, 3], None, [4]]),
                          "fl": pa.array([[1, 2], [3, 4], [5, 6], None], pa.list_(pa.int8(), 2)),
                          "st": pa.array([{"a": 1}, {"a": 2}, None, {"a": 4}])})
        self.assertEqual(sj.table_to_jsonl_lines(table.slice(1, 3)), [
            '{"l":[2,3],"fl":[3,4],"st":{"a":2}}', '{"l":null,"fl":[5,6],"st":null}', '{"l":[4],"fl":null,"st":{"a":4}}'])

    def test_interval_flags(self):
        raw = (1).to_bytes(4, "little") + (2).to_bytes(4, "little") + (3000).to_bytes(4, "little")
        table = pa.table({"iv": pa.array([raw], pa.binary(12))})
        self.assertEqual(sj.table_to_jsonl_lines(table, {"iv": [True]}),
                         ['{"iv":{"months":1,"days":2,"milliseconds":3000}}'])
        self.assertEqual(sj.table_to_jsonl_lines(table), ['{"iv":"AQAAAAIAAAC4CwAA"}'])


class CompareTests(unittest.TestCase):
    schema = pa.schema([("f", pa.float32()), ("d", pa.decimal128(5, 2)), ("l", pa.list_(pa.float64()))])
    expected = ['{"f":1e+16,"d":12.30,"l":[1.0,"NaN"]}']

    def mismatches(self, actual, schema=schema):
        return compare.compare_lines(self.expected, actual, schema)[1]

    def test_floats_by_value(self):
        self.assertEqual(self.mismatches(['{"f":10000000000000000.0,"d":12.30,"l":[1,"NaN"]}']), 0)

    def test_float_at_wrong_precision(self):
        self.assertEqual(self.mismatches(['{"f":1.0000000272564224e+16,"d":12.30,"l":[1.0,"NaN"]}']), 1)

    def test_decimal_by_text(self):
        self.assertEqual(self.mismatches(['{"f":1e+16,"d":12.3,"l":[1.0,"NaN"]}']), 1)

    def test_negative_zero_differs(self):
        self.assertEqual(compare.compare_lines(['{"l":[0.0]}'], ['{"l":[-0.0]}'], self.schema)[1], 1)

    def test_nan_must_be_a_string(self):
        self.assertEqual(self.mismatches(['{"f":1e+16,"d":12.30,"l":[1.0,NaN]}']), 1)

    def test_key_order_and_row_count(self):
        self.assertEqual(self.mismatches(['{"d":12.30,"f":1e+16,"l":[1.0,"NaN"]}']), 1)
        self.assertEqual(self.mismatches([]), 1)

    def test_without_schema_exponent_means_float(self):
        self.assertEqual(self.mismatches(['{"f":10000000000000000.0,"d":12.30,"l":[1.0,"NaN"]}'], None), 0)
        self.assertEqual(self.mismatches(['{"f":1e+16,"d":12.3,"l":[1.0,"NaN"]}'], None), 1)


if __name__ == "__main__":
    unittest.main()

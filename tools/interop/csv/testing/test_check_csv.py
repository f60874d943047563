"""Unit tests of check_csv.py's helpers (run by tools/interop/csv/testing/selftest)."""

from __future__ import annotations

import os
import sys
import unittest

import pyarrow as pa

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import check_csv  # noqa: E402


class ArrowTypeTests(unittest.TestCase):
    def test_spellings_round_trip(self):
        for text in ["bool", "int32", "int64", "double", "date32[day]", "string", "timestamp[us]",
                     "timestamp[ns]", "timestamp[us, tz=UTC]"]:
            self.assertEqual(str(check_csv.arrow_type(text)), text)

    def test_unknown_type_is_an_error(self):
        with self.assertRaises(ValueError):
            check_csv.arrow_type("decimal(10,2)")


class AlignTests(unittest.TestCase):
    def test_narrower_integer_when_every_value_fits(self):
        column = pa.chunked_array([pa.array([1, -2], pa.int64())])
        self.assertEqual(check_csv.align(column, pa.int32()).type, pa.int32())

    def test_integer_that_does_not_fit_stays(self):
        column = pa.chunked_array([pa.array([2**40], pa.int64())])
        self.assertEqual(check_csv.align(column, pa.int32()).type, pa.int64())

    def test_no_cast_across_kinds(self):
        column = pa.chunked_array([pa.array([1], pa.int64())])
        self.assertEqual(check_csv.align(column, pa.string()).type, pa.int64())
        self.assertEqual(check_csv.align(column, pa.float64()).type, pa.int64())

    def test_timestamp_units_and_zone_names(self):
        seconds = pa.chunked_array([pa.array([1], pa.timestamp("s", tz="UTC"))])
        self.assertEqual(check_csv.align(seconds, pa.timestamp("us", tz="UTC")).type, pa.timestamp("us", tz="UTC"))
        duckdb_zone = pa.chunked_array([pa.array([1], pa.timestamp("us", tz="Etc/UTC"))])
        self.assertEqual(check_csv.align(duckdb_zone, pa.timestamp("us", tz="UTC")).type,
                         pa.timestamp("us", tz="UTC"))
        naive = pa.chunked_array([pa.array([1], pa.timestamp("us"))])
        self.assertEqual(check_csv.align(naive, pa.timestamp("us", tz="UTC")).type, pa.timestamp("us"))

    def test_nanoseconds_that_would_truncate_stay(self):
        column = pa.chunked_array([pa.array([1_000_000_001], pa.timestamp("ns"))])
        self.assertEqual(check_csv.align(column, pa.timestamp("us")).type, pa.timestamp("ns"))


class ExpectedColumnTests(unittest.TestCase):
    def test_text_is_cast_to_the_expected_type(self):
        array = check_csv.expected_column(["2024-01-01T12:00:00Z", None], "timestamp[us, tz=UTC]", pa.string())
        self.assertEqual(array.type, pa.timestamp("us", tz="UTC"))
        self.assertEqual(array.null_count, 1)
        self.assertEqual(check_csv.expected_column(["-0.0"], "double", pa.string()).to_pylist(), [-0.0])
        self.assertEqual(check_csv.expected_column(["007"], "string", pa.int32()).to_pylist(), ["007"])

    def test_unchecked_type_falls_back_to_sparrows(self):
        self.assertEqual(check_csv.expected_column(["1"], None, pa.int32()).type, pa.int32())


class FirstDifferenceTests(unittest.TestCase):
    def test_values_and_row_counts(self):
        self.assertIsNone(check_csv.first_difference(['{"a":1}'], ['{"a":1}']))
        self.assertEqual(check_csv.first_difference(['{"a":1}', '{"a":2}'], ['{"a":1}', '{"a":"2"}']),
                         (1, "2", '"2"'))
        self.assertEqual(check_csv.first_difference(['{"a":1}'], []), (0, "1 rows", "0 rows"))


class RejectsTests(unittest.TestCase):
    columns = ["id", "name", "qty"]

    @staticmethod
    def entry(line, column, raw="2,b", reason="bad"):
        return {"line": str(line), "column": column, "reason": reason, "raw": raw}

    def test_column_by_name_position_or_both(self):
        for spelling in ["qty", "3", "qty (3)"]:
            self.assertTrue(check_csv.column_matches(spelling, "qty", self.columns))
        self.assertFalse(check_csv.column_matches("name", "qty", self.columns))
        self.assertFalse(check_csv.column_matches("qty", "", self.columns))
        self.assertTrue(check_csv.column_matches("", "", self.columns))

    def test_exact_lines_columns_and_raw(self):
        expected = [{"line": 4, "column": "qty", "raw": "2,b"}]
        self.assertEqual(check_csv.check_rejects([self.entry(4, "qty")], expected, self.columns, "t"), [])
        self.assertTrue(check_csv.check_rejects([self.entry(5, "qty")], expected, self.columns, "t"))
        self.assertTrue(check_csv.check_rejects([self.entry(4, "")], expected, self.columns, "t"))
        self.assertTrue(check_csv.check_rejects([self.entry(4, "qty", raw="2,c")], expected, self.columns, "t"))
        self.assertTrue(check_csv.check_rejects([self.entry(4, "qty", reason=" ")], expected, self.columns, "t"))
        self.assertTrue(check_csv.check_rejects([self.entry(4, "qty"), self.entry(4, "qty")], expected,
                                                self.columns, "t"))
        self.assertTrue(check_csv.check_rejects([], expected, self.columns, "t"))

    def test_raw_may_end_with_its_line_end(self):
        expected = [{"line": 4, "column": "", "raw": "2,b"}]
        self.assertEqual(check_csv.check_rejects([self.entry(4, "", raw="2,b\r\n")], expected, self.columns, "t"), [])

    def test_whole_row_or_per_field(self):
        expected = [{"line": 4, "column": None, "fields": ["qty"], "raw": "2,b"}]
        self.assertEqual(check_csv.check_rejects([self.entry(4, "")], expected, self.columns, "t"), [])
        self.assertEqual(check_csv.check_rejects([self.entry(4, "qty")], expected, self.columns, "t"), [])
        self.assertTrue(check_csv.check_rejects([self.entry(4, "name")], expected, self.columns, "t"))
        self.assertTrue(check_csv.check_rejects([self.entry(4, ""), self.entry(4, "qty")], expected,
                                                self.columns, "t"))
        two = [{"line": 4, "column": None, "fields": ["name", "qty"], "raw": "2,b"}]
        self.assertEqual(check_csv.check_rejects([self.entry(4, "name"), self.entry(4, "qty")], two,
                                                 self.columns, "t"), [])
        self.assertTrue(check_csv.check_rejects([self.entry(4, "qty")], two, self.columns, "t"))


class MessageTests(unittest.TestCase):
    def test_line_number_is_a_whole_token(self):
        import re
        self.assertTrue(re.search(check_csv.token(17), "data.csv:17: column"))
        self.assertFalse(re.search(check_csv.token(17), "data.csv:170: column"))
        self.assertFalse(re.search(check_csv.token(7), "data.csv:17: column"))


if __name__ == "__main__":
    unittest.main()

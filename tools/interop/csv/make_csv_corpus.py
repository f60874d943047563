#!/usr/bin/env python3
"""Writes the CSV corpus for the differential tests of `sparrow convert` on CSV input (issue 3).

    make_csv_corpus.py OUT_DIR

Writes ~50 small CSV files (plain, .gz, .zst, and compressed files recognisable only by their magic
bytes) and OUT_DIR/cases.json, a list of cases, one per conversion to run:

    name            unique name of the case
    file            the input, relative to OUT_DIR
    stdin           true: the file is piped to `sparrow convert - OUT` instead of named
    options         extra arguments for sparrow (`--delimiter`, `--no-header`, `--schema`, ...)
    kind            "clean" (must convert and match the peers) or "malformed"
    dialect         the truth the peers are told: {"delimiter": ",", "header": true}
    peer_types      {column: contract type} the peers are told when sparrow gets --schema
    expected_columns  the column names the contract gives (header detection, columnN, _1 suffixes)
    expected_types  {column: pyarrow type string} the contract gives, e.g. "int32", "date32[day]",
                    "timestamp[us, tz=UTC]"; null where the contract does not say (0-row file)
    expected_rows   the number of rows (clean cases)
    expected_values {column: [text or null, ...]}: values the contract gives for columns where it
                    legitimately differs from the peers (kept as string, quoted empty is null, a
                    blank line in a one-column file is a null row, ...). Text is cast to the
                    expected type by Arrow (ISO dates/timestamps, "NaN", "-0.0", "true").
    notes           why the case exists, and which reading of the contract it assumes

Malformed cases also carry
    fail            {"line": L, "column": name or null, "position": 1-based or null, "raw": text}:
                    the first bad record; `--on-error fail` must exit 1 naming the file, L, the
                    column and position (when given) and leave no output
    skip / null     {"rows": [[text or null, ...], ...] in expected_columns order,
                     "rejects": [{"line": L, "column": "" | name, "raw": text}, ...],
                     "rows_rejected": M, "fields_nulled": K or null}
                    what `--on-error skip|null --rejects FILE` must write. An entry with "column": null
                    and "fields": [names] may be one whole-row entry or one entry per field named (a
                    short row under null: its missing fields; a row skipped for bad values: those)

Every expected value here is written from the contract (/work/csv-contract.md, issue 3), never from
Sparrow's output. Generation is deterministic and takes about a second; the corpus is ~3 MB.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import sys

import pyarrow as pa

# ---------------------------------------------------------------------------------------------------
# Building files record by record, keeping the physical line where each record starts

BOM = "\ufeff"


def q(value: str) -> str:
    """RFC 4180 quoting: always quote, doubling the quotes inside."""
    return '"' + value.replace('"', '""') + '"'


class CSVFile:
    """Raw records joined by line ends, with the 1-based physical line each record starts on."""

    def __init__(self, bom: bool = False):
        self.parts: list[str] = [BOM] if bom else []
        self.line = 1
        self.starts: list[int] = []

    def add(self, raw: str, end: str = "\n") -> int:
        start = self.line
        self.starts.append(start)
        self.parts.append(raw + end)
        self.line += (raw + end).count("\n")
        return start

    def blank(self, end: str = "\n") -> None:
        self.parts.append(end)
        self.line += 1

    def text(self) -> str:
        return "".join(self.parts)


class Corpus:
    def __init__(self, out: str):
        self.out = out
        self.cases: list[dict] = []
        self.names: set[str] = set()

    def write(self, filename: str, data: bytes | str) -> str:
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(os.path.join(self.out, filename), "wb") as f:
            f.write(data)
        return filename

    def case(self, name: str, file: str, *, kind: str = "clean", options: list[str] | None = None,
             delimiter: str = ",", header: bool = True, columns: list[str], types: dict,
             rows: int | None = None, values: dict | None = None, peer_types: dict | None = None,
             stdin: bool = False, notes: str = "", **malformed) -> None:
        if name in self.names:
            raise ValueError(f"duplicate case {name}")
        if set(types) != set(columns):
            raise ValueError(f"{name}: expected_types must name every column")
        self.names.add(name)
        case = {"name": name, "file": file, "stdin": stdin, "options": options or [], "kind": kind,
                "dialect": {"delimiter": delimiter, "header": header}, "peer_types": peer_types or {},
                "expected_columns": columns, "expected_types": types}
        if kind == "clean":
            case["expected_rows"] = rows
            case["expected_values"] = values or {}
            for column, column_values in case["expected_values"].items():
                if len(column_values) != rows:
                    raise ValueError(f"{name}: {column} has {len(column_values)} expected values, not {rows}")
        else:
            for mode in ("skip", "null"):
                for row in malformed[mode]["rows"]:
                    if len(row) != len(columns):
                        raise ValueError(f"{name}: {mode} row {row} does not have {len(columns)} values")
        case.update(malformed)
        case["notes"] = notes
        self.cases.append(case)


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def zstd_bytes(data: bytes) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.CompressedOutputStream(sink, "zstd") as stream:
        stream.write(data)
    return sink.getvalue().to_pybytes()


def read(corpus: Corpus, filename: str) -> bytes:
    with open(os.path.join(corpus.out, filename), "rb") as f:
        return f.read()


# ---------------------------------------------------------------------------------------------------
# Clean cases: dialect

def dialect_cases(c: Corpus) -> None:
    f = CSVFile()
    f.add("id,text,n")
    f.add("1,plain,10")
    f.add("2," + q('with "doubled" quotes') + ",20")
    f.add("3," + q("comma, inside") + ",30")
    f.add("4," + q("newline\ninside") + ",40")
    f.add("5," + q("crlf\r\ninside") + ",50")
    f.add('6,"""",60')
    f.add('7,"a""b""",70')
    f.add('8,"42",80')
    f.add('9,"",' + q("90"))
    f.add("10," + q("  spaces kept  ") + ",100")
    c.case("rfc4180_quotes", c.write("rfc4180_quotes.csv", f.text()),
           columns=["id", "text", "n"], types={"id": "int32", "text": "string", "n": "int32"}, rows=10,
           notes="RFC 4180: doubled quotes, delimiter, LF and CRLF inside quotes, a lone quote, a quoted "
                 "number in an int column (\"90\"), a quoted empty string, spaces inside quotes kept")

    f = CSVFile()
    for raw in ["id,name,score,day", "1,alpha,1.5,2024-01-01", "2," + q("b\r\nc") + ",2.25,2024-01-02",
                "3,gamma,-3.0,2024-01-03"]:
        f.add(raw, "\r\n")
    c.case("crlf", c.write("crlf.csv", f.text()), columns=["id", "name", "score", "day"],
           types={"id": "int32", "name": "string", "score": "double", "day": "date32[day]"}, rows=3,
           notes="CRLF line ends everywhere, a quoted CRLF kept as data")

    f = CSVFile()
    f.add("id,name", "\r\n")
    f.add("1,a", "\n")
    f.add("2,b", "\r\n")
    f.add("3,c", "\n")
    f.add("4,d", "\r\n")
    c.case("mixed_line_ends", c.write("mixed_line_ends.csv", f.text()), columns=["id", "name"],
           types={"id": "int32", "name": "string"}, rows=4, notes="LF and CRLF mixed in one file")

    f = CSVFile(bom=True)
    f.add("id,name")
    f.add("1,x")
    f.add("2,y")
    c.case("bom", c.write("bom.csv", f.text()), columns=["id", "name"],
           types={"id": "int32", "name": "string"}, rows=2,
           notes="UTF-8 BOM is skipped: the first column is 'id', not '\\ufeffid'")

    f = CSVFile(bom=True)
    f.add('"id","value"', "\r\n")
    f.add('1,"a"', "\r\n")
    f.add('2,"b"', "\r\n")
    c.case("bom_crlf_quoted_header", c.write("bom_crlf_quoted_header.csv", f.text()),
           columns=["id", "value"], types={"id": "int32", "value": "string"}, rows=2,
           notes="BOM directly followed by a quoted header, CRLF")

    f = CSVFile()
    f.add("a,b")
    f.add("1,x")
    f.blank()
    f.add("2,y")
    f.blank("\r\n")
    f.add("3,z")
    f.blank()
    f.blank()
    f.blank()
    c.case("blank_lines", c.write("blank_lines.csv", f.text()), columns=["a", "b"],
           types={"a": "int32", "b": "string"}, rows=3,
           notes="blank lines (LF and CRLF) in the middle and three at the end are skipped (two columns)")

    f = CSVFile()
    f.add("s,i,d,b,dt")
    f.add("x,1,1.5,true,2024-01-01")
    f.add(",,,,")
    f.add('"","","","",""')
    f.add('"y","2","2.5","false","2024-01-02"')
    c.case("empty_vs_quoted_empty", c.write("empty_vs_quoted_empty.csv", f.text()),
           columns=["s", "i", "d", "b", "dt"],
           types={"s": "string", "i": "int32", "d": "double", "b": "bool", "dt": "date32[day]"}, rows=4,
           values={"s": ["x", None, "", "y"], "i": ["1", None, None, "2"], "d": ["1.5", None, None, "2.5"],
                   "b": ["true", None, None, "false"], "dt": ["2024-01-01", None, None, "2024-01-02"]},
           notes="unquoted empty is null; quoted empty is '' in a string column and null in the others "
                 "(the peers make those columns strings)")

    f = CSVFile()
    f.add("名前,emoji😀,note")
    f.add("東京,😀,plain")
    f.add("Ελληνικά," + q("👨\u200d👩\u200d👧") + ",e\u0301 combining")
    f.add("עברית,🇫🇷,line\u2028separator")
    f.add("中文字符," + q("a,😀\nb") + ",tab\tinside")
    c.case("unicode", c.write("unicode.csv", f.text()), columns=["名前", "emoji😀", "note"],
           types={"名前": "string", "emoji😀": "string", "note": "string"}, rows=4,
           notes="CJK, Greek, Hebrew, 4-byte emoji, a ZWJ sequence, flags, a combining accent, "
                 "U+2028 (not a line end), unicode column names")

    big = ('lorem, ipsum "quoted" dolor\nsit amet 日本語 ' * 40000)[: 1 << 20]
    unquoted = ("abcdefghij" * 40000)
    f = CSVFile()
    f.add("id,payload,tail")
    f.add("1," + q(big) + ",end")
    f.add("2," + unquoted + ",end2")
    f.add("3,short,end3")
    c.case("huge_fields", c.write("huge_fields.csv", f.text()), columns=["id", "payload", "tail"],
           types={"id": "int32", "payload": "string", "tail": "string"}, rows=3,
           notes="a 1 MiB quoted field with delimiters, quotes and newlines; a 400 kB unquoted field")

    samples = {
        ",": ("comma", "a,b,c", ['1,' + q("x;y|z\tw") + ',2024-01-01', "2,plain,2024-01-02",
                                 '3,' + q("p;q") + ',2024-01-03']),
        ";": ("semicolon", "a;b;c", ['1;' + q("x,y,z") + ';1.5', '2;' + q("1,5") + ';2.5', "3;plain;3.5"]),
        "\t": ("tab", "a\tb\tc", ['1\t' + q("x,y;z") + '\ttrue', "2\thas space\tfalse", "3\t,,\ttrue"]),
        "|": ("pipe", "a|b|c", ['1|' + q("x,y;z") + '|10', "2|p,q|20", "3|r;s|30"]),
    }
    third = {",": "date32[day]", ";": "double", "\t": "bool", "|": "int32"}
    for delimiter, (label, head, rows) in samples.items():
        f = CSVFile()
        f.add(head)
        for raw in rows:
            f.add(raw)
        c.case(f"delimiter_{label}", c.write(f"delimiter_{label}.csv", f.text()), delimiter=delimiter,
               columns=["a", "b", "c"], types={"a": "int32", "b": "string", "c": third[delimiter]}, rows=3,
               notes=f"delimiter {label} detected; the other candidates appear inside fields")

    f = CSVFile()
    for raw in ["a\tb", "1\tx y", "2\tz"]:
        f.add(raw)
    data = f.text()
    c.case("delimiter_option_tab", c.write("delimiter_option_tab.tsv", data), options=["--delimiter", "tab"],
           delimiter="\t", columns=["a", "b"], types={"a": "int32", "b": "string"}, rows=2,
           notes="--delimiter tab")
    c.case("delimiter_option_backslash_t", "delimiter_option_tab.tsv", options=["--delimiter", "\\t"],
           delimiter="\t", columns=["a", "b"], types={"a": "int32", "b": "string"}, rows=2,
           notes="--delimiter '\\t' (backslash, t)")

    f = CSVFile()
    for raw in ["a,x;b,y", "1,5;2,5", "3,5;4,5"]:
        f.add(raw)
    c.case("delimiter_option_forced", c.write("delimiter_option_forced.csv", f.text()),
           options=["--delimiter", ";"], delimiter=";", columns=["a,x", "b,y"],
           types={"a,x": "string", "b,y": "string"}, rows=2,
           notes="--delimiter ';' where commas are as frequent: decimal commas stay strings")

    f = CSVFile()
    for raw in ["x,1", "y,2", "z,3"]:
        f.add(raw)
    c.case("no_header_option", c.write("no_header_option.csv", f.text()), options=["--no-header"],
           header=False, columns=["column0", "column1"], types={"column0": "string", "column1": "int32"},
           rows=3, notes="--no-header: columns column0, column1; the first row is data")

    f = CSVFile()
    for raw in ["1,2.5,2024-01-01", "2,3.5,2024-01-02", "3,4.5,2024-01-03"]:
        f.add(raw)
    c.case("no_header_detected", c.write("no_header_detected.csv", f.text()), header=False,
           columns=["column0", "column1", "column2"],
           types={"column0": "int32", "column1": "double", "column2": "date32[day]"}, rows=3,
           notes="no header and no option: the first row has the types of the others, so it is data "
                 "(the contract says 'header detected' without the rule; this is the unambiguous case)")

    f = CSVFile()
    f.add("a,,a,b,a")
    f.add("1,2,3,4,5")
    f.add("6,7,8,9,10")
    c.case("header_empty_and_duplicate", c.write("header_empty_and_duplicate.csv", f.text()),
           columns=["a", "column1", "a_1", "b", "a_2"],
           types={"a": "int32", "column1": "int32", "a_1": "int32", "b": "int32", "a_2": "int32"}, rows=2,
           notes="an empty header name becomes column1 (0-based position); duplicates get _1, _2")

    f = CSVFile()
    f.add('"id","full name","a,b"')
    f.add('1,x,y')
    f.add('2,"z",w')
    c.case("quoted_header", c.write("quoted_header.csv", f.text()), columns=["id", "full name", "a,b"],
           types={"id": "int32", "full name": "string", "a,b": "string"}, rows=2,
           notes="quoted header names with a space and a delimiter")

    f = CSVFile()
    f.add("name,age,joined")
    f.add("bob,42,2020-05-01")
    c.case("one_row", c.write("one_row.csv", f.text().rstrip("\n")), columns=["name", "age", "joined"],
           types={"name": "string", "age": "int32", "joined": "date32[day]"}, rows=1,
           notes="one data row and no line end after it")

    c.case("header_only", c.write("header_only.csv", "a,b,c\n"), columns=["a", "b", "c"],
           types={"a": None, "b": None, "c": None}, rows=0,
           notes="0 rows: the contract does not say which type a column without values gets, nor how a "
                 "lone line is recognised as a header (types are not checked)")

    f = CSVFile()
    for raw in ["value", "3", "1", "4", "1", "5"]:
        f.add(raw)
    c.case("one_column", c.write("one_column.csv", f.text()), columns=["value"], types={"value": "int32"},
           rows=5, notes="a single column: no delimiter in the file")

    f = CSVFile()
    for raw in ["word", "alpha"]:
        f.add(raw)
    f.blank()
    f.add("beta")
    c.case("one_column_blank_line", c.write("one_column_blank_line.csv", f.text()), columns=["word"],
           types={"word": "string"}, rows=3, values={"word": ["alpha", None, "beta"]},
           notes="blank lines are skipped only with more than one column: here it is a null row "
                 "(pyarrow skips it, DuckDB keeps it)")

    names = [f"c{i}" for i in range(200)]
    f = CSVFile()
    f.add(",".join(names))
    for r in range(5):
        f.add(",".join(str(r * 1000 + i) for i in range(200)))
    c.case("wide", c.write("wide.csv", f.text()), columns=names, types={n: "int32" for n in names}, rows=5,
           notes="200 columns")


# ---------------------------------------------------------------------------------------------------
# Clean cases: types

def type_cases(c: Corpus) -> None:
    f = CSVFile()
    f.add("i32,i64_low,i64_high,i64,beyond_max,beyond_min")
    f.add("-2147483648,2147483648,-2147483649,9223372036854775807,9223372036854775808,-9223372036854775809")
    f.add("2147483647,1,1,-9223372036854775808,,")
    f.add("0,,,0,,")
    f.add("-0,,,,,")
    c.case("int_limits", c.write("int_limits.csv", f.text()),
           columns=["i32", "i64_low", "i64_high", "i64", "beyond_max", "beyond_min"],
           types={"i32": "int32", "i64_low": "int64", "i64_high": "int64", "i64": "int64",
                  "beyond_max": "double", "beyond_min": "string"}, rows=4,
           values={"beyond_max": ["9223372036854775808", None, None, None],
                   "beyond_min": ["-9223372036854775809", None, None, None]},
           notes="INT32 and INT64 limits and one past them. 2^63 is exactly representable, so DOUBLE "
                 "('integers beyond INT64 are DOUBLE only if exact'); -2^63-1 is not, so STRING. "
                 "DuckDB reads both as DECIMAL(38,0), pyarrow as double")

    f = CSVFile()
    f.add("exact,inexact,max_and_double,small")
    f.add("9007199254740992,9007199254740993,9223372036854775807,1")
    f.add("0.5,0.5,1.5,2.5")
    f.add("-9007199254740992,,,")
    c.case("int_double_mix", c.write("int_double_mix.csv", f.text()),
           columns=["exact", "inexact", "max_and_double", "small"],
           types={"exact": "double", "inexact": "string", "max_and_double": "string", "small": "double"},
           rows=3,
           values={"inexact": ["9007199254740993", "0.5", None],
                   "max_and_double": ["9223372036854775807", "1.5", None]},
           notes="INT64 and DOUBLE mix to DOUBLE only when every integer has |v| <= 2^53, else STRING "
                 "(the peers round to double)")

    f = CSVFile()
    f.add("v,special")
    values = ["0.1", "-0.0", "1e10", "1E-5", "2.5e+300", "5e-324", "1.7976931348623157e308",
              "2.2250738585072014e-308", "0.30000000000000004", "123456789.123456789", "-1.5e-10", "100"]
    specials = ["nan", "NaN", "inf", "-inf", "Infinity", "-INFINITY", "1.0", "", "-1", "2", "3", "4"]
    for v, s in zip(values, specials):
        f.add(f"{v},{s}")
    c.case("doubles", c.write("doubles.csv", f.text()), columns=["v", "special"],
           types={"v": "double", "special": "double"}, rows=len(values),
           notes="exponents (e, E, signs), -0.0, subnormal min, max, min normal, 17 digits, an integer "
                 "among doubles; nan/inf/infinity in several cases")

    f = CSVFile()
    f.add("b,b_oddcase,zero_one,bool_int")
    for row in ["true,tRuE,0,true", "false,fAlSe,1,1", "TRUE,True,1,false", "FALSE,FALSE,0,0", "True,,,",
                "False,,,"]:
        f.add(row)
    c.case("booleans", c.write("booleans.csv", f.text()), columns=["b", "b_oddcase", "zero_one", "bool_int"],
           types={"b": "bool", "b_oddcase": "bool", "zero_one": "int32", "bool_int": "string"}, rows=6,
           values={"b_oddcase": ["true", "false", "true", "false", None, None],
                   "bool_int": ["true", "1", "false", "0", None, None]},
           notes="true/false in any case are BOOLEAN (pyarrow only knows true/True/TRUE); 0/1 are "
                 "integers; booleans mixed with integers are STRING (pyarrow counts 1/0 as booleans)")

    f = CSVFile()
    f.add("d,date_int")
    for row in ["2024-02-29,2024-01-01", "1970-01-01,5", "1969-12-31,", "0001-01-01,", "9999-12-31,"]:
        f.add(row)
    c.case("dates", c.write("dates.csv", f.text()), columns=["d", "date_int"],
           types={"d": "date32[day]", "date_int": "string"}, rows=5,
           notes="leap day, epoch and the day before, year 1 and 9999; DATE mixed with INT is STRING")

    f = CSVFile()
    f.add("ts_s,ts_hm,ts_frac,ts_ns,ts_zone,ts_mixed_zone,date_ts")
    rows = [
        ["2024-01-01 12:34:56", "2024-01-01 12:34", "2024-01-01 12:34:56.5", "2024-01-01 12:34:56.123456789",
         "2024-01-01T12:34:56Z", "2024-01-01T12:34:56Z", "2024-01-01"],
        ["1999-12-31T23:59:59", "2024-06-30T00:00", "2024-01-01T12:34:56.123456", "2024-01-01 12:34:56.1",
         "2024-01-01 12:34:56+05:30", "2024-01-01 12:34:56", "2024-01-01 12:34:56"],
        ["1970-01-01 00:00:00", "1969-12-31 23:59", "2024-01-01 12:34:56.1", "1969-12-31 23:59:59.999999999",
         "2024-01-01 12:34:56-0800", "", "2024-01-02T00:00:01"],
    ]
    for row in rows:
        f.add(",".join(row))
    c.case("timestamps", c.write("timestamps.csv", f.text()),
           columns=["ts_s", "ts_hm", "ts_frac", "ts_ns", "ts_zone", "ts_mixed_zone", "date_ts"],
           types={"ts_s": "timestamp[us]", "ts_hm": "timestamp[us]", "ts_frac": "timestamp[us]",
                  "ts_ns": "timestamp[ns]", "ts_zone": "timestamp[us, tz=UTC]", "ts_mixed_zone": "string",
                  "date_ts": "timestamp[us]"}, rows=3,
           values={"ts_ns": ["2024-01-01 12:34:56.123456789", "2024-01-01 12:34:56.1",
                             "1969-12-31 23:59:59.999999999"],
                   "ts_mixed_zone": ["2024-01-01T12:34:56Z", "2024-01-01 12:34:56", None],
                   "date_ts": ["2024-01-01 00:00:00", "2024-01-01 12:34:56", "2024-01-02 00:00:01"]},
           notes="T or space, HH:MM without seconds, 1-6 fraction digits (microseconds), 9 digits "
                 "(nanoseconds, before 1970 too), Z/+05:30/-0800 converted to UTC, zoned mixed with "
                 "unzoned is STRING, DATE < TIMESTAMP")

    f = CSVFile()
    f.add("id,flag,day")
    f.add('"1","true","2024-01-01"')
    f.add('"2","false","2024-01-02"')
    c.case("quoted_typed_values", c.write("quoted_typed_values.csv", f.text()), columns=["id", "flag", "day"],
           types={"id": "int32", "flag": "bool", "day": "date32[day]"}, rows=2,
           notes="quoting does not make a value a string")

    f = CSVFile()
    f.add("id,code,price")
    f.add("1,00123,2.5")
    f.add("2,00042,3.5")
    c.case("schema_partial", c.write("schema_partial.csv", f.text()), options=["--schema", "code:string,id:bigint"],
           peer_types={"code": "string", "id": "int64"}, columns=["id", "code", "price"],
           types={"id": "int64", "code": "string", "price": "double"}, rows=2,
           notes="--schema for some columns by name, in another order; the rest inferred; leading zeros kept")

    header = "a,b,c,d,e,f,g"
    row1 = "true,1,2,3,4,2024-01-01,2024-01-01 00:00:00"
    row2 = "false,-5,3,4,5,2024-01-02,2024-01-02T01:02:03.5"
    f = CSVFile()
    for raw in [header, row1, row2]:
        f.add(raw)
    canonical = {"a": "boolean", "b": "int32", "c": "int64", "d": "double", "e": "string", "f": "date",
                 "g": "timestamp"}
    types = {"a": "bool", "b": "int32", "c": "int64", "d": "double", "e": "string", "f": "date32[day]",
             "g": "timestamp[us]"}
    name = c.write("schema_types.csv", f.text())
    for label, spellings in [("canonical", canonical),
                             ("aliases", {"a": "bool", "b": "int", "c": "bigint", "d": "float", "e": "varchar",
                                          "f": "date", "g": "timestamp"}),
                             ("aliases2", {"a": "bool", "b": "integer", "c": "long", "d": "float64",
                                           "e": "text", "f": "date", "g": "timestamp"})]:
        spec = ",".join(f"{k}:{v}" for k, v in spellings.items())
        c.case(f"schema_{label}", name, options=["--schema", spec], peer_types=canonical,
               columns=list(types), types=types, rows=2,
               notes=f"--schema for every column with the {label} type names: c would be inferred as "
                     "int32, d as int32 and e as int32 without it")


# ---------------------------------------------------------------------------------------------------
# Clean cases: inference over the whole input, compression, standard input

LATE_ROWS = 30000


def late_cases(c: Corpus) -> None:
    f = CSVFile()
    f.add("id,late_str,late_double,late_int64,late_date_str")
    start = datetime.date(2000, 1, 1)
    for i in range(LATE_ROWS):
        small = str(i % 1000)
        f.add(f"{i + 1},{small},{small},{small},{start + datetime.timedelta(days=i % 3650)}")
    f.add(f"{LATE_ROWS + 1},abc,1.5,3000000000,not a date")
    text = f.text()
    columns = ["id", "late_str", "late_double", "late_int64", "late_date_str"]
    types = {"id": "int32", "late_str": "string", "late_double": "double", "late_int64": "int64",
             "late_date_str": "string"}
    notes = (f"{LATE_ROWS} rows of integers and dates, then one row that widens every column but id: "
             "inference covers the whole input")
    name = c.write("late_type_change.csv", text)
    c.case("late_type_change", name, columns=columns, types=types, rows=LATE_ROWS + 1, notes=notes)
    c.case("late_type_change_small_sample", name, options=["--sample-rows", "100"], columns=columns,
           types=types, rows=LATE_ROWS + 1, notes=notes + "; --sample-rows 100 forces the widening restart")
    c.case("late_type_change_stdin", name, stdin=True, columns=columns, types=types, rows=LATE_ROWS + 1,
           notes=notes + "; from standard input (not seekable: only the start can be sampled)")
    c.case("late_type_change_row_groups", name,
           options=["--row-group-rows", "7000", "--compression", "snappy", "--threads", "1"], columns=columns,
           types=types, rows=LATE_ROWS + 1, notes=notes + "; several row groups, snappy, one thread")
    c.write("late_type_change.csv.gz", gzip_bytes(text.encode()))
    c.case("late_type_change_gz", "late_type_change.csv.gz", columns=columns, types=types, rows=LATE_ROWS + 1,
           notes=notes + "; gzip-compressed")


def compressed_cases(c: Corpus) -> None:
    by_name = {case["name"]: case for case in c.cases}

    def copy(source: str, filename: str, data: bytes, label: str, stdin: bool = False) -> None:
        base = by_name[source]
        c.write(filename, data)
        c.case(f"{source}_{label}", filename, stdin=stdin, options=list(base["options"]),
               delimiter=base["dialect"]["delimiter"], header=base["dialect"]["header"],
               columns=base["expected_columns"], types=base["expected_types"], rows=base["expected_rows"],
               values=base["expected_values"], peer_types=base["peer_types"],
               notes=f"{label} copy of {base['file']}")

    copy("rfc4180_quotes", "rfc4180_quotes.csv.gz", gzip_bytes(read(c, "rfc4180_quotes.csv")), "gz")
    copy("unicode", "unicode.csv.zst", zstd_bytes(read(c, "unicode.csv")), "zst")
    copy("crlf", "crlf.csv.zst", zstd_bytes(read(c, "crlf.csv")), "zst")
    copy("timestamps", "timestamps_gzip_by_magic.csv", gzip_bytes(read(c, "timestamps.csv")), "gzip_by_magic")
    copy("doubles", "doubles_zstd_by_magic.csv", zstd_bytes(read(c, "doubles.csv")), "zstd_by_magic")
    copy("delimiter_semicolon", "delimiter_semicolon_stdin.csv.gz",
         gzip_bytes(read(c, "delimiter_semicolon.csv")), "gz_stdin", stdin=True)


# ---------------------------------------------------------------------------------------------------
# Malformed cases

def modes(skip_rows, null_rows, skip_rejects, null_rejects, fields_nulled, rows_rejected_skip=None,
          rows_rejected_null=None) -> dict:
    return {
        "skip": {"rows": skip_rows, "rejects": skip_rejects,
                 "rows_rejected": len(skip_rejects) if rows_rejected_skip is None else rows_rejected_skip,
                 "fields_nulled": 0},
        "null": {"rows": null_rows, "rejects": null_rejects,
                 "rows_rejected": rows_rejected_null, "fields_nulled": fields_nulled},
    }


def reject(line: int, raw: str, column: str = "", fields: list[str] | None = None) -> dict:
    """An expected rejects entry: column "" for the whole row, a name for one field. With `fields`
    (column null) the contract allows either one whole-row entry or one entry per field named: a short
    row kept by `--on-error null` (its missing fields), a row dropped by `--on-error skip` for values that
    do not parse (its bad fields)."""
    if fields:
        return {"line": line, "column": None, "fields": fields, "raw": raw}
    return {"line": line, "column": column, "raw": raw}


def malformed_cases(c: Corpus) -> None:
    # Too few fields; a quoted newline before it makes the record number differ from the line.
    f = CSVFile()
    f.add("id,name,qty")
    f.add("1," + q("multi\nline") + ",5")
    bad = f.add("2,b")
    f.add("3,c,7")
    name = c.write("ragged_too_few.csv", f.text())
    fail = {"line": bad, "column": None, "position": None, "raw": "2,b"}
    expected = modes(
        skip_rows=[["1", "multi\nline", "5"], ["3", "c", "7"]],
        null_rows=[["1", "multi\nline", "5"], ["2", "b", None], ["3", "c", "7"]],
        skip_rejects=[reject(bad, "2,b")],
        null_rejects=[reject(bad, "2,b", fields=["qty"])], fields_nulled=None, rows_rejected_null=0)
    types = {"id": "int32", "name": "string", "qty": "int32"}
    c.case("ragged_too_few", name, kind="malformed", columns=["id", "name", "qty"], types=types, fail=fail,
           notes="a row with too few fields (line 4, after a record spanning lines 2-3). With null the "
                 "missing field is null; whether rejects lists the row (column empty) or the field "
                 "(column 'qty'), and whether it counts as a field set to null, is not specified",
           **expected)
    c.write("ragged_too_few.csv.gz", gzip_bytes(read(c, name)))
    c.case("ragged_too_few_gz", "ragged_too_few.csv.gz", kind="malformed", columns=["id", "name", "qty"],
           types=types, fail=fail, notes="gzip copy of ragged_too_few.csv: the same line numbers", **expected)

    # Too many fields, CRLF and a BOM.
    f = CSVFile(bom=True)
    f.add("id,name", "\r\n")
    f.add("1," + q("a\r\nb"), "\r\n")
    f.add("2,c", "\r\n")
    bad = f.add("3,d,extra", "\r\n")
    f.add("4,e", "\r\n")
    kept = [["1", "a\r\nb"], ["2", "c"], ["4", "e"]]
    c.case("ragged_too_many", c.write("ragged_too_many.csv", f.text()), kind="malformed",
           columns=["id", "name"], types={"id": "int32", "name": "string"},
           fail={"line": bad, "column": None, "position": None, "raw": "3,d,extra"},
           notes="a row with too many fields in a CRLF file with a BOM (line 5: a quoted CRLF before "
                 "it); dropped by skip and by null",
           **modes(skip_rows=kept, null_rows=kept, skip_rejects=[reject(bad, "3,d,extra")],
                   null_rejects=[reject(bad, "3,d,extra")], fields_nulled=0, rows_rejected_null=1))

    # Unterminated quote at the end of the input.
    f = CSVFile()
    f.add("id,note")
    f.add("1,ok")
    bad = f.add('2,"never closed')
    f.add("3,more")
    raw = '2,"never closed\n3,more'
    c.case("unterminated_quote", c.write("unterminated_quote.csv", f.text()), kind="malformed",
           columns=["id", "note"], types={"id": "int32", "note": "string"},
           fail={"line": bad, "column": None, "position": None, "raw": '2,"never closed'},
           notes="a quote opened on line 3 is never closed: the record runs to the end of the input "
                 "(its raw text is both lines) and is dropped by skip and by null",
           **modes(skip_rows=[["1", "ok"]], null_rows=[["1", "ok"]], skip_rejects=[reject(bad, raw)],
                   null_rejects=[reject(bad, raw)], fields_nulled=0, rows_rejected_null=1))

    # The contract's example: a value that does not parse under --schema.
    f = CSVFile()
    f.add("id,name,price")
    f.add("1,apple,1.25")
    f.add("2,pear,0.5")
    f.add("3," + q("kiwi\nfruit") + ",2")
    bad = f.add('4,abc,"12,3"')
    f.add("5,plum,7.75")
    good = [["1", "apple", "1.25"], ["2", "pear", "0.5"], ["3", "kiwi\nfruit", "2"]]
    c.case("schema_bad_double", c.write("schema_bad_double.csv", f.text()), kind="malformed",
           options=["--schema", "id:int32,name:string,price:double"],
           peer_types={"id": "int32", "name": "string", "price": "double"},
           columns=["id", "name", "price"], types={"id": "int32", "name": "string", "price": "double"},
           fail={"line": bad, "column": "price", "position": 3, "raw": '4,abc,"12,3"'},
           notes="the contract's example: \"12,3\" is no double (line 6, after a two-line record)",
           **modes(skip_rows=good + [["5", "plum", "7.75"]],
                   null_rows=good + [["4", "abc", None], ["5", "plum", "7.75"]],
                   skip_rejects=[reject(bad, '4,abc,"12,3"', fields=["price"])],
                   null_rejects=[reject(bad, '4,abc,"12,3"', "price")], fields_nulled=1, rows_rejected_null=0))

    # Several bad values, two in one row, one per type.
    f = CSVFile()
    f.add("i,b,d,t,x")
    raws = ["1,true,2024-01-01,2024-01-01 00:00:00,10",
            "3000000000,false,2024-01-02,2024-01-02 00:00:00,11",
            "3,yes,2024-02-30,2024-01-03 00:00:00,12",
            "4,false,2024-01-04,2024-01-04 00:00:00,13",
            "5,true,2024-01-05,2024-13-01 00:00:00,14",
            "6,true,2024-01-06,2024-01-06 00:00:00,12abc",
            "7,false,2024-01-07,2024-01-07 12:00:00,-9223372036854775808"]
    lines = [f.add(raw) for raw in raws]
    types = {"i": "int32", "b": "bool", "d": "date32[day]", "t": "timestamp[us]", "x": "int64"}
    good = [["1", "true", "2024-01-01", "2024-01-01 00:00:00", "10"],
            ["4", "false", "2024-01-04", "2024-01-04 00:00:00", "13"],
            ["7", "false", "2024-01-07", "2024-01-07 12:00:00", "-9223372036854775808"]]
    nulled = [good[0],
              [None, "false", "2024-01-02", "2024-01-02 00:00:00", "11"],
              ["3", None, None, "2024-01-03 00:00:00", "12"],
              good[1],
              ["5", "true", "2024-01-05", None, "14"],
              ["6", "true", "2024-01-06", "2024-01-06 00:00:00", None],
              good[2]]
    c.case("schema_bad_values", c.write("schema_bad_values.csv", f.text()), kind="malformed",
           options=["--schema", "i:int32,b:boolean,d:date,t:timestamp,x:int64"],
           peer_types={"i": "int32", "b": "boolean", "d": "date", "t": "timestamp", "x": "int64"},
           columns=list(types), types=types,
           fail={"line": lines[1], "column": "i", "position": 1, "raw": raws[1]},
           notes="int32 overflow, 'yes' as boolean and 2024-02-30 as date in one row (two fields), month "
                 "13 in a timestamp, '12abc' as int64; fail names the first",
           **modes(skip_rows=good, null_rows=nulled,
                   skip_rejects=[reject(lines[1], raws[1], fields=["i"]), reject(lines[2], raws[2], fields=["b", "d"]),
                                 reject(lines[4], raws[4], fields=["t"]), reject(lines[5], raws[5], fields=["x"])],
                   null_rejects=[reject(lines[1], raws[1], "i"), reject(lines[2], raws[2], "b"),
                                 reject(lines[2], raws[2], "d"), reject(lines[4], raws[4], "t"),
                                 reject(lines[5], raws[5], "x")],
                   fields_nulled=5, rows_rejected_null=0))

    # Every kind of problem in one file: which one fail names, and the counts.
    f = CSVFile()
    f.add("id,v,w")
    f.add("1,1.5,a")
    few = f.add("2,2.5")
    bad = f.add("3,abc,c")
    many = f.add("4,4.5,d,extra")
    f.add("5,5.5,e")
    opened = f.add('6,6.5,"open')
    c.case("mixed_errors", c.write("mixed_errors.csv", f.text()), kind="malformed",
           options=["--schema", "v:double"], peer_types={"v": "double"},
           columns=["id", "v", "w"], types={"id": "int32", "v": "double", "w": "string"},
           fail={"line": few, "column": None, "position": None, "raw": "2,2.5"},
           notes="too few, a bad double, too many, an unterminated quote at EOF; fail names the first "
                 "(line 3); null keeps the short row and the bad value's row",
           **modes(skip_rows=[["1", "1.5", "a"], ["5", "5.5", "e"]],
                   null_rows=[["1", "1.5", "a"], ["2", "2.5", None], ["3", None, "c"], ["5", "5.5", "e"]],
                   skip_rejects=[reject(few, "2,2.5"), reject(bad, "3,abc,c", fields=["v"]), reject(many, "4,4.5,d,extra"),
                                 reject(opened, '6,6.5,"open')],
                   null_rejects=[reject(few, "2,2.5", fields=["w"]), reject(bad, "3,abc,c", "v"),
                                 reject(many, "4,4.5,d,extra"), reject(opened, '6,6.5,"open')],
                   fields_nulled=None, rows_rejected_null=2))

    # Without a header the first row sets the field count.
    f = CSVFile()
    f.add("a,1,x")
    f.add("b,2,y")
    bad = f.add("c,3")
    f.add("d,4,z")
    c.case("no_header_ragged", c.write("no_header_ragged.csv", f.text()), kind="malformed",
           options=["--no-header"], header=False, columns=["column0", "column1", "column2"],
           types={"column0": "string", "column1": "int32", "column2": "string"},
           fail={"line": bad, "column": None, "position": None, "raw": "c,3"},
           notes="--no-header: the first row sets the number of fields",
           **modes(skip_rows=[["a", "1", "x"], ["b", "2", "y"], ["d", "4", "z"]],
                   null_rows=[["a", "1", "x"], ["b", "2", "y"], ["c", "3", None], ["d", "4", "z"]],
                   skip_rejects=[reject(bad, "c,3")], null_rejects=[reject(bad, "c,3", fields=["column2"])],
                   fields_nulled=None, rows_rejected_null=0))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: make_csv_corpus.py OUT_DIR", file=sys.stderr)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    corpus = Corpus(out)
    dialect_cases(corpus)
    type_cases(corpus)
    late_cases(corpus)
    compressed_cases(corpus)
    malformed_cases(corpus)
    with open(os.path.join(out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump(corpus.cases, f, ensure_ascii=False, indent=1)
        f.write("\n")
    files = {case["file"] for case in corpus.cases}
    size = sum(os.path.getsize(os.path.join(out, name)) for name in files)
    print(f"make_csv_corpus: {len(corpus.cases)} cases, {len(files)} files, {size / 1e6:.1f} MB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

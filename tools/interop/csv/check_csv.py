#!/usr/bin/env python3
"""Differential tests of `sparrow convert` on CSV input against DuckDB and pyarrow.csv (issue 3).

    check_csv.py CORPUS_DIR WORK_DIR [--only SUBSTRING] [--keep] [--verbose]

CORPUS_DIR is what make_csv_corpus.py wrote (the CSV files and cases.json). For every case:

* clean: `sparrow convert FILE|- WORK/<case>/out.parquet [options] --quiet` must succeed; pyarrow reads
  the output, which must have the column names, the types (`expected_types`, from the contract) and the
  row count of cases.json. Then the values, column by column, as the jsonl golden formatter prints
  them (sparrow_json.py, compared by compare.py):
    - a column with `expected_values` in cases.json (the contract, where it legitimately differs from
      the peers) is compared with those;
    - otherwise with what DuckDB (`read_csv`) and pyarrow.csv (`read_csv`) read from the same input,
      told the true dialect (and `--schema` types), when those two agree with each other; a peer's
      column is first cast to Sparrow's type when that is lossless within the same kind (int64 ->
      int32, timestamp[s] -> timestamp[us], tz Etc/UTC -> UTC);
    - otherwise the column is "skipped: peers disagree" (reported, not a failure).
  Peers are matched to Sparrow's columns by position (their naming rules differ from the contract's).
* malformed: with `--on-error fail` (and with no --on-error: fail is the default) the exit status is 1,
  stderr names the file, the line of the first bad record, its column and position where one applies,
  and its raw text, and the output directory stays empty. With `--on-error skip` and `--on-error null`
  (each with `--rejects FILE`, without --quiet) the output holds exactly the rows in cases.json, the
  rejects file is CSV with the header line,column,reason,raw listing exactly the expected lines (and
  columns, and raw text), and the summary on stderr counts the rows written, the rows rejected and the
  fields set to null.

Prints a table (one line per case) and the peers' disagreements, and exits 1 if any case failed.
Outputs of passing cases are deleted unless --keep.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402
import compare  # noqa: E402
import sparrow_json  # noqa: E402

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
REJECTS_HEADER = ["line", "column", "reason", "raw"]

# Contract type names (the canonical ones used in peer_types) as the peers spell them.
PYARROW_TYPES = {"boolean": pa.bool_(), "int32": pa.int32(), "int64": pa.int64(), "double": pa.float64(),
                 "date": pa.date32(), "timestamp": pa.timestamp("us"), "string": pa.string()}
DUCKDB_TYPES = {"boolean": "BOOLEAN", "int32": "INTEGER", "int64": "BIGINT", "double": "DOUBLE",
                "date": "DATE", "timestamp": "TIMESTAMP", "string": "VARCHAR"}


def arrow_type(text: str) -> pa.DataType:
    """The pyarrow type whose str() is `text` (the spellings cases.json uses)."""
    simple = {"bool": pa.bool_(), "int32": pa.int32(), "int64": pa.int64(), "double": pa.float64(),
              "date32[day]": pa.date32(), "string": pa.string()}
    if text in simple:
        return simple[text]
    match = re.fullmatch(r"timestamp\[(s|ms|us|ns)(?:, tz=(.+))?\]", text)
    if match:
        return pa.timestamp(match.group(1), tz=match.group(2))
    raise ValueError(f"cases.json: unknown type {text!r}")


# ---------------------------------------------------------------------------------------------------
# Inputs and peers

def plain_bytes(data: bytes) -> bytes:
    """The CSV bytes, decompressed when the data starts with gzip or zstd magic."""
    if data.startswith(GZIP_MAGIC):
        return gzip.decompress(data)
    if data.startswith(ZSTD_MAGIC):
        return pa.input_stream(pa.BufferReader(data), compression="zstd").read()
    return data


def pyarrow_csv(case: dict, data: bytes) -> pa.Table:
    """pyarrow.csv's reading with the case's dialect: empty unquoted is null, quoted empty is ''."""
    dialect = case["dialect"]
    read = pacsv.ReadOptions(autogenerate_column_names=not dialect["header"],
                             block_size=max(1 << 20, 2 * len(data)))  # one block: infer from everything
    parse = pacsv.ParseOptions(delimiter=dialect["delimiter"], quote_char='"', double_quote=True,
                               escape_char=False, newlines_in_values=True, ignore_empty_lines=True)
    convert = pacsv.ConvertOptions(
        null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=False,
        column_types={name: PYARROW_TYPES[t] for name, t in case["peer_types"].items()})
    return pacsv.read_csv(io.BytesIO(data), read_options=read, parse_options=parse, convert_options=convert)


def duckdb_csv(case: dict, path: str) -> pa.Table:
    """DuckDB's read_csv with the case's dialect, sniffing types over the whole file."""
    import duckdb

    dialect = case["dialect"]
    options = [f"delim={common._sql_string(dialect['delimiter'])}",
               f"header={'true' if dialect['header'] else 'false'}",
               "quote='\"'", "escape='\"'", "allow_quoted_nulls=false", "sample_size=-1",
               "max_line_size=16777216"]
    if case["peer_types"]:
        types = ", ".join(f"{common._sql_string(name)}: {common._sql_string(DUCKDB_TYPES[t])}"
                          for name, t in case["peer_types"].items())
        options.append("types={" + types + "}")
    query = f"SELECT * FROM read_csv({common._sql_string(path)}, {', '.join(options)}"
    try:
        relation = duckdb.connect().sql(query + ")")
    except duckdb.Error:
        # Strict mode refuses mixed line ends and blank lines; the lenient mode reads them.
        relation = duckdb.connect().sql(query + ", strict_mode=false)")
    for method in ("to_arrow_table", "fetch_arrow_table", "arrow"):
        if hasattr(relation, method):
            return getattr(relation, method)()
    raise RuntimeError("this duckdb package has no Arrow export")


def _kind(t: pa.DataType) -> str:
    if pa.types.is_null(t):
        return "null"
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_floating(t):
        return "float"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamp" if t.tz is None else "timestamp with zone"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    return str(t)


def align(column: pa.ChunkedArray, target: pa.DataType) -> pa.ChunkedArray:
    """`column` cast to `target` when both are the same kind (or `column` is all null) and no value
    changes; unchanged otherwise."""
    if column.type == target or _kind(column.type) not in (_kind(target), "null"):
        return column
    try:
        return column.cast(target, safe=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return column


def lines_of(name: str, column: pa.ChunkedArray | pa.Array) -> list[str]:
    return sparrow_json.table_to_jsonl_lines(pa.table([column], names=[name]))


def expected_column(values: list, type_text: str | None, fallback: pa.DataType) -> pa.Array:
    """Text values from cases.json as an Arrow array of the expected type (Arrow parses the text)."""
    target = arrow_type(type_text) if type_text else fallback
    array = pa.array(values, pa.string())
    return array if pa.types.is_string(target) else array.cast(target)


# ---------------------------------------------------------------------------------------------------
# Results

@dataclass
class Result:
    name: str
    kind: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def compare_column(label: str, name: str, expected: list[str], actual: list[str], t: pa.DataType) -> list[str]:
    if expected == actual:
        return []  # the same text: no need to parse (floats differ in text only when spelled differently)
    mismatches, total = compare.compare_lines(expected, actual, pa.schema([(name, t)]), label, limit=3)
    problems = [str(m) for m in mismatches]
    if total > len(mismatches):
        problems.append(f"{label}: column {name}: {total - len(mismatches)} more mismatches")
    return problems


def fresh_dir(path: str) -> str:
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def convert_args(case: dict, corpus: str, out: str) -> tuple[list[str], bytes | None]:
    path = os.path.join(corpus, case["file"])
    if case["stdin"]:
        with open(path, "rb") as f:
            return ["convert", "-", out, *case["options"]], f.read()
    return ["convert", path, out, *case["options"]], None


def read_output(path: str, result: Result, label: str) -> pa.Table | None:
    if not os.path.exists(path):
        result.problems.append(f"{label}: exit status 0 but no output file")
        return None
    try:
        return pq.read_table(path)
    except Exception as error:
        result.problems.append(f"{label}: pyarrow cannot read the output: {error}")
        return None


def check_schema(case: dict, table: pa.Table, result: Result, label: str) -> bool:
    """Column names and types against cases.json; False when the names differ (values not comparable)."""
    if table.column_names != case["expected_columns"]:
        result.problems.append(f"{label}: columns {table.column_names}, expected {case['expected_columns']}")
        return False
    for name in table.column_names:
        expected = case["expected_types"][name]
        actual = str(table.schema.field(name).type)
        if expected is not None and actual != expected:
            result.problems.append(f"{label}: column {name!r} is {actual}, the contract says {expected}")
    return True


# ---------------------------------------------------------------------------------------------------
# Clean cases

@dataclass
class PeerFindings:
    disagreements: list[str] = field(default_factory=list)   # (case, column): peers disagree
    contract_differs: list[str] = field(default_factory=list)  # peers agree, the contract says otherwise


def read_peers(case: dict, data: bytes, work: str, width: int) -> tuple[dict[str, pa.Table], list[str]]:
    """Both peers' readings with columns renamed to positions; notes on peers that failed."""
    plain_path = os.path.join(work, "plain.csv")
    with open(plain_path, "wb") as f:
        f.write(data)
    tables: dict[str, pa.Table] = {}
    notes: list[str] = []
    for peer, read in (("pyarrow", lambda: pyarrow_csv(case, data)), ("duckdb", lambda: duckdb_csv(case, plain_path))):
        try:
            table = read()
        except Exception as error:
            notes.append(f"{peer} cannot read it: {str(error).splitlines()[0][:160]}")
            continue
        if table.num_columns != width:
            notes.append(f"{peer} reads {table.num_columns} columns {table.column_names[:8]}")
            continue
        tables[peer] = table
    return tables, notes


def check_clean(case: dict, corpus: str, work: str, findings: PeerFindings) -> Result:
    result = Result(case["name"], "clean")
    label = case["name"]
    out = os.path.join(fresh_dir(os.path.join(work, case["name"])), "out.parquet")
    args, stdin = convert_args(case, corpus, out)
    run = common.run_sparrow([*args, "--quiet"], stdin=stdin)
    if run.status != 0:
        result.problems.append(f"{label}: sparrow convert failed: {run.first_error_line()}")
        return result
    table = read_output(out, result, label)
    if table is None:
        return result
    if not check_schema(case, table, result, label):
        return result
    if table.num_rows != case["expected_rows"]:
        result.problems.append(f"{label}: {table.num_rows} rows, expected {case['expected_rows']}")
        return result

    with open(os.path.join(corpus, case["file"]), "rb") as f:
        data = plain_bytes(f.read())
    peers, peer_notes = read_peers(case, data, os.path.dirname(out), table.num_columns)
    result.notes += peer_notes
    counts = {"peers": 0, "contract": 0, "skipped": 0}
    for index, name in enumerate(table.column_names):
        target = table.schema.field(name).type
        actual = lines_of(name, table.column(name))
        peer_lines, peer_types, agreed_type = read_peer_column(peers, index, name, target)
        agree = len(peer_lines) == 2 and peer_lines["pyarrow"] == peer_lines["duckdb"]
        if name in case["expected_values"]:
            expected = lines_of(name, expected_column(case["expected_values"][name],
                                                      case["expected_types"][name], target))
            result.problems += compare_column(label, name, expected, actual, target)
            counts["contract"] += 1
            if agree and first_difference(expected, peer_lines["pyarrow"]):
                findings.contract_differs.append(
                    f"{label}.{name}: peers agree ({peer_types['pyarrow']}, {peer_types['duckdb']}), the "
                    f"contract says {case['expected_types'][name]}: {contract_difference(expected, peer_lines['pyarrow'])}")
            elif not agree:
                findings.disagreements.append(f"{label}.{name}: {peer_disagreement(peer_lines, peer_types)} "
                                              f"(compared with cases.json)")
        elif agree:
            problems = compare_column(label, name, peer_lines["pyarrow"], actual, target)
            if problems and _kind(agreed_type) != _kind(target):
                problems.insert(0, f"{label}: column {name!r}: the peers agree on {agreed_type}, Sparrow wrote "
                                   f"{target}; if the contract rightly differs, cases.json needs expected_values")
            result.problems += problems
            counts["peers"] += 1
        else:
            reason = peer_disagreement(peer_lines, peer_types)
            result.notes.append(f"column {name!r} skipped: peers disagree ({reason})")
            findings.disagreements.append(f"{label}.{name}: {reason} (not compared)")
            counts["skipped"] += 1
    result.summary = (f"{table.num_rows} rows; columns: {counts['peers']} vs peers, {counts['contract']} vs "
                      f"contract, {counts['skipped']} skipped")
    if result.ok and not KEEP:
        shutil.rmtree(os.path.dirname(out), ignore_errors=True)
    return result


def read_peer_column(peers: dict[str, pa.Table], index: int, name: str, target: pa.DataType
                     ) -> tuple[dict[str, list[str]], dict[str, str], pa.DataType]:
    """Each peer's column `index` as jsonl lines (cast to Sparrow's type where lossless, else to the
    first peer's type), the types the peers read, and the type the lines were made from."""
    lines: dict[str, list[str]] = {}
    types: dict[str, str] = {}
    reference = target
    for peer, peer_table in peers.items():
        column = align(peer_table.column(index), reference)
        if column.type != reference:
            reference = column.type
        types[peer] = str(peer_table.column(index).type)
        lines[peer] = lines_of(name, column)
    return lines, types, reference


def first_difference(a: list[str], b: list[str]) -> tuple[int, str, str] | None:
    """(row, value in a, value in b) of the first row whose jsonl text differs (single-column lines)."""
    if len(a) != len(b):
        return min(len(a), len(b)), f"{len(a)} rows", f"{len(b)} rows"
    for row, (x, y) in enumerate(zip(a, b)):
        if x != y:
            value = lambda line: compare.to_text(compare.parse_line(line)[0][1])[:80]  # noqa: E731
            return row, value(x), value(y)
    return None


def contract_difference(expected: list[str], peer: list[str]) -> str:
    row, contract, peers = first_difference(expected, peer)
    return f"row {row}: contract {contract}, peers {peers}"


def peer_disagreement(lines: dict[str, list[str]], types: dict[str, str]) -> str:
    if len(lines) < 2:
        return "only " + (", ".join(f"{p} ({types[p]})" for p in lines) or "no peer") + " could read it"
    row, pyarrow_value, duckdb_value = first_difference(lines["pyarrow"], lines["duckdb"])
    return (f"pyarrow {types['pyarrow']} vs duckdb {types['duckdb']}, row {row}: "
            f"pyarrow {pyarrow_value}, duckdb {duckdb_value}")


# ---------------------------------------------------------------------------------------------------
# Malformed cases

def token(number: int) -> str:
    return rf"(?<!\d){number}(?!\d)"


def check_fail(case: dict, corpus: str, work: str, result: Result, explicit: bool) -> None:
    label = f"{case['name']} [{'--on-error fail' if explicit else 'default'}]"
    directory = fresh_dir(os.path.join(work, case["name"], "fail" if explicit else "default"))
    args, stdin = convert_args(case, corpus, os.path.join(directory, "out.parquet"))
    run = common.run_sparrow([*args, *(["--on-error", "fail"] if explicit else []), "--quiet"], stdin=stdin)
    expected = case["fail"]
    if run.status != 1:
        result.problems.append(f"{label}: exit status {run.status}, expected 1 ({run.first_error_line()})")
    left = os.listdir(directory)
    if left:
        result.problems.append(f"{label}: the failed conversion left {left} behind")
    basename = os.path.basename(case["file"])
    located = [line for line in run.stderr.splitlines()
               if basename in line and re.search(token(expected["line"]), line.split(basename, 1)[1])]
    if not located:
        result.problems.append(f"{label}: no stderr line names {basename} and line {expected['line']}: "
                               f"{run.stderr.strip()[:300]!r}")
    elif expected["column"] is not None:
        message = located[0]
        if expected["column"] not in message or not re.search(token(expected["position"]),
                                                               message.split(expected["column"], 1)[1]):
            result.problems.append(f"{label}: the message does not name column {expected['column']!r} "
                                   f"({expected['position']}): {message!r}")
    raw_line = expected["raw"].split("\n")[0]
    if "raw:" not in run.stderr or raw_line not in run.stderr.split("raw:", 1)[1]:
        result.problems.append(f"{label}: stderr has no 'raw:' line with {raw_line!r}")
    if not KEEP and not result.problems:
        shutil.rmtree(directory, ignore_errors=True)


def read_rejects(path: str, label: str, result: Result) -> list[dict] | None:
    if not os.path.exists(path):
        result.problems.append(f"{label}: no rejects file")
        return None
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != REJECTS_HEADER:
        result.problems.append(f"{label}: rejects header {rows[0] if rows else None}, expected {REJECTS_HEADER}")
        return None
    entries = []
    for row in rows[1:]:
        if len(row) != 4 or not row[0].isdigit():
            result.problems.append(f"{label}: rejects row {row} is not line,column,reason,raw")
            return None
        entries.append(dict(zip(REJECTS_HEADER, row)))
    return entries


def column_matches(actual: str, expected: str, columns: list[str]) -> bool:
    """A rejects column names `expected` by name, by 1-based position, or as "name (position)"."""
    if expected == "":
        return actual == ""
    position = columns.index(expected) + 1
    return actual in (expected, str(position), f"{expected} ({position})")


def check_rejects(entries: list[dict], expected: list[dict], columns: list[str], label: str) -> list[str]:
    problems = []
    actual_lines = sorted({int(e["line"]) for e in entries})
    expected_lines = sorted({e["line"] for e in expected})
    if actual_lines != expected_lines:
        problems.append(f"{label}: rejects lists lines {actual_lines}, expected {expected_lines}")
    for line in expected_lines:
        wanted = [e for e in expected if e["line"] == line]
        got = [e for e in entries if int(e["line"]) == line]
        if not got:
            continue  # already reported with the lines
        for entry in got:
            if not entry["reason"].strip():
                problems.append(f"{label}: rejects line {line} has no reason")
            if entry["raw"].rstrip("\r\n") != wanted[0]["raw"]:
                problems.append(f"{label}: rejects line {line} raw {entry['raw']!r}, expected {wanted[0]['raw']!r}")
        either = [w for w in wanted if w["column"] is None]
        if either:
            # One whole-row entry, or one entry per field named (the contract allows both readings).
            fields = either[0]["fields"]
            whole_row = len(got) == 1 and got[0]["column"] == ""
            per_field = len(got) == len(fields) and all(
                any(column_matches(e["column"], name, columns) for e in got) for name in fields)
            if not (whole_row or per_field):
                problems.append(f"{label}: rejects line {line} names columns {[e['column'] for e in got]}, "
                                f"expected one whole-row entry or one entry for each of {fields}")
            continue
        for w in wanted:
            if not any(column_matches(e["column"], w["column"], columns) for e in got):
                problems.append(f"{label}: rejects line {line} lacks column {w['column']!r}: "
                                f"{[e['column'] for e in got]}")
        if len(got) != len(wanted):
            problems.append(f"{label}: rejects line {line} has {len(got)} entries, expected {len(wanted)}")
    return problems


def summary_count(pattern: str, text: str) -> int | None:
    match = re.search(pattern, text)
    return int(match.group(1)) if match else None


def check_policy(case: dict, corpus: str, work: str, result: Result, mode: str) -> None:
    label = f"{case['name']} [--on-error {mode}]"
    expected = case[mode]
    directory = fresh_dir(os.path.join(work, case["name"], mode))
    out = os.path.join(directory, "out.parquet")
    rejects_path = os.path.join(directory, "rejects.csv")
    args, stdin = convert_args(case, corpus, out)
    run = common.run_sparrow([*args, "--on-error", mode, "--rejects", rejects_path], stdin=stdin)
    before = len(result.problems)
    if run.status != 0:
        result.problems.append(f"{label}: exit status {run.status}: {run.first_error_line()}")
        return
    table = read_output(out, result, label)
    if table is not None and check_schema(case, table, result, label):
        columns = case["expected_columns"]
        expected_table = pa.table(
            [expected_column([row[i] for row in expected["rows"]], case["expected_types"][name],
                             table.schema.field(name).type) for i, name in enumerate(columns)], names=columns)
        mismatches, total = compare.compare_lines(sparrow_json.table_to_jsonl_lines(expected_table),
                                                  sparrow_json.table_to_jsonl_lines(table), table.schema, label, 5)
        result.problems += [str(m) for m in mismatches]
        if total > len(mismatches):
            result.problems.append(f"{label}: {total - len(mismatches)} more mismatches")
    entries = read_rejects(rejects_path, label, result)
    if entries is not None:
        result.problems += check_rejects(entries, expected["rejects"], case["expected_columns"], label)

    stderr = run.stderr
    written = summary_count(r"wrote (\d+) rows?", stderr)
    if written != len(expected["rows"]):
        result.problems.append(f"{label}: summary says {written} rows written, expected {len(expected['rows'])}: "
                               f"{stderr.strip()[-200:]!r}")
    rejected = summary_count(r"(\d+) rows? rejected", stderr)
    if (expected["rows_rejected"] is not None and rejected != expected["rows_rejected"]
            and not (rejected is None and expected["rows_rejected"] == 0)):
        result.problems.append(f"{label}: summary says {rejected} rows rejected, expected {expected['rows_rejected']}")
    if mode == "null" and expected["fields_nulled"] is not None:
        nulled = summary_count(r"(\d+) fields? set to null", stderr)
        if nulled != expected["fields_nulled"] and not (nulled is None and expected["fields_nulled"] == 0):
            result.problems.append(f"{label}: summary says {nulled} fields set to null, expected {expected['fields_nulled']}")
    if not KEEP and len(result.problems) == before:
        shutil.rmtree(directory, ignore_errors=True)


def check_malformed(case: dict, corpus: str, work: str) -> Result:
    result = Result(case["name"], "malformed")
    check_fail(case, corpus, work, result, explicit=True)
    check_fail(case, corpus, work, result, explicit=False)
    for mode in ("skip", "null"):
        check_policy(case, corpus, work, result, mode)
    result.summary = (f"fail at line {case['fail']['line']}; skip keeps {len(case['skip']['rows'])}, "
                      f"null keeps {len(case['null']['rows'])} rows")
    return result


# ---------------------------------------------------------------------------------------------------

KEEP = False


def main(argv: list[str] | None = None) -> int:
    global KEEP
    parser = argparse.ArgumentParser(description="Differential tests of sparrow convert on CSV input.")
    parser.add_argument("corpus")
    parser.add_argument("work")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--keep", action="store_true", help="keep all outputs")
    parser.add_argument("--verbose", action="store_true", help="print the notes of passing cases too")
    args = parser.parse_args(argv)
    KEEP = args.keep
    with open(os.path.join(args.corpus, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    if args.only:
        cases = [case for case in cases if args.only in case["name"]]
    if not cases:
        print("check_csv: no cases selected", file=sys.stderr)
        return 1
    os.makedirs(args.work, exist_ok=True)
    print(f"check_csv: {len(cases)} cases, sparrow = {common.sparrow_binary()}")
    findings = PeerFindings()
    results = []
    for case in cases:
        try:
            if case["kind"] == "clean":
                result = check_clean(case, args.corpus, args.work, findings)
            else:
                result = check_malformed(case, args.corpus, args.work)
        except Exception as error:  # a checker bug or an unreadable input must show as a failure
            result = Result(case["name"], case["kind"], [f"{case['name']}: checker error: {error!r}"])
        results.append(result)

    width = max(len(r.name) for r in results)
    print(f"{'case'.ljust(width)}  kind       result  detail")
    for r in results:
        print(f"{r.name.ljust(width)}  {r.kind.ljust(9)}  {'ok' if r.ok else 'FAIL':6}  {r.summary}")
        for problem in r.problems[:12]:
            print(f"    {problem}")
        if len(r.problems) > 12:
            print(f"    ... {len(r.problems) - 12} more problems")
        if args.verbose or not r.ok:
            for note in r.notes:
                print(f"    note: {note}")
    if findings.disagreements:
        print("\nPeers disagree (DuckDB read_csv vs pyarrow.csv):")
        for line in findings.disagreements:
            print(f"  {line}")
    if findings.contract_differs:
        print("\nPeers agree, the contract differs (compared with cases.json):")
        for line in findings.contract_differs:
            print(f"  {line}")
    failed = [r.name for r in results if not r.ok]
    print(f"\ncheck_csv: {len(results) - len(failed)} passed, {len(failed)} failed"
          + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared helpers for the interop checks: finding and running `sparrow`, reading Parquet with the peer
engines (pyarrow, DuckDB, polars) and turning what they read into Sparrow's jsonl.

The reference reader is pyarrow. A file pyarrow refuses but DuckDB reads (the corpus has two, written
by DuckDB itself) takes its reference values from DuckDB; `Reference.source` says which.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Sequence

import pyarrow as pa

import sparrow_json

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sparrow_binary() -> str:
    """$SPARROW, else .build/release/sparrow, else .build/debug/sparrow (relative to the repository)."""
    configured = os.environ.get("SPARROW")
    if configured:
        return configured
    for configuration in ("release", "debug"):
        candidate = os.path.join(REPO, ".build", configuration, "sparrow")
        if os.path.exists(candidate):
            return candidate
    return os.path.join(REPO, ".build", "release", "sparrow")


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str

    def first_error_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[0] if lines else f"exit status {self.status}, nothing on stderr"


def run_sparrow(args: Sequence[str], timeout: float = 120, stdin: bytes | None = None) -> Run:
    """Runs the sparrow binary (with `stdin` as its standard input when given); a timeout or a crash
    comes back as a failed Run, not an exception."""
    command = [sparrow_binary(), *args]
    try:
        if stdin is None:
            done = subprocess.run(command, capture_output=True, timeout=timeout)
        else:
            done = subprocess.run(command, capture_output=True, timeout=timeout, input=stdin)
    except subprocess.TimeoutExpired:
        return Run(-1, "", f"timed out after {timeout:.0f} s: {' '.join(command)}")
    except OSError as error:
        return Run(-1, "", f"cannot run {command[0]}: {error} (build it or set SPARROW)")
    status = done.returncode
    stderr = done.stderr.decode("utf-8", errors="replace")
    if status < 0:
        stderr = f"killed by signal {-status}\n" + stderr
    return Run(status, done.stdout.decode("utf-8", errors="replace"), stderr)


def output_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line != ""]


# ---------------------------------------------------------------------------------------------------
# Peer readers

def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pyarrow_table(path: str, columns: Sequence[str] | None = None) -> pa.Table:
    return sparrow_json.read_parquet(path, columns)


def duckdb_table(path: str, columns: Sequence[str] | None = None) -> pa.Table:
    import duckdb

    select = ", ".join(_sql_identifier(c) for c in columns) if columns else "*"
    relation = duckdb.connect().sql(f"SELECT {select} FROM read_parquet({_sql_string(path)})")
    for method in ("to_arrow_table", "fetch_arrow_table", "arrow"):  # the name changed across versions
        if hasattr(relation, method):
            return getattr(relation, method)()
    raise RuntimeError("this duckdb package has no Arrow export")


class _CapturedStderr:
    """Sends file descriptor 2 to a temporary file for a while (Rust panics write there directly)."""

    def __enter__(self):
        self.saved = os.dup(2)
        self.file = tempfile.TemporaryFile()
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.file.seek(0)
        self.text = self.file.read().decode("utf-8", errors="replace")
        self.file.close()
        return False


def polars_table(path: str, columns: Sequence[str] | None = None) -> pa.Table:
    """polars' reading. A Rust panic inside polars (it has some on types it does not support, e.g.
    INTERVAL) becomes a RuntimeError with the panic's first line, its stderr noise swallowed: pyo3's
    PanicException is no Exception subclass."""
    import polars as pl

    try:
        with _CapturedStderr():
            return pl.read_parquet(path, columns=list(columns) if columns else None).to_arrow()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:
        if isinstance(error, Exception):
            raise
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RuntimeError(f"polars panicked: {first_line}") from None


ENGINES = {"pyarrow": pyarrow_table, "duckdb": duckdb_table, "polars": polars_table}


def align(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Casts each column of an engine's table back to the reference type where Arrow can do so safely.

    Engines map Parquet to their own types (DuckDB reads millisecond timestamps as microseconds and
    float16 as float32, polars strings as string views); the cast undoes that where it is lossless, so
    the values format the same way. Columns that cannot be cast stay as they are.
    """
    columns = []
    for name in table.column_names:
        column = table.column(name)
        index = schema.get_field_index(name)
        if index >= 0 and column.type != schema.field(index).type:
            try:
                column = column.cast(schema.field(index).type, safe=True)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                pass
        columns.append(column)
    return pa.table(columns, names=table.column_names)


@dataclass
class Reference:
    """What a peer reads from a file: the table, which engine read it, and the INTERVAL leaves."""

    table: pa.Table
    source: str
    interval_leaves: dict[str, list[bool]] = field(default_factory=dict)
    note: str = ""

    def lines(self, columns: Sequence[str] | None = None, limit: int | None = None) -> list[str]:
        table = self.table.select(list(columns)) if columns is not None else self.table
        if limit is not None:
            table = table.slice(0, limit)
        return sparrow_json.table_to_jsonl_lines(table, self.interval_leaves)


def reference(path: str) -> Reference:
    """pyarrow's reading of `path`, or DuckDB's when pyarrow refuses the file."""
    try:
        return Reference(pyarrow_table(path), "pyarrow", sparrow_json.parquet_interval_leaves(path))
    except Exception as pyarrow_error:
        try:
            table = duckdb_table(path)
        except Exception:
            raise pyarrow_error
        return Reference(table, "duckdb", {}, f"pyarrow: {pyarrow_error}")

#!/usr/bin/env python3
"""A stand-in for `sparrow` that writes Hive-partitioned datasets with pyarrow, to test
check_partitioned.py without Sparrow:

    convert IN.csv OUT --partition-by A,B [--mode error|overwrite|append] [--quiet]
    sql --table src=IN.csv --format null "INSERT OVERWRITE DIRECTORY 'OUT' USING parquet PARTITIONED BY (A, B) SELECT * FROM src"

Partition values that are null or the empty string go to `__HIVE_DEFAULT_PARTITION__`, as Spark's.
With FAKE_PARTITIONED_CORRUPT=row it leaves out the last row; with =date it writes the first
partition column's dates as `31.12.2024` text.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import uuid

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.dataset as ds


def write(source: str, out: str, partition_by: list[str], mode: str) -> int:
    # Empty unquoted fields are null, a quoted empty field is the empty string (Sparrow's CSV contract).
    table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(strings_can_be_null=True,
                                                                        quoted_strings_can_be_null=False))
    for name in partition_by:
        column = table.column(name)
        if pa.types.is_string(column.type):
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
            table = table.set_column(table.schema.get_field_index(name), name, column)
    corrupt = os.environ.get("FAKE_PARTITIONED_CORRUPT", "")
    if corrupt == "row":
        table = table.slice(0, table.num_rows - 1)
    if corrupt == "date":
        first = partition_by[0]
        table = table.set_column(table.schema.get_field_index(first), first,
                                 pc.strftime(table.column(first).cast(pa.timestamp("s")), format="%d.%m.%Y"))
    if os.path.exists(out) and mode == "error":
        print(f"sparrow: error: {out} exists", file=sys.stderr)
        return 1
    if os.path.exists(out) and mode == "overwrite":
        shutil.rmtree(out)
    ds.write_dataset(table, out, format="parquet", partitioning=partition_by, partitioning_flavor="hive",
                     basename_template=f"part-{uuid.uuid4()}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["convert"]:
        source, out = argv[1], argv[2]
        partition_by = argv[argv.index("--partition-by") + 1].split(",")
        mode = argv[argv.index("--mode") + 1] if "--mode" in argv else "error"
        return write(source, out, partition_by, mode)
    if argv[:1] == ["sql"]:
        table = argv[argv.index("--table") + 1].split("=", 1)[1]
        match = re.fullmatch(r"INSERT OVERWRITE DIRECTORY '([^']*)' USING parquet PARTITIONED BY \(([^)]*)\) "
                             r"SELECT \* FROM src", argv[-1])
        if not match:
            print(f"fake: unsupported statement {argv[-1]!r}", file=sys.stderr)
            return 1
        return write(table, match.group(1), [c.strip() for c in match.group(2).split(",")], "overwrite")
    print(f"fake: unsupported arguments {argv}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env bash
# Profiles `sparrow scan` (read) or `sparrow convert` (write) under callgrind on the first ROWS rows
# of TPC-H SF1 lineitem, and prints the top functions by inclusive and by self cost (instructions).
#
#     tools/bench/callgrind_profile.sh read|write [ROWS] [TOP]
#
# ROWS defaults to 500000, TOP to 25. The sample, bench-data/lineitem_<ROWS>.zstd.parquet, is cut
# by pyarrow from bench-data/lineitem.zstd.parquet (made by parquet_read_write.py) and written with
# compression='zstd' and pyarrow's other defaults, like the full file. Sparrow runs with --threads 1:
# callgrind serialises threads anyway, and one thread keeps the profile free of scheduling noise.
# The binary is $SPARROW, else .build/release/sparrow; the callgrind output and the two listings stay
# in bench-data/profile/ for callgrind_annotate or kcachegrind.
set -euo pipefail

mode="${1:-}"
rows="${2:-500000}"
top="${3:-25}"
if [[ "$mode" != read && "$mode" != write ]]; then
    echo "usage: $0 read|write [ROWS] [TOP]" >&2
    exit 2
fi

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sparrow="${SPARROW:-$repo/.build/release/sparrow}"
data="$repo/bench-data"
full="$data/lineitem.zstd.parquet"
sample="$data/lineitem_${rows}.zstd.parquet"
out="$data/profile"
mkdir -p "$out"

for tool in valgrind callgrind_annotate swift; do
    command -v "$tool" >/dev/null || { echo "$tool is not on PATH" >&2; exit 1; }
done
[[ -x "$sparrow" ]] || { echo "no sparrow binary at $sparrow (tools/build-release)" >&2; exit 1; }
[[ -f "$full" ]] || { echo "no $full: run tools/bench/parquet_read_write.py once" >&2; exit 1; }

if [[ ! -f "$sample" ]]; then
    python3 - "$full" "$sample" "$rows" <<'EOF'
import os, sys
import pyarrow.parquet as pq
source, target, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
pq.write_table(pq.read_table(source).slice(0, rows), target + ".partial", compression="zstd")
os.rename(target + ".partial", target)
EOF
fi

callgrind_out="$out/callgrind.$mode.out"
if [[ "$mode" == read ]]; then
    command=("$sparrow" scan "$sample" --format null --threads 1)
else
    command=("$sparrow" convert "$sample" "$out/converted.parquet" --compression zstd --overwrite --quiet --threads 1)
fi
echo "callgrind: ${command[*]}" >&2
valgrind --tool=callgrind --callgrind-out-file="$callgrind_out" "${command[@]}" >&2

# Swift symbols stay mangled in callgrind's output; `swift demangle` rewrites them in place.
for kind in inclusive self; do
    inclusive=no
    [[ "$kind" == inclusive ]] && inclusive=yes
    callgrind_annotate --inclusive="$inclusive" --auto=no --threshold=100 "$callgrind_out" \
        | swift demangle --simplified > "$out/$mode.$kind.txt"
done

# callgrind_annotate lists a function once per source file its code comes from (inlining spreads a
# function over several), so the listings are merged by function: self costs add up, inclusive
# costs take the largest entry (each entry already counts the whole call tree below it).
python3 - "$out/$mode" "$mode" "$top" <<'PY'
import re, sys

prefix, mode, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
line_re = re.compile(r"^\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$")
for kind in ("inclusive", "self"):
    costs, total, listing = {}, None, False
    for line in open(f"{prefix}.{kind}.txt"):
        if "file:function" in line:
            listing = True
            continue
        found = line_re.match(line)
        if not found:
            continue
        cost, name = int(found.group(1).replace(",", "")), found.group(2).strip()
        if "PROGRAM TOTALS" in name:
            total = cost
            continue
        if not listing:
            continue
        # "file:function [object]" -> "function", plus the object's name for code outside sparrow.
        obj = re.search(r" \[([^\]]+)\]$", name)
        if obj:
            name = name[: obj.start()]
        name = name.split(":", 1)[1] if ":" in name else name
        if obj and not obj.group(1).endswith("/sparrow"):
            name += f"  [{obj.group(1).rsplit('/', 1)[-1]}]"
        costs[name] = costs.get(name, 0) + cost if kind == "self" else max(costs.get(name, 0), cost)
    print(f"\n== {mode}: top {top} by {kind} cost in instructions "
          f"(total {total:,}; raw listing {prefix}.{kind}.txt)")
    for name, cost in sorted(costs.items(), key=lambda item: -item[1])[:top]:
        print(f"{cost:>15,} {100 * cost / total:6.2f}%  {name}")
PY

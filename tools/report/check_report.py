#!/usr/bin/env python3
"""Renders a `sparrow sql --report` page in headless Chromium and checks what the browser built.

    tools/report/check_report.py        # the binary: $SPARROW, else .build/debug/sparrow

1. Installs Debian's `chromium` when it is missing (tools/setup installs it too).
2. Runs `sparrow sql -f SCRIPT --analyze --format json --report report.html` over
   Fixtures/sample/lineitem.parquet: an aggregate with ORDER BY (three stages in a chain, a query text
   with `<`, `&` and quotes), a UNION ALL of two aggregates and a shuffled join (stages that read two
   stages), a broadcast join (a broadcast stage) and a one-stage scan.
3. `chromium --headless --dump-dom` of the page, then asserts per query, against `--analyze`'s output
   on standard error (not against the page's own data): a stage node per stage, an edge per exchange
   in the physical plan, a task bar per task of each stage, the adaptive-execution section ("none",
   or one entry per decision `--analyze` lists), the query text as written; and that the page's
   script ran without error (`<body data-rendered="ok">`, set after it checked the drawing against
   the embedded JSON, which must also agree).
4. `chromium --headless --screenshot` at 1400x2000, kept with the page, the DOM and the --analyze
   output in artifacts/report/ (git-ignored); the PNG is decoded here and must be 1400x2000, not
   blank (enough non-white pixels, spread of brightness) and show the stage-kind colours.

Exits 1 with one line per failed assertion.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "report"
SAMPLE = REPO / "Fixtures" / "sample" / "lineitem.parquet"
WIDTH, HEIGHT = 1400, 2000
# The page's stroke colours of shuffle-map and result stages (JobReportPage+Assets.swift).
STAGE_COLOURS = {"shuffle map": (0x2F, 0x6F, 0xDE), "broadcast": (0x8A, 0x4F, 0xD8), "result": (0x13, 0x87, 0x5A)}

QUERIES = [
    # Partial aggregate -> hash exchange -> final aggregate -> single exchange -> sort.
    "SELECT l_returnflag, l_linestatus, count(*) AS n, sum(l_quantity) AS qty\n"
    "FROM lineitem WHERE l_quantity < 30 AND l_comment <> '<b>&amp;</b>' AND l_shipmode <> \"x\"\n"
    "GROUP BY 1, 2 ORDER BY 1, 2",
    # Two aggregates under a union: the union's stage reads both.
    "SELECT l_shipmode AS k, count(*) AS n FROM lineitem GROUP BY 1\n"
    "UNION ALL\n"
    "SELECT l_returnflag AS k, count(*) AS n FROM lineitem GROUP BY 1",
    # A shuffled join (both sides hash-partitioned: the join's stage reads two stages), then an aggregate.
    "SELECT /*+ SHUFFLE_HASH(b) */ a.l_returnflag, count(*) AS n\n"
    "FROM lineitem a JOIN lineitem b ON a.l_orderkey = b.l_orderkey AND a.l_linenumber = b.l_linenumber\n"
    "WHERE b.l_quantity < 10 GROUP BY 1",
    # A broadcast join: the small side's stage is a broadcast stage.
    "SELECT /*+ BROADCAST(f) */ a.l_linestatus, count(*) AS n\n"
    "FROM lineitem a JOIN (SELECT DISTINCT l_returnflag FROM lineitem) f ON a.l_returnflag = f.l_returnflag GROUP BY 1",
    # One stage, no exchange.
    "SELECT l_orderkey, l_linenumber FROM lineitem WHERE l_orderkey < 40 LIMIT 5",
]

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)


def find_sparrow():
    path = os.environ.get("SPARROW") or str(REPO / ".build" / "debug" / "sparrow")
    if not os.access(path, os.X_OK):
        sys.exit(f"check_report: no sparrow binary at {path} (run `swift build` or set SPARROW)")
    return path


def ensure_chromium():
    found = shutil.which("chromium")
    if found:
        return found
    print("check_report: apt-get install chromium", flush=True)
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]):
        result = subprocess.run(prefix + command, env=environment, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"check_report: {' '.join(command)} failed:\n{result.stderr}")
    found = shutil.which("chromium")
    if not found:
        sys.exit("check_report: chromium is still missing after apt-get install")
    return found


def chromium(binary, *arguments):
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *arguments]
    result = run(command)
    if result.returncode != 0:
        sys.exit(f"check_report: {' '.join(command)} exited {result.returncode}:\n{result.stderr[-2000:]}")
    return result.stdout


# --- what --analyze says


def analyze_blocks(stderr):
    """Per query: {stage id: tasks}, the number of exchanges in the plan, the AQE decision lines."""
    blocks = []
    for block in stderr.split("== Physical Plan (with metrics) ==")[1:]:
        plan, _, rest = block.partition("== Stages ==")
        stages = {int(m.group(1)): int(m.group(2)) for m in re.finditer(r"^Stage (\d+): (\d+) tasks?,", rest, re.M)}
        exchanges = len(re.findall(r"^[\s:+\-]*(?:ShuffleExchangeExec|BroadcastExchangeExec)\b", plan, re.M))
        _, _, aqe = rest.partition("== Adaptive Execution ==")
        decisions = [line for line in aqe.splitlines() if line.startswith("Stage ")]
        blocks.append({"stages": stages, "exchanges": exchanges, "decisions": decisions})
    return blocks


# --- what the browser built


class ReportDOM(HTMLParser):
    """Collects, per query section, the stage nodes, edges, task bars per stage section, the AQE
    section and the query text, from Chromium's serialized DOM."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body = {}
        self.queries = {}
        self.stack = []  # (tag, role) with role one of query/stage-detail/aqe/query-text/data/None
        self.data_json = ""
        self.query = None
        self.stage = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        role = None
        if tag == "body":
            self.body = attributes
        elif tag == "section" and "query" in classes:
            self.query = {"nodes": [], "edges": [], "bars": {}, "aqe": None, "text": "", "decisions": 0}
            self.queries[int(attributes["data-query"])] = self.query
            role = "query"
        elif self.query is not None:
            if "stage-node" in classes:
                self.query["nodes"].append(int(attributes["data-stage"]))
            elif "edge" in classes:
                self.query["edges"].append((int(attributes["data-from"]), int(attributes["data-to"])))
            elif tag == "section" and "stage-detail" in classes:
                self.stage = int(attributes["data-stage"])
                self.query["bars"][self.stage] = 0
                role = "stage-detail"
            elif "task-bar" in classes and self.stage is not None:
                self.query["bars"][self.stage] += 1
            elif tag == "section" and "aqe" in classes:
                self.query["aqe"] = ""
                role = "aqe"
            elif tag == "pre" and "query-text" in classes:
                role = "query-text"
            elif "decision" in classes:
                self.query["decisions"] += 1
        if tag == "script" and attributes.get("id") == "sparrow-report-data":
            role = "data"
        if tag not in self.VOID:
            self.stack.append((tag, role))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, role = self.stack.pop()
            if role == "query":
                self.query = None
            elif role == "stage-detail":
                self.stage = None
            if open_tag == tag:
                break

    def roles(self):
        return {role for _, role in self.stack}

    def handle_data(self, data):
        roles = self.roles()
        if "data" in roles:
            self.data_json += data
        if self.query is None:
            return
        if "query-text" in roles:
            self.query["text"] += data
        if "aqe" in roles:
            self.query["aqe"] += data


# --- the screenshot


def decode_png(data):
    """The pixels of an 8-bit RGB or RGBA, non-interlaced PNG as a height x width x 3 array."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    position, chunks, header = 8, [], None
    while position + 8 <= len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
    if header is None:
        raise ValueError("no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(b"".join(chunks))
    if len(raw) != height * (stride + 1):
        raise ValueError(f"{len(raw)} bytes of pixel data for {width}x{height}")
    image = numpy.zeros((height, stride), dtype=numpy.uint8)
    previous = numpy.zeros(stride, dtype=numpy.uint8)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = numpy.frombuffer(raw, dtype=numpy.uint8, count=stride, offset=start + 1).copy()
        if kind == 1:  # Sub: a running sum per channel, modulo 256
            line = numpy.cumsum(line.reshape(width, channels), axis=0, dtype=numpy.uint8).reshape(stride)
        elif kind == 2:  # Up
            line += previous
        elif kind in (3, 4):  # Average, Paeth: each byte depends on the one just decoded
            out, above = bytearray(line.tobytes()), previous.tobytes()
            for i in range(stride):
                a = out[i - channels] if i >= channels else 0
                b = above[i]
                if kind == 3:
                    out[i] = (out[i] + ((a + b) >> 1)) & 0xFF
                    continue
                c = above[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
            line = numpy.frombuffer(bytes(out), dtype=numpy.uint8).copy()
        elif kind != 0:
            raise ValueError(f"row {y}: unknown filter {kind}")
        image[y] = line
        previous = line
    return image.reshape(height, width, channels)[:, :, :3]


def check_screenshot(path):
    data = path.read_bytes()
    check(len(data) > 20_000, f"screenshot {path} is only {len(data)} bytes")
    try:
        image = decode_png(data)
    except (ValueError, zlib.error, struct.error) as error:
        check(False, f"screenshot {path}: {error}")
        return None
    height, width, _ = image.shape
    check((width, height) == (WIDTH, HEIGHT), f"screenshot is {width}x{height}, not {WIDTH}x{HEIGHT}")
    pixels = image.reshape(-1, 3).astype(numpy.int32)
    light = (299 * pixels[:, 0] + 587 * pixels[:, 1] + 114 * pixels[:, 2]) // 1000
    ink = float(numpy.mean(light < 235))
    deviation = float(numpy.std(light))
    check(ink > 0.02, f"screenshot looks blank: {100 * ink:.2f}% of pixels are not near white")
    check(deviation > 15, f"screenshot looks blank: brightness deviation {deviation:.1f}")
    for name, colour in STAGE_COLOURS.items():
        close = int(numpy.sum(numpy.abs(pixels - numpy.array(colour)).sum(axis=1) < 40))
        check(close > 0, f"screenshot shows no {name} stage colour")
    return {"ink": ink, "deviation": deviation}


def main():
    sparrow = find_sparrow()
    browser = ensure_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    script = ARTIFACTS / "queries.sql"
    report = ARTIFACTS / "report.html"
    script.write_text("-- made by tools/report/check_report.py\n" + "".join(q + ";\n" for q in QUERIES))
    if report.exists():
        report.unlink()
    result = run([sparrow, "sql", "--table", f"lineitem={SAMPLE}", "-f", str(script), "--analyze", "--format", "json",
                  "--conf", "spark.sql.shuffle.partitions=8", "--report", str(report)])
    (ARTIFACTS / "analyze.txt").write_text(result.stderr)
    if result.returncode != 0:
        sys.exit(f"check_report: sparrow sql exited {result.returncode}:\n{result.stderr[-3000:]}")
    # --format json still prints the rows: one JSON array per query.
    decoder, text, arrays = json.JSONDecoder(), result.stdout.strip(), 0
    while text:
        _, end = decoder.raw_decode(text)
        text = text[end:].strip()
        arrays += 1
    check(arrays == len(QUERIES), f"{arrays} JSON results on standard output for {len(QUERIES)} queries")

    expected = analyze_blocks(result.stderr)
    check(len(expected) == len(QUERIES), f"--analyze printed {len(expected)} plans for {len(QUERIES)} queries")

    dom_text = chromium(browser, "--dump-dom", report.as_uri())
    (ARTIFACTS / "dom.html").write_text(dom_text)
    dom = ReportDOM()
    dom.feed(dom_text)
    check(dom.body.get("data-rendered") == "ok",
          f"the page's script did not finish cleanly: data-rendered={dom.body.get('data-rendered')!r} "
          f"{dom.body.get('data-render-error', '')}")
    check(sorted(dom.queries) == list(range(1, len(QUERIES) + 1)), f"query sections {sorted(dom.queries)}")
    embedded = json.loads(dom.data_json) if dom.data_json.strip() else None
    check(embedded is not None and len(embedded.get("queries", [])) == len(QUERIES), "the embedded JSON lacks the queries")

    for number, (query, analyze) in enumerate(zip(QUERIES, expected), start=1):
        where = f"query {number}"
        page = dom.queries.get(number)
        if not check(page is not None, f"{where}: no section"):
            continue
        stages = analyze["stages"]
        check(sorted(page["nodes"]) == sorted(stages), f"{where}: stage nodes {sorted(page['nodes'])}, --analyze stages {sorted(stages)}")
        check(len(page["edges"]) == analyze["exchanges"],
              f"{where}: {len(page['edges'])} edges, {analyze['exchanges']} exchanges in the plan")
        for source, target in page["edges"]:
            check(source in stages and target in stages and source != target, f"{where}: edge {source}->{target} between unknown stages")
        for stage, tasks in stages.items():
            bars = page["bars"].get(stage)
            check(bars == tasks, f"{where}: stage {stage} has {bars} task bars, --analyze says {tasks} tasks")
        aqe = page["aqe"]
        if check(aqe is not None, f"{where}: no Adaptive execution section"):
            check("Adaptive execution" in aqe, f"{where}: the AQE section has no heading")
            if analyze["decisions"]:
                check(page["decisions"] == len(analyze["decisions"]),
                      f"{where}: {page['decisions']} AQE entries, --analyze lists {len(analyze['decisions'])}")
            else:
                check(re.search(r"\bnone\b", aqe) is not None, f"{where}: the AQE section does not say none")
        check(page["text"] == query, f"{where}: the page shows the query as {page['text']!r}")
        if embedded and number <= len(embedded["queries"]):
            data = embedded["queries"][number - 1]
            edges = sorted((i, s["id"]) for s in data["stages"] for i in s["inputStageIDs"])
            check(edges == sorted(page["edges"]), f"{where}: drawn edges {sorted(page['edges'])}, embedded {edges}")
            check(data["query"] == query, f"{where}: the embedded query text differs")

    screenshot = ARTIFACTS / "report.png"
    if screenshot.exists():
        screenshot.unlink()
    chromium(browser, f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}", report.as_uri())
    statistics = None
    if check(screenshot.exists(), "chromium wrote no screenshot"):
        statistics = check_screenshot(screenshot)

    if failures:
        for failure in failures:
            print(f"check_report: FAIL {failure}")
        print(f"check_report: {len(failures)} failed; artifacts in {ARTIFACTS}")
        return 1
    summary = ", ".join(f"query {n}: {len(block['stages'])} stage{'' if len(block['stages']) == 1 else 's'}"
                        for n, block in enumerate(expected, start=1))
    ink = f", {100 * statistics['ink']:.1f}% ink" if statistics else ""
    print(f"check_report: ok ({summary}{ink}); artifacts in {ARTIFACTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

extension JobReportPage {
    /// The page's style: tables, a monospace plan, one colour per stage kind (blue shuffle map,
    /// violet broadcast, green result), red for stragglers and skewed partitions.
    static let style = #"""
    :root{--fg:#1f2933;--muted:#66727f;--line:#d9dee4;--soft:#f5f7f9;--map:#2f6fde;--map-bg:#e9f0fd;--broadcast:#8a4fd8;--broadcast-bg:#f3ecfd;--result:#13875a;--result-bg:#e5f5ed;--bad:#d64545;--hl:#fff4c2}
    *{box-sizing:border-box}
    body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:#fff}
    code,pre,.plan,.ops,svg text,.decision-kind{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
    h1{font-size:22px;margin:0 0 6px}
    h2{font-size:18px;margin:0 0 10px}
    h2 .time{font-size:14px;color:var(--muted);font-weight:400;margin-left:8px}
    h3{font-size:15px;margin:22px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
    h4{font-size:14px;margin:0 0 4px;font-weight:600}
    a{color:var(--map)}
    header.page{border-bottom:2px solid var(--line);margin-bottom:14px;padding-bottom:8px}
    header.page p{margin:4px 0}
    .command code{background:var(--soft);padding:2px 6px;border-radius:4px;font-size:12.5px;word-break:break-all}
    .totals,.legend,.figures,.bars-caption,.ops,.hint{color:var(--muted)}
    .hint{margin-left:14px;font-size:12.5px}
    section.query{border:1px solid var(--line);border-radius:10px;padding:16px 20px 10px;margin:18px 0;box-shadow:0 1px 3px rgba(16,24,40,.06)}
    pre.query-text{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 12px;margin:0 0 12px;white-space:pre-wrap;word-break:break-word;font-size:13px}
    .error{background:#fdecec;border:1px solid #f3b7b7;color:#8a1f1f;border-radius:6px;padding:8px 12px;margin:8px 0;white-space:pre-wrap}
    dl.facts{display:flex;flex-wrap:wrap;gap:8px 30px;margin:0}
    dl.facts div{display:flex;flex-direction:column}
    dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
    dd{margin:0;font-size:16px;font-weight:600;font-variant-numeric:tabular-nums}
    table{border-collapse:collapse;font-size:13px;margin:6px 0 10px}
    th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
    th{background:var(--soft);font-weight:600;font-size:12px;white-space:nowrap}
    tbody tr:nth-child(even){background:#fbfcfd}
    td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    td.ops{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;color:var(--fg)}
    nav.index table{width:100%}
    .dag-frame{overflow-x:auto;padding:2px 0}
    svg.dag{display:block;max-width:100%;height:auto}
    svg.dag text{font-size:12px;fill:var(--fg)}
    svg.dag .node-title{font-weight:700}
    svg.dag .node-kind,svg.dag .node-figures{fill:var(--muted);font-size:11px}
    .stage-node rect{stroke-width:1.5}
    .stage-node.kind-shuffleMap rect{fill:var(--map-bg);stroke:var(--map)}
    .stage-node.kind-broadcast rect{fill:var(--broadcast-bg);stroke:var(--broadcast)}
    .stage-node.kind-result rect{fill:var(--result-bg);stroke:var(--result)}
    .stage-node.hl rect{stroke-width:3;filter:drop-shadow(0 1px 3px rgba(0,0,0,.25))}
    .edge{fill:none;stroke:#8c96a3;stroke-width:1.6}
    .edge.hl{stroke:var(--fg);stroke-width:2.6}
    .arrow-head{fill:#6b7580}
    .swatch{display:inline-block;width:11px;height:11px;border-radius:3px;margin:0 5px 0 10px;vertical-align:-1px;border:1.5px solid}
    td .swatch{margin-left:0}
    td.kind{white-space:nowrap}
    .swatch.kind-shuffleMap{background:var(--map-bg);border-color:var(--map)}
    .swatch.kind-broadcast{background:var(--broadcast-bg);border-color:var(--broadcast)}
    .swatch.kind-result{background:var(--result-bg);border-color:var(--result)}
    tr.hl,.plan-line.hl{background:var(--hl)!important}
    .plan{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:8px 0;overflow-x:auto;font-size:12.5px}
    .plan-line{white-space:pre;padding:1px 14px 1px 0;border-left:4px solid transparent}
    .plan-line.kind-shuffleMap{border-left-color:var(--map)}
    .plan-line.kind-broadcast{border-left-color:var(--broadcast)}
    .plan-line.kind-result{border-left-color:var(--result)}
    .stage-tag{display:inline-block;min-width:28px;text-align:center;color:var(--muted);margin-right:4px}
    .plan .op{font-weight:700}
    .plan .detail{color:#3e4c59}
    .plan .metrics{color:var(--result)}
    .stage-detail{border-left:4px solid var(--line);padding:8px 14px 4px;margin:12px 0;background:#fcfcfd;border-radius:0 6px 6px 0}
    .stage-detail.kind-shuffleMap{border-left-color:var(--map)}
    .stage-detail.kind-broadcast{border-left-color:var(--broadcast)}
    .stage-detail.kind-result{border-left-color:var(--result)}
    .stage-detail.hl{background:#fffbea}
    .stage-detail p{margin:3px 0}
    .badge{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--muted);text-decoration:none;margin-right:4px}
    .badge.kind-shuffleMap{background:var(--map)}
    .badge.kind-broadcast{background:var(--broadcast)}
    .badge.kind-result{background:var(--result)}
    .bar-chart{display:block;max-width:100%;background:linear-gradient(#fff,#f7f9fb);border-bottom:1px solid #9aa5b1;margin:4px 0 10px}
    .task-bar{fill:#7aa7ee}
    .task-bar.slowest{fill:#e39b2d}
    .task-bar.straggler,.partition-bar.skewed{fill:var(--bad)}
    .partition-bar{fill:#a08ee6}
    .median{stroke:#3e4c59;stroke-dasharray:4 3;stroke-width:1;vector-effect:non-scaling-stroke}
    .straggler-note{color:var(--bad);font-weight:600}
    p.none{color:var(--muted);font-style:italic}
    .decisions{margin:4px 0;padding-left:18px}
    .decisions li{margin:3px 0}
    .decision-kind{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-right:6px;font-size:12px}
    .failed{color:var(--bad);font-weight:600}
    .ok{color:var(--result)}
    #render-problems{background:#fdecec;border:1px solid #f3b7b7;color:#8a1f1f;padding:8px 12px;border-radius:6px}
    """#

    /// Checks the drawing against the embedded data (a stage node per stage, an edge per stage
    /// read, a task bar per task, an adaptive-execution section per query), wires the
    /// highlighting of one stage across DAG, tables and plan, and sets `data-rendered` on
    /// `<body>` to `ok`, or to `error` with the problems shown at the top of the page.
    static let script = #"""
    (function () {
      "use strict";
      var body = document.body;
      var problems = [];
      window.addEventListener("error", function (event) {
        body.setAttribute("data-rendered", "error");
        body.setAttribute("data-render-error", String(event.message));
      });
      function each(list, action) { Array.prototype.forEach.call(list, action); }
      function highlight(section, stage, on) {
        each(section.querySelectorAll('[data-stage="' + stage + '"]'), function (element) {
          element.classList.toggle("hl", on);
        });
        each(section.querySelectorAll('.edge[data-from="' + stage + '"], .edge[data-to="' + stage + '"]'), function (edge) {
          edge.classList.toggle("hl", on);
        });
      }
      function wire(section) {
        each(section.querySelectorAll(".stage-node, tr.stage-row, .plan-line[data-stage], .decision"), function (element) {
          var stage = element.getAttribute("data-stage");
          element.addEventListener("mouseenter", function () { highlight(section, stage, true); });
          element.addEventListener("mouseleave", function () { highlight(section, stage, false); });
        });
      }
      function check(query, number) {
        var where = "query " + number + ": ";
        var section = document.querySelector('section.query[data-query="' + number + '"]');
        if (!section) { problems.push(where + "no section"); return; }
        var ids = {};
        query.stages.forEach(function (stage) { ids[stage.id] = true; });
        var nodes = section.querySelectorAll(".stage-node");
        if (nodes.length !== query.stages.length) {
          problems.push(where + nodes.length + " stage nodes for " + query.stages.length + " stages");
        }
        var expected = 0;
        query.stages.forEach(function (stage) {
          var seen = {};
          stage.inputStageIDs.forEach(function (input) {
            if (ids[input] && !seen[input]) { seen[input] = true; expected += 1; }
          });
          var detail = section.querySelector('.stage-detail[data-stage="' + stage.id + '"]');
          if (!detail) { problems.push(where + "no details of stage " + stage.id); return; }
          var bars = detail.querySelectorAll(".task-bar").length;
          if (bars !== stage.taskSeconds.length) {
            problems.push(where + "stage " + stage.id + " has " + bars + " task bars for " + stage.taskSeconds.length + " tasks");
          }
        });
        var edges = section.querySelectorAll(".edge");
        if (edges.length !== expected) problems.push(where + edges.length + " edges for " + expected + " stage inputs");
        each(edges, function (edge) {
          ["data-from", "data-to"].forEach(function (end) {
            var stage = edge.getAttribute(end);
            if (!section.querySelector('.stage-node[data-stage="' + stage + '"]')) {
              problems.push(where + "an edge ends at stage " + stage + ", which has no node");
            }
          });
        });
        if (!section.querySelector("section.aqe")) problems.push(where + "no adaptive execution section");
        wire(section);
      }
      try {
        var holder = document.getElementById("sparrow-report-data");
        var data = holder ? JSON.parse(holder.textContent) : null;
        if (!data || !Array.isArray(data.queries)) {
          problems.push("the report data is missing");
        } else {
          var sections = document.querySelectorAll("section.query").length;
          if (sections !== data.queries.length) problems.push(sections + " query sections for " + data.queries.length + " queries");
          data.queries.forEach(function (query, index) { check(query, index + 1); });
        }
      } catch (error) {
        problems.push("script error: " + error);
      }
      if (problems.length) {
        var banner = document.createElement("div");
        banner.id = "render-problems";
        banner.textContent = "This page does not match its data: " + problems.join("; ");
        body.insertBefore(banner, body.firstChild);
      }
      body.setAttribute("data-rendered", problems.length ? "error" : "ok");
    })();
    """#
}

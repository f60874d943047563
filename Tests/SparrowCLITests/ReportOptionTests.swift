import Foundation
import Testing

/// `--report FILE.html` on `sparrow sql` and `sparrow scan`, through the binary. Rows printed are
/// DuckDB's on the same file (quoted with each test); the page's rendering in a browser is
/// checked by tools/report/check_report.py.
@Suite struct ReportOptionTests {
    let lineitem = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/sql/data/lineitem.parquet").path

    /// A fresh directory for the report, removed afterwards.
    func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = SparrowProcess.temporaryPath("report")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// duckdb: select l_returnflag, count(*) … where l_quantity < 2 and l_comment <> '<&>' group by 1 order by 1
    /// → A 121, N 189, R 102; select count(*) … where l_quantity < 2 → 412
    @Test func sqlScriptWritesOneSectionPerQueryWhateverTheFormat() throws {
        try withDirectory { directory in
            let script = """
            -- two queries and a SET
            SET spark.sql.shuffle.partitions=3;
            SELECT l_returnflag, count(*) AS n FROM li WHERE l_quantity < 2 AND l_comment <> '<&>' GROUP BY 1 ORDER BY 1;
            SELECT count(*) AS n FROM li WHERE l_quantity < 2
            """
            let scriptPath = directory + "/q.sql"
            try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
            let report = directory + "/out.html"
            let result = try SparrowProcess.run(["sql", "--table", "li=\(lineitem)", "-f", scriptPath, "--format", "jsonl", "--report", report])
            #expect(result.status == 0, "\(result.stderr)")
            // The rows still go to standard output, in the format asked for.
            #expect(result.stdout == "{\"l_returnflag\":\"A\",\"n\":121}\n{\"l_returnflag\":\"N\",\"n\":189}\n{\"l_returnflag\":\"R\",\"n\":102}\n{\"n\":412}\n")
            let html = try String(contentsOfFile: report, encoding: .utf8)
            #expect(count("<section class=\"query\"", in: html) == 2)
            #expect(html.contains("<pre class=\"query-text\">SELECT l_returnflag, count(*) AS n FROM li WHERE l_quantity &lt; 2 AND l_comment &lt;&gt; &#39;&lt;&amp;&gt;&#39; GROUP BY 1 ORDER BY 1</pre>"))
            #expect(html.contains("<pre class=\"query-text\">SELECT count(*) AS n FROM li WHERE l_quantity &lt; 2</pre>"))
            // Aggregate + ORDER BY: partial aggregate, final aggregate and sort stages.
            #expect(html.contains("<g class=\"stage-node kind-result\" data-stage=\"2\""))
            #expect(html.contains("<path class=\"edge\" data-from=\"1\" data-to=\"2\""))
            #expect(count("<h3>Adaptive execution</h3>", in: html) == 2)
            // Only the report is left: the temporary file was renamed over it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["out.html", "q.sql"])
        }
    }

    /// duckdb: select count(*) from lineitem.parquet → 20060
    @Test func aFailingQueryIsReportedWithItsErrorAndTheRunFails() throws {
        try withDirectory { directory in
            let report = directory + "/out.html"
            let result = try SparrowProcess.run(["sql", "--table", "li=\(lineitem)", "--report", report, "--format", "csv",
                                                 "SELECT count(*) AS n FROM li; SELECT nope FROM li"])
            #expect(result.status == 1)
            #expect(!result.crashed)
            #expect(result.stdout == "n\n20060\n")
            let html = try String(contentsOfFile: report, encoding: .utf8)
            #expect(count("<section class=\"query\"", in: html) == 2)
            #expect(html.contains("<strong>Failed:</strong> unknown column &#39;nope&#39;"))
        }
    }

    @Test func anUnwritablePlaceFailsBeforeAnythingRuns() throws {
        try withDirectory { directory in
            let missing = directory + "/no/such/dir/out.html"
            let result = try SparrowProcess.run(["sql", "--table", "li=\(lineitem)", "--report", missing, "SELECT count(*) FROM li"])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("\(missing): cannot write the report: no directory \(directory)/no/such/dir"))

            let onDirectory = try SparrowProcess.run(["sql", "--table", "li=\(lineitem)", "--report", directory, "SELECT 1"])
            #expect(onDirectory.status == 1)
            #expect(onDirectory.stderr.contains("\(directory): cannot write the report: it is a directory"))
        }
    }

    @Test func explainAndReportDoNotMix() throws {
        let result = try SparrowProcess.run(["sql", "--explain", "--report", "x.html", "SELECT 1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--report runs the queries; it cannot be combined with --explain"))
    }

    /// duckdb: select count(*) … where l_shipmode = 'AIR' → 2838
    @Test func scanWritesAReportWithTheCommandLineAsItsQuery() throws {
        try withDirectory { directory in
            let report = directory + "/scan.html"
            let result = try SparrowProcess.run(["scan", lineitem, "--where", "l_shipmode = 'AIR'", "--format", "null", "--report", report])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "2838 rows\n")
            let html = try String(contentsOfFile: report, encoding: .utf8)
            #expect(count("<section class=\"query\"", in: html) == 1)
            #expect(html.contains("--where &#39;l_shipmode = &#39;\\&#39;&#39;AIR&#39;\\&#39;&#39;&#39;"))
            #expect(html.contains("<g class=\"stage-node kind-result\" data-stage=\"0\""))
            #expect(html.contains("ParquetScanExec"))
        }
    }

    @Test func aScriptWithoutQueriesStillGetsItsPage() throws {
        try withDirectory { directory in
            let report = directory + "/set.html"
            let result = try SparrowProcess.run(["sql", "--report", report, "SET spark.sql.shuffle.partitions=3"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try String(contentsOfFile: report, encoding: .utf8).contains("No query ran."))
        }
    }
}

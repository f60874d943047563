import Foundation
import Testing

/// `sparrow sql` and `sparrow scan --where` as a user runs them. Expected rows are DuckDB's on the
/// same file (the query is quoted with each test).
@Suite struct SQLCommandTests {
    let lineitem = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/sql/data/lineitem.parquet").path
    let people = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/sql/data/people.csv").path

    /// select l_orderkey, l_linenumber … where l_orderkey < 3 order by 1, 2
    @Test func queryWithATableOption() throws {
        let result = try SparrowProcess.run(["sql", "--table", "lineitem=\(lineitem)", "--format", "csv",
                                             "SELECT l_orderkey, l_linenumber FROM lineitem WHERE l_orderkey < 3 ORDER BY 1, 2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "l_orderkey,l_linenumber\n1,1\n1,2\n1,3\n1,4\n1,5\n1,6\n2,1\n")
    }

    @Test func statementsRunInOrderAndOnlyQueriesPrint() throws {
        let script = """
        SET spark.sql.shuffle.partitions=3;
        CREATE OR REPLACE TEMP VIEW li AS SELECT * FROM parquet.`\(lineitem)`;
        SELECT count(*) AS n FROM li WHERE l_shipmode = 'AIR' AND l_orderkey BETWEEN 5000 AND 6000;
        SET spark.sql.shuffle.partitions;
        """
        let path = SparrowProcess.temporaryPath("script.sql")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SparrowProcess.run(["sql", "-f", path, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // DuckDB: select count(*) … where l_shipmode = 'AIR' and l_orderkey between 5000 and 6000 → 139
        #expect(result.stdout == "n\n139\nspark.sql.shuffle.partitions=3\n")
    }

    @Test func syntaxErrorsNameTheFileLineAndColumn() throws {
        let path = SparrowProcess.temporaryPath("bad.sql")
        try "SELECT 1;\nSELECT a, b\nFORM t;".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SparrowProcess.run(["sql", "-f", path])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(result.stderr.contains("\(path): syntax error at line 3, column 1"))
        #expect(result.stderr.contains("FORM"))
        // Nothing runs when the script does not parse.
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownColumnSuggestsAName() throws {
        let result = try SparrowProcess.run(["sql", "--table", "lineitem=\(lineitem)", "SELECT l_quantiy FROM lineitem"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown column 'l_quantiy'; did you mean 'l_quantity'?"))
    }

    @Test func explainShowsPushdownAndPruning() throws {
        let result = try SparrowProcess.run(["sql", "--table", "lineitem=\(lineitem)", "--explain",
                                             "SELECT l_comment FROM lineitem WHERE l_orderkey BETWEEN 3000 AND 3100"])
        #expect(result.status == 0, "\(result.stderr)")
        for part in ["== Optimized Logical Plan ==", "== Physical Plan ==", "push_filters_into_scan", "column_pruning",
                     "PushedFilters: [l_orderkey BETWEEN 3000 AND 3100]", "[l_orderkey, l_comment]", "RowGroups: 1 of 11"] {
            #expect(result.stdout.contains(part), "missing \(part)")
        }
    }

    /// pyarrow: only row group 0 has l_orderkey statistics below 100 (min 1, max 1991); the others start above.
    @Test func analyzeReportsStagesAndPrunedRowGroups() throws {
        let result = try SparrowProcess.run(["sql", "--table", "lineitem=\(lineitem)", "--analyze", "--format", "csv",
                                             "SELECT l_returnflag, count(*) FROM lineitem WHERE l_orderkey < 100 GROUP BY 1 ORDER BY 1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("== Stages =="))
        #expect(result.stderr.contains("row groups scanned 1 of 11 (pruned 10)"))
        #expect(result.stderr.contains("slowest task") || result.stderr.contains("1 task"))
    }

    @Test func csvTablesAreQueried() throws {
        let result = try SparrowProcess.run(["sql", "--table", "people=\(people)", "--format", "csv", "SELECT count(*) AS n FROM people"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: people, encoding: .utf8).split(separator: "\n")
        #expect(result.stdout == "n\n\(lines.count - 1)\n")
    }

    @Test func scanWhereUsesTheQueryEngine() throws {
        let result = try SparrowProcess.run(["scan", lineitem, "--where", "l_orderkey < 3 AND l_linenumber > 4",
                                             "--select", "l_orderkey,l_linenumber", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "l_orderkey,l_linenumber\n1,5\n1,6\n")
        let bad = try SparrowProcess.run(["scan", lineitem, "--where", "l_orderkey <"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("syntax error"))
    }

    @Test func queriesFromStandardInput() throws {
        let path = SparrowProcess.temporaryPath("stdin.sql")
        try "SELECT 1 + 1 AS two;".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SparrowProcess.run(["sql", "--format", "csv"], standardInput: path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "two\n2\n")
    }
}

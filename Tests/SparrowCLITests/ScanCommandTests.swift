import Foundation
import Testing

@Suite struct ScanCommandTests {
    let data = SparrowProcess.parquetTesting + "/data/"

    @Test func jsonLinesMatchThePyarrowGolden() throws {
        let result = try SparrowProcess.run(["scan", data + "nullable.impala.parquet", "--format", "jsonl"])
        let golden = try String(contentsOf: SparrowProcess.repositoryRoot
            .appendingPathComponent("Fixtures/expected/parquet-testing/nullable.impala.jsonl"), encoding: .utf8)
        #expect(result.status == 0)
        #expect(result.stdout == golden)
    }

    @Test func selectAndLimit() throws {
        let result = try SparrowProcess.run(["scan", data + "alltypes_plain.parquet", "--select", "id, bool_col",
                                             "--limit", "2", "--format", "csv"])
        #expect(result.status == 0)
        // pyarrow: pq.read_table('alltypes_plain.parquet', columns=['id','bool_col']).slice(0, 2)
        #expect(result.stdout == "id,bool_col\n4,true\n5,false\n")
    }

    @Test func nullFormatCountsRows() throws {
        let result = try SparrowProcess.run(["scan", data + "alltypes_tiny_pages.parquet", "--format", "null"])
        #expect(result.status == 0)
        #expect(result.stdout == "7300 rows\n")
    }

    @Test func unknownColumnIsAClearError() throws {
        let result = try SparrowProcess.run(["scan", data + "alltypes_plain.parquet", "--select", "idd"])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(result.stderr.contains("no column named 'idd'"))
        #expect(result.stderr.contains("bool_col"))
        #expect(result.stdout.isEmpty)
    }

    @Test func missingFileIsAClearError() throws {
        let result = try SparrowProcess.run(["scan", "/nonexistent/file.parquet"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/file.parquet"))
        #expect(result.stderr.contains("No such file"))
    }

    @Test(arguments: ["ARROW-GH-41321.parquet", "ARROW-RS-GH-6229-DICTHEADER.parquet", "PARQUET-1481.parquet"])
    func corruptFilesFailWithoutCrashing(name: String) throws {
        let result = try SparrowProcess.run(["scan", SparrowProcess.parquetTesting + "/bad_data/" + name, "--format", "null"])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(result.stderr.contains(name))
        #expect(result.stderr.contains("corrupt"))
    }

    @Test func corruptParquetIsAClearError() throws {
        let path = SparrowProcess.temporaryPath("cut.parquet")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: data + "alltypes_plain.parquet"))
        try bytes.prefix(600).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SparrowProcess.run(["scan", path])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(result.stderr.contains("PAR1"))
    }

    @Test func scansCSVWithTypesFromTheWholeInput() throws {
        let path = SparrowProcess.temporaryPath("scan.csv")
        // The last value makes `n` a double: the types come from the whole input.
        let rows = (0..<30_000).map { "\($0),x\($0)" }.joined(separator: "\n")
        try ("n,s\n" + rows + "\n2.5,last\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SparrowProcess.run(["scan", path, "--select", "s, n", "--limit", "2", "--format", "jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "{\"s\":\"x0\",\"n\":0.0}\n{\"s\":\"x1\",\"n\":1.0}\n")
        let count = try SparrowProcess.run(["scan", path, "--format", "null"])
        #expect(count.stdout == "30001 rows\n")
        let sampled = try SparrowProcess.run(["scan", path, "--sample-rows", "10", "--format", "null"])
        #expect(sampled.status == 1)
        #expect(sampled.stderr.contains("column 'n' holds values the first 10 rows did not show"))
    }
}

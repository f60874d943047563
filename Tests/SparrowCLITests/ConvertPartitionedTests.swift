import Foundation
import Testing

/// `sparrow convert --partition-by`: the Hive layout Spark writes (directories per value,
/// partition columns out of the files, `%XX` escaping, `__HIVE_DEFAULT_PARTITION__`), the modes,
/// and the errors. Rows per shipmode of Fixtures/sample/lineitem.parquet from DuckDB:
/// `select l_shipmode, count(*) … group by all` → AIR 8491, FOB 8641, MAIL 8669, RAIL 8566,
/// REG AIR 8616, SHIP 8482, TRUCK 8710.
@Suite struct ConvertPartitionedTests {
    static let csv = """
        id,day,region,note
        1,2024-01-01,EU,a
        2,2024-01-01,US,b
        3,2024-01-02,EU,c
        4,,a/b: c,d
        5,2024-01-02,,e

        """

    func input(_ text: String = Self.csv) throws -> String {
        let path = SparrowProcess.temporaryPath("in.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `directory|row as JSON` for every row of every data file, sorted.
    func rows(_ directory: String) throws -> [String] {
        var rows: [String] = []
        for path in (FileManager.default.subpaths(atPath: directory) ?? []) where path.hasSuffix(".parquet") {
            let scan = try SparrowProcess.run(["scan", directory + "/" + path, "--format", "jsonl"])
            #expect(scan.status == 0, "\(scan.stderr)")
            let partition = path.split(separator: "/").dropLast().joined(separator: "/")
            rows += scan.stdout.split(separator: "\n").map { "\(partition)|\($0)" }
        }
        return rows.sorted()
    }

    @Test func writesTheHiveLayout() throws {
        let source = try input()
        let out = SparrowProcess.temporaryPath("out")
        defer { try? FileManager.default.removeItem(atPath: source); try? FileManager.default.removeItem(atPath: out) }
        let result = try SparrowProcess.run(["convert", source, out, "--partition-by", "day, region"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("wrote 5 rows in 5 partitions, 5 files to \(out)/ ("))
        #expect(result.stderr.contains("B, zstd) in "))
        #expect(try rows(out) == [
            #"day=2024-01-01/region=EU|{"id":1,"note":"a"}"#, #"day=2024-01-01/region=US|{"id":2,"note":"b"}"#,
            #"day=2024-01-02/region=EU|{"id":3,"note":"c"}"#, #"day=2024-01-02/region=__HIVE_DEFAULT_PARTITION__|{"id":5,"note":"e"}"#,
            #"day=__HIVE_DEFAULT_PARTITION__/region=a%2Fb%3A c|{"id":4,"note":"d"}"#,
        ])
        #expect(FileManager.default.fileExists(atPath: out + "/_SUCCESS"))
    }

    @Test func modesOnAnExistingDirectory() throws {
        let source = try input()
        let out = SparrowProcess.temporaryPath("modes")
        defer { try? FileManager.default.removeItem(atPath: source); try? FileManager.default.removeItem(atPath: out) }
        let first = try SparrowProcess.run(["convert", source, out, "--partition-by", "region", "--quiet"])
        #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
        let refused = try SparrowProcess.run(["convert", source, out, "--partition-by", "region", "--quiet"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(out): already exists"))
        #expect(try rows(out).count == 5)
        #expect(try SparrowProcess.run(["convert", source, out, "--partition-by", "region", "--mode", "append", "--quiet"]).status == 0)
        #expect(try rows(out).count == 10)
        let update = try input("id,day,region,note\n9,2024-03-03,EU,z\n")
        defer { try? FileManager.default.removeItem(atPath: update) }
        #expect(try SparrowProcess.run(["convert", update, out, "--partition-by", "region", "--mode", "overwrite-partitions", "--quiet"]).status == 0)
        let afterDynamic = try rows(out)
        #expect(afterDynamic.filter { $0.hasPrefix("region=EU|") } == [#"region=EU|{"id":9,"day":"2024-03-03","note":"z"}"#])
        #expect(afterDynamic.count == 1 + 2 * 3)
        #expect(try SparrowProcess.run(["convert", update, out, "--partition-by", "region", "--overwrite", "--quiet"]).status == 0)
        #expect(try rows(out) == [#"region=EU|{"id":9,"day":"2024-03-03","note":"z"}"#])
        let contradiction = try SparrowProcess.run(["convert", update, out, "--partition-by", "region", "--overwrite", "--mode", "append"])
        #expect(contradiction.status != 0 && contradiction.stderr.contains("--overwrite contradicts --mode append"))
    }

    @Test func unknownPartitionColumnIsNamedWithSuggestions() throws {
        let source = try input()
        let out = SparrowProcess.temporaryPath("unknown")
        defer { try? FileManager.default.removeItem(atPath: source) }
        let result = try SparrowProcess.run(["convert", source, out, "--partition-by", "day,regoin"])
        #expect(result.status == 1 && !result.crashed)
        #expect(result.stderr == "sparrow: error: unknown partition column 'regoin'; did you mean 'region'?\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        let empty = try SparrowProcess.run(["convert", source, out, "--partition-by", "day,,region"])
        #expect(empty.status != 0 && empty.stderr.contains("expected column names separated by commas"))
    }

    @Test func parquetInputSplitByMaxRowsPerFile() throws {
        let sample = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/sample/lineitem.parquet").path
        let out = SparrowProcess.temporaryPath("lineitem")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try SparrowProcess.run(["convert", sample, out, "--partition-by", "l_shipmode", "--max-rows-per-file", "5000",
                                             "--compression", "snappy"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("wrote 60175 rows in 7 partitions, 14 files to \(out)/ ("))
        var counts: [String: Int] = [:]
        for path in (FileManager.default.subpaths(atPath: out) ?? []) where path.hasSuffix(".parquet") {
            #expect(path.hasSuffix(".snappy.parquet"))
            let report = try SparrowProcess.run(["inspect", out + "/" + path, "--json"])
            let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
            let rows = json["num_rows"] as! Int
            #expect(rows <= 5000)
            counts[String(path.split(separator: "/")[0]), default: 0] += rows
        }
        #expect(counts == ["l_shipmode=AIR": 8491, "l_shipmode=FOB": 8641, "l_shipmode=MAIL": 8669, "l_shipmode=RAIL": 8566,
                           "l_shipmode=REG AIR": 8616, "l_shipmode=SHIP": 8482, "l_shipmode=TRUCK": 8710])
    }

    @Test func insertOverwriteDirectoryFromTheSQLCommand() throws {
        let source = try input()
        let out = SparrowProcess.temporaryPath("sql-out")
        defer { try? FileManager.default.removeItem(atPath: source); try? FileManager.default.removeItem(atPath: out) }
        let result = try SparrowProcess.run(["sql", "--format", "csv", """
            INSERT OVERWRITE DIRECTORY '\(out)' USING parquet OPTIONS ('maxRecordsPerFile' = '1')
            PARTITIONED BY (day) SELECT id, day, note FROM csv.`\(source)` WHERE id <= 3
            """])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "path,partitions,files,rows,bytes")
        #expect(lines.count == 2 && lines[1].hasPrefix("\(out),2,3,3,"))
        #expect(try rows(out) == [#"day=2024-01-01|{"id":1,"note":"a"}"#, #"day=2024-01-01|{"id":2,"note":"b"}"#,
                                  #"day=2024-01-02|{"id":3,"note":"c"}"#])
    }
}

import Foundation
import Testing

/// `sparrow convert` from CSV, against the contract (expected values written from it).
@Suite struct ConvertCSVTests {
    static let text = #"""
        id,name,price,day
        1,"Smith, J",12.50,2024-01-31
        2,"say ""hi""",,2024-02-01
        3,plain,7,2024-02-02

        """#
    static let expected = #"""
        {"id":1,"name":"Smith, J","price":12.5,"day":"2024-01-31"}
        {"id":2,"name":"say \"hi\"","price":null,"day":"2024-02-01"}
        {"id":3,"name":"plain","price":7.0,"day":"2024-02-02"}

        """#

    func write(_ text: String, _ name: String) throws -> String {
        let path = SparrowProcess.temporaryPath(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func convertAndScan(_ arguments: [String], standardInput: String? = nil) throws -> (SparrowProcess.Result, String) {
        let output = SparrowProcess.temporaryPath("out.parquet")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let convert = try SparrowProcess.run(["convert"] + arguments.map { $0 == "OUT" ? output : $0 }, standardInput: standardInput)
        guard convert.status == 0 else { return (convert, "") }
        let scan = try SparrowProcess.run(["scan", output, "--format", "jsonl"])
        return (convert, scan.stdout)
    }

    @Test func plainGzipZstdAndStandardInput() throws {
        let path = try write(Self.text, "plain.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (plain, rows) = try convertAndScan([path, "OUT"])
        #expect(plain.status == 0)
        #expect(rows == Self.expected)
        #expect(plain.stderr.contains("wrote 3 rows to"))
        #expect(plain.stderr.contains("; 0 rows rejected"))
        // gzip, two concatenated gzip members, and zstd, detected by their magic bytes.
        try SparrowProcess.shell("gzip -c '\(path)' > '\(path).gz' && head -c 40 '\(path)' | gzip -c > '\(path).two.gz' && tail -c +41 '\(path)' | gzip -c >> '\(path).two.gz' && zstd -q -c '\(path)' > '\(path).zst'")
        defer { for suffix in [".gz", ".two.gz", ".zst"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        for compressed in [path + ".gz", path + ".two.gz", path + ".zst"] {
            let (result, rows) = try convertAndScan([compressed, "OUT", "--quiet"])
            #expect(result.status == 0, "\(compressed): \(result.stderr)")
            #expect(rows == Self.expected, "\(compressed)")
        }
        let (piped, pipedRows) = try convertAndScan(["-", "OUT", "--quiet"], standardInput: path)
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(pipedRows == Self.expected)
    }

    @Test func largePipedInputIsSampledFromItsCopy() throws {
        // Over 8 MiB: inference also samples chunks spread through the (spooled) input.
        let line = "12345,some text that makes the line longer than usual,2024-01-31,3.25\n"
        let rows = 9 * (1 << 20) / line.utf8.count + 1
        let path = try write("id,text,day,value\n" + String(repeating: line, count: rows), "big.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = SparrowProcess.temporaryPath("big.parquet")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try SparrowProcess.run(["convert", "-", output], standardInput: path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrote \(rows) rows"))
    }

    @Test func malformedRowStopsWithLineColumnAndRawText() throws {
        let path = try write("id,price\n1,2.5\n2,3,4\n", "ragged.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = SparrowProcess.temporaryPath("never.parquet")
        let result = try SparrowProcess.run(["convert", path, output])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(result.stderr.contains("\(path):3: expected 2 fields, found 3"))
        #expect(result.stderr.contains("raw: 2,3,4"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func skipWithRejectsFile() throws {
        let path = try write("id,price\n1,2.5\n2,abc\n3,4,5\n4,6\n", "bad.csv")
        let rejects = SparrowProcess.temporaryPath("rejects.csv")
        defer { for file in [path, rejects] { try? FileManager.default.removeItem(atPath: file) } }
        let (result, rows) = try convertAndScan([path, "OUT", "--schema", "price:double", "--on-error", "skip", "--rejects", rejects])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(rows == "{\"id\":1,\"price\":2.5}\n{\"id\":4,\"price\":6.0}\n")
        #expect(result.stderr.contains("; 2 rows rejected"))
        let listed = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(listed == #"""
            line,column,reason,raw
            3,price,"cannot parse ""abc"" as double","2,abc"
            4,,"expected 2 fields, found 3","3,4,5"

            """#)
    }

    @Test func nullPolicyKeepsRows() throws {
        let path = try write("id,price\n1,2.5\n2,abc\n3\n", "nulls.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (result, rows) = try convertAndScan([path, "OUT", "--schema", "price:double", "--on-error", "null"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(rows == "{\"id\":1,\"price\":2.5}\n{\"id\":2,\"price\":null}\n{\"id\":3,\"price\":null}\n")
        #expect(result.stderr.contains("1 field set to null"))
    }

    @Test func optionsForDelimiterHeaderAndSchema() throws {
        let path = try write("1;2024-01-01;x\n2;2024-01-02;y\n", "semi.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (result, rows) = try convertAndScan([path, "OUT", "--no-header", "--delimiter", ";", "--schema", "column0:int64,column1:string"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(rows == "{\"column0\":1,\"column1\":\"2024-01-01\",\"column2\":\"x\"}\n{\"column0\":2,\"column1\":\"2024-01-02\",\"column2\":\"y\"}\n")
        let bad = try SparrowProcess.run(["convert", path, SparrowProcess.temporaryPath("x.parquet"), "--schema", "column0:money"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown type 'money'"))
    }

    @Test func wideningIsAnnouncedAndKeepsEveryValue() throws {
        var lines = ["n"]
        for i in 0..<50 { lines.append(String(i)) }
        lines.append("12345678901234567890")
        let path = try write(lines.joined(separator: "\n") + "\n", "wide.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (result, rows) = try convertAndScan([path, "OUT", "--sample-rows", "5"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("column 'n' holds values the sample did not show"))
        // Beyond Int64 and not exact as a double: the column is text, nothing rounded.
        #expect(rows.hasSuffix("{\"n\":\"12345678901234567890\"}\n"))
        #expect(rows.hasPrefix("{\"n\":\"0\"}\n"))
    }
}

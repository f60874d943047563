import Foundation
import Testing

@Suite struct ConvertCommandTests {
    let sample = SparrowProcess.repositoryRoot.appendingPathComponent("Fixtures/sample/lineitem.parquet").path

    @Test(arguments: ["zstd", "snappy", "gzip", "lz4", "brotli", "none"])
    func rewritesWithTheSameRows(codec: String) throws {
        let output = SparrowProcess.temporaryPath("out.parquet")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let convert = try SparrowProcess.run(["convert", sample, output, "--compression", codec,
                                              "--row-group-rows", "25000", "--quiet"])
        #expect(convert.status == 0, "\(convert.stderr)")
        let original = try SparrowProcess.run(["scan", sample, "--format", "jsonl"])
        let rewritten = try SparrowProcess.run(["scan", output, "--format", "jsonl"])
        #expect(rewritten.status == 0)
        #expect(rewritten.stdout == original.stdout)
        let report = try SparrowProcess.run(["inspect", output, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
        #expect(json["num_rows"] as? Int == 60175)
        #expect(json["num_row_groups"] as? Int == 3)
        let groups = json["row_groups"] as! [[String: Any]]
        let chunk = (groups[0]["columns"] as! [[String: Any]])[0]
        let expectedCodec = ["zstd": "ZSTD", "snappy": "SNAPPY", "gzip": "GZIP", "lz4": "LZ4_RAW",
                             "brotli": "BROTLI", "none": "UNCOMPRESSED"][codec]
        #expect(chunk["codec"] as? String == expectedCodec)
    }

    @Test func keepsKeyValueMetadataAndReadsChosenRowGroups() throws {
        let output = SparrowProcess.temporaryPath("groups.parquet")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let source = SparrowProcess.parquetTesting + "/data/data_index_bloom_encoding_stats.parquet"
        #expect(try SparrowProcess.run(["convert", source, output, "--row-group-rows", "5", "--quiet"]).status == 0)
        let report = try SparrowProcess.run(["inspect", output, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
        let metadata = json["key_value_metadata"] as! [String: Any]
        // pyarrow: pq.ParquetFile(source).metadata.metadata has these keys.
        #expect(metadata["parquet.avro.schema"] != nil)
        #expect(metadata["writer.model.name"] as? String == "avro")
        // 14 rows in groups of 5: the last group holds 4.
        let last = try SparrowProcess.run(["scan", output, "--row-groups", "2", "--format", "null"])
        #expect(last.stdout == "4 rows\n")
        let two = try SparrowProcess.run(["scan", output, "--row-groups", "0, 2", "--format", "null"])
        #expect(two.stdout == "9 rows\n")
    }

    @Test func refusesToReplaceWithoutOverwrite() throws {
        let output = SparrowProcess.temporaryPath("existing.parquet")
        try "keep me".write(toFile: output, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try SparrowProcess.run(["convert", sample, output, "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--overwrite"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
        let replaced = try SparrowProcess.run(["convert", sample, output, "--quiet", "--overwrite"])
        #expect(replaced.status == 0)
    }

    @Test func failedConversionLeavesNoOutput() throws {
        let output = SparrowProcess.temporaryPath("never.parquet")
        let bad = SparrowProcess.parquetTesting + "/bad_data/ARROW-GH-41321.parquet"
        let result = try SparrowProcess.run(["convert", bad, output, "--quiet"])
        #expect(result.status == 1)
        #expect(!result.crashed)
        #expect(!FileManager.default.fileExists(atPath: output))
        let directory = (output as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.contains((output as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty)
    }
}

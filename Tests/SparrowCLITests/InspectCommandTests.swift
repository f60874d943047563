import Foundation
import Testing

@Suite struct InspectCommandTests {
    /// Expected values from pyarrow: `pq.ParquetFile('alltypes_tiny_pages.parquet').metadata`.
    @Test func jsonReportShowsRowGroupsChunksAndStatistics() throws {
        let path = SparrowProcess.parquetTesting + "/data/alltypes_tiny_pages.parquet"
        let result = try SparrowProcess.run(["inspect", path, "--json"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["num_rows"] as? Int == 7300)
        #expect((json["created_by"] as? String)?.hasPrefix("parquet-mr version 1.12.0") == true)
        let columns = json["columns"] as! [[String: Any]]
        #expect(columns.count == 13)
        #expect(columns[2]["logical_type"] as? String == "INT(8,true)")
        let group = (json["row_groups"] as! [[String: Any]])[0]
        let chunks = group["columns"] as! [[String: Any]]
        let id = chunks[0]
        #expect(id["codec"] as? String == "UNCOMPRESSED")
        #expect(id["compressed_size"] as? Int == 37325)
        #expect(id["column_index"] as? Bool == true)
        let stats = id["statistics"] as! [String: Any]
        #expect(stats["min"] as? Int == 0)
        #expect(stats["max"] as? Int == 7299)
        #expect(stats["null_count"] as? Int == 0)
        let strings = chunks[8]["statistics"] as! [String: Any]
        #expect(strings["min"] as? String == "01/01/09")
        #expect(strings["max"] as? String == "12/31/10")
    }

    @Test func textReportNamesTheSchema() throws {
        let path = SparrowProcess.parquetTesting + "/data/nested_lists.snappy.parquet"
        let result = try SparrowProcess.run(["inspect", path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("a.list.element.list.element.list.element"))
        #expect(result.stdout.contains("SNAPPY"))
    }
}

import Columnar
import Testing
@testable import Parquet

@Suite struct PrefetchingBatchReaderTests {
    @Test func yieldsTheSameBatchesInOrder() throws {
        var options = ReadOptions()
        options.batchSize = 100
        let path = TestData.parquetTesting.path + "/data/alltypes_tiny_pages.parquet"
        let direct = try ParquetFileReader(path: path, options: options).batches()
        let prefetched = PrefetchingBatchReader(try ParquetFileReader(path: path, options: options).batches(), depth: 3)
        var batches = 0
        while let expected = try direct.next() {
            let actual = try #require(try prefetched.next())
            #expect(actual.rowCount == expected.rowCount)
            #expect(actual.columns[0].fixedWidthValue(at: 0, as: Int32.self) == expected.columns[0].fixedWidthValue(at: 0, as: Int32.self))
            batches += 1
        }
        #expect(try prefetched.next() == nil)
        #expect(try prefetched.next() == nil)
        #expect(batches == 73)
    }

    @Test func passesOnErrors() throws {
        let path = TestData.parquetTesting.path + "/bad_data/ARROW-GH-41321.parquet"
        let prefetched = PrefetchingBatchReader(try ParquetFileReader(path: path).batches())
        #expect(throws: ParquetError.self) { while try prefetched.next() != nil {} }
    }

    @Test func stoppingEarlyIsFine() throws {
        let path = TestData.parquetTesting.path + "/data/alltypes_tiny_pages.parquet"
        var options = ReadOptions()
        options.batchSize = 10
        for _ in 0..<20 {
            let prefetched = PrefetchingBatchReader(try ParquetFileReader(path: path, options: options).batches())
            _ = try prefetched.next()
        }
    }
}

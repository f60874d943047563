import Columnar
import Testing
@testable import Parquet

/// The Apache parquet-testing suite: every `data/` file reads to the rows pyarrow reads
/// (goldens in Fixtures/expected/parquet-testing, made by tools/fixtures/make_parquet_testing_goldens.py),
/// and every `bad_data/` file fails with an error.
@Suite struct ParquetTestingTests {
    static let dataFiles = TestData.parquetFilePaths(in: "data")
    static let badFiles = TestData.parquetFilePaths(in: "bad_data")

    @Test func suiteIsPresent() throws {
        #expect(try TestData.parquetFiles(in: "data").count >= 30)
        #expect(try TestData.parquetFiles(in: "bad_data").count >= 3)
    }

    @Test(arguments: dataFiles)
    func readsLikePyarrow(path: String) throws {
        let name = String(path.split(separator: "/").last!.dropLast(".parquet".count))
        let golden = try TestData.bytes(of: TestData.fixture("expected/parquet-testing/\(name).jsonl"))
        let reader = try ParquetFileReader(path: path)
        let actual = try jsonLines(of: reader)
        #expect(actual == String(decoding: golden, as: UTF8.self))
    }

    @Test(arguments: dataFiles)
    func smallBatchesGiveTheSameRows(path: String) throws {
        var options = ReadOptions()
        options.batchSize = 3
        options.threads = 1
        let whole = try jsonLines(of: ParquetFileReader(path: path))
        let pieces = try jsonLines(of: ParquetFileReader(path: path, options: options))
        #expect(whole == pieces)
    }

    @Test(arguments: dataFiles)
    func projectionReadsEachFieldAlone(path: String) throws {
        let reader = try ParquetFileReader(path: path)
        let whole = try reader.batches()
        var allRows: [RecordBatch] = []
        while let batch = try whole.next() { allRows.append(batch) }
        for field in reader.schema.schema.fields.indices {
            let single = try reader.batches(fields: [field])
            var rows = 0
            while let batch = try single.next() {
                #expect(batch.columns.count == 1)
                rows += batch.rowCount
            }
            #expect(rows == reader.rowCount)
        }
    }

    @Test(arguments: badFiles)
    func badDataFailsWithAnError(path: String) throws {
        #expect(throws: ParquetError.self) {
            let reader = try ParquetFileReader(path: path)
            let batches = try reader.batches()
            while try batches.next() != nil {}
        }
    }

    @Test func corruptChecksumIsCaughtWhenVerifying() throws {
        var options = ReadOptions()
        options.verifyChecksums = true
        let corrupt = TestData.parquetTesting.path + "/data/datapage_v1-corrupt-checksum.parquet"
        let error = #expect(throws: ParquetError.self) {
            let batches = try ParquetFileReader(path: corrupt, options: options).batches()
            while try batches.next() != nil {}
        }
        #expect(String(describing: error!).contains("checksum"))
        // The intact file with checksums verifies.
        let good = TestData.parquetTesting.path + "/data/datapage_v1-snappy-compressed-checksum.parquet"
        let batches = try ParquetFileReader(path: good, options: options).batches()
        var rows = 0
        while let batch = try batches.next() { rows += batch.rowCount }
        #expect(rows == 5120)
    }
}

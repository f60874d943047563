import Columnar
import Testing
@testable import Parquet

/// Reading columns for selected rows only (`BatchReader.column(_:selection:)`): pyarrow's rows of
/// Fixtures/selection/selection.parquet filtered by the same selections are the goldens (made by
/// tools/fixtures/make_selection_fixtures.py, which describes the file's page kinds).
@Suite struct RowSelectionTests {
    static let selections: [(name: String, keep: @Sendable (Int) -> Bool)] = [
        ("scattered", { ($0 * 7919) % 10 < 2 }),
        ("sparse", { $0 % 97 == 0 }),
        ("gaps", { $0 < 500 || ($0 < 700 && $0 % 2 == 0) || ($0 >= 2100 && $0 % 5 == 1) }),
    ]

    static func selection(rows: Range<Int>, keep: (Int) -> Bool) -> RowSelection {
        var set = 0
        let mask = Buffer(zeroedByteCount: Bitmap.byteCount(forBits: rows.count))
        for (k, row) in rows.enumerated() where keep(row) {
            Bitmap.set(mask.baseAddress, k)
            set += 1
        }
        return RowSelection(mask: mask, count: rows.count, setCount: set)
    }

    /// A one-thread reader of Fixtures/selection/selection.parquet in batches of `batchSize` rows.
    static func fixtureReader(batchSize: Int, keepFixedWidthDictionaries: Bool? = nil) throws -> ParquetFileReader {
        var options = ReadOptions()
        options.threads = 1
        options.batchSize = batchSize
        if let keepFixedWidthDictionaries { options.keepFixedWidthDictionaries = keepFixedWidthDictionaries }
        return try ParquetFileReader(path: TestData.fixture("selection/selection.parquet").path, options: options)
    }

    /// Reads the fixture keeping the selected rows; batches that keep nothing read no column, and
    /// with `alternate`, every other batch reads its columns whole and drops the unselected rows
    /// by gathering, so skipped and read batches interleave differently per column.
    static func selectedRows(_ keep: (Int) -> Bool, keepFixedWidthDictionaries: Bool, batchSize: Int = 500) throws -> String {
        let reader = try Self.fixtureReader(batchSize: batchSize, keepFixedWidthDictionaries: keepFixedWidthDictionaries)
        let batches = try reader.batches()
        var formatter = JSONLinesFormatter()
        var output = BufferBuilder(capacity: 4096)
        formatter.begin(schema: batches.schema, to: &output)
        var start = 0
        while let rows = try batches.advance() {
            let selection = Self.selection(rows: start..<(start + rows), keep: keep)
            start += rows
            if selection.setCount == 0 { continue }
            let columns = try batches.schema.fields.indices.map { try batches.column($0, selection: selection) }
            formatter.write(RecordBatch(schema: batches.schema, columns: columns, rowCount: selection.setCount), to: &output)
        }
        formatter.finish(to: &output)
        #expect(start == 3000)
        return output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// A row range of one row group (a scan task's share of a split row group): the rows before
    /// it are skipped in every column kind. Row group 0 holds rows 0..<1000; pyarrow's "gaps"
    /// golden has rows 0..<500 whole, then the even rows of 500..<700 (its lines 500..<600).
    @Test(arguments: [500, 333])
    func aRowRangeSkipsTheRowsBeforeIt(batchSize: Int) throws {
        let reader = try Self.fixtureReader(batchSize: batchSize)
        let golden = String(decoding: try TestData.bytes(of: TestData.fixture("selection/gaps.jsonl")), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        for (range, lines) in [(0..<500, 0..<500), (500..<1000, 500..<600)] {
            let batches = try reader.batches(rowGroups: [0], rows: range)
            var formatter = JSONLinesFormatter()
            var output = BufferBuilder(capacity: 4096)
            formatter.begin(schema: batches.schema, to: &output)
            var start = range.lowerBound
            while let rows = try batches.advance() {
                let selection = Self.selection(rows: start..<(start + rows), keep: Self.selections[2].keep)
                start += rows
                let columns = try batches.schema.fields.indices.map { try batches.column($0, selection: selection) }
                formatter.write(RecordBatch(schema: batches.schema, columns: columns, rowCount: selection.setCount), to: &output)
            }
            formatter.finish(to: &output)
            #expect(start == range.upperBound)
            let text = output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            #expect(text == golden[lines].joined(separator: "\n") + "\n", "rows \(range)")
        }
        #expect(throws: ParquetError.self) { try reader.batches(rowGroups: [0, 1], rows: 0..<10) }
    }

    @Test(arguments: [false, true])
    func selectedRowsMatchPyarrow(keepFixedWidthDictionaries: Bool) throws {
        for (name, keep) in Self.selections {
            let golden = try TestData.bytes(of: TestData.fixture("selection/\(name).jsonl"))
            let rows = try Self.selectedRows(keep, keepFixedWidthDictionaries: keepFixedWidthDictionaries)
            #expect(rows == String(decoding: golden, as: UTF8.self), "selection \(name)")
        }
    }

    /// Batches that do not line up with pages or row groups: 333 rows cut pages mid-run.
    @Test func oddBatchSize() throws {
        let (name, keep) = Self.selections[2]
        let golden = try TestData.bytes(of: TestData.fixture("selection/\(name).jsonl"))
        let rows = try Self.selectedRows(keep, keepFixedWidthDictionaries: true, batchSize: 333)
        #expect(rows == String(decoding: golden, as: UTF8.self))
    }

    /// A column read whole in one batch after being skipped in others still lines up: the
    /// selection's goldens, with the kept rows of odd batches taken from whole columns.
    @Test func wholeAndSelectedBatchesMix() throws {
        let reader = try Self.fixtureReader(batchSize: 500)
        let batches = try reader.batches()
        let keep = Self.selections[2].keep
        var formatter = JSONLinesFormatter()
        var output = BufferBuilder(capacity: 4096)
        formatter.begin(schema: batches.schema, to: &output)
        var start = 0
        var batch = 0
        while let rows = try batches.advance() {
            let selection = Self.selection(rows: start..<(start + rows), keep: keep)
            start += rows
            batch += 1
            if selection.setCount == 0 { continue }
            var columns: [Column] = []
            for position in batches.schema.fields.indices {
                if batch % 2 == 1 {
                    var kept: [Int32] = []
                    for k in 0..<rows where Bitmap.isSet(selection.mask.baseAddress, k) { kept.append(Int32(k)) }
                    columns.append(try batches.column(position).gather(indices: Buffer(copying: kept), count: kept.count))
                } else {
                    columns.append(try batches.column(position, selection: selection))
                }
            }
            formatter.write(RecordBatch(schema: batches.schema, columns: columns, rowCount: selection.setCount), to: &output)
        }
        formatter.finish(to: &output)
        let golden = try TestData.bytes(of: TestData.fixture("selection/gaps.jsonl"))
        #expect(output.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == String(decoding: golden, as: UTF8.self))
    }

    /// `next()` after batches that read only some fields skips the others' rows first.
    @Test func nextAfterPartialBatches() throws {
        let reader = try Self.fixtureReader(batchSize: 500)
        let batches = try reader.batches()
        // Rows 0..<500: only field 1 (i32_plain); rows 500..<1000: nothing; rows 1000..<1200 by next().
        #expect(try batches.advance() == 500)
        _ = try batches.column(1)
        #expect(try batches.advance() == 500)
        let batch = try #require(try batches.next())
        #expect(batch.rowCount == 200)
        // i32_plain is i * 3 - 7000, i64_dict is i % 37 - 18 (null where i % 11 == 4): rows 1000...
        #expect(batch.columns[1].fixedWidthValue(at: 0, as: Int32.self) == 1000 * 3 - 7000)
        #expect(batch.columns[0].materialized().fixedWidthValue(at: 0, as: Int64.self) == Int64(1000 % 37 - 18))
        #expect(batch.columns[0].isNull(1005 - 1000))
        #expect(!batch.columns[0].isNull(1004 - 1000))
    }

    /// Positions of set bits over ranges that start and end anywhere in a word, against a bit loop.
    @Test func setPositionsOfRanges() throws {
        let count = 300
        var bits: [Bool] = []
        for i in 0..<count { bits.append((i * 37 + i / 64) % 5 < 2 || (i > 128 && i < 200)) }
        let mask = Bitmap.buffer(from: bits, count: count)
        let selection = RowSelection(mask: mask, count: count, setCount: bits.filter { $0 }.count)
        for range in [0..<300, 1..<65, 63..<64, 64..<128, 7..<293, 250..<300, 299..<300, 5..<5] {
            let expected = range.filter { bits[$0] }.map { Int32($0 - range.lowerBound) }
            var output = [Int32](repeating: -1, count: max(1, range.count))
            let written = output.withUnsafeMutableBufferPointer { selection.setPositions(in: range, into: $0.baseAddress!) }
            #expect(Array(output[0..<written]) == expected, "range \(range)")
        }
    }
}

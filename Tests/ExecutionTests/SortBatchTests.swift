import Columnar
import Testing
@testable import Execution

struct SortBatchTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let keys: String
        let order: [Int]
        var testDescription: String { "ORDER BY " + keys }
    }

    static let cases = SortExpected.orders.map { Case(keys: $0.keys, order: $0.order) }

    /// Splits of the table: one batch; several with an empty and a one-row batch, half of them
    /// dictionary encoded.
    static let splits: [[Range<Int>]] = [[0..<300], [0..<100, 100..<101, 101..<101, 101..<250, 250..<300]]

    @Test(arguments: cases, [0, 1])
    func ordersAsDuckDB(_ test: Case, split: Int) throws {
        let sorted = try BatchSorter.sort(SortTestTable.batches(Self.splits[split]), by: SortTestTable.keys(test.keys))
        #expect(SortTestTable.order(sorted) == test.order)
    }

    /// The same with every range of two or more rows radix sorted (large inputs take that path).
    @Test(arguments: cases)
    func radixSortOrdersAsDuckDB(_ test: Case) throws {
        let sorted = try BatchSorter.sort(SortTestTable.batches(Self.splits[1]), by: SortTestTable.keys(test.keys), limit: nil, radixThreshold: 2)
        #expect(SortTestTable.order(sorted) == test.order)
    }

    @Test(arguments: cases)
    func rowsTravelWhole(_ test: Case) throws {
        let sorted = try BatchSorter.sort(SortTestTable.batches(Self.splits[1]), by: SortTestTable.keys(test.keys))
        let input = renderedRows(SortTestTable.batches([0..<300], mixEncodings: false))
        let output = renderedRows(sorted)
        #expect(output.count == input.count)
        for row in output where row != input[Int(row[0]!)!] {
            Issue.record("row \(row[0]!) changed: \(row)")
        }
        #expect(sorted.allSatisfy { $0.schema == SortTestTable.schema })
    }

    @Test(arguments: cases, [0, 1, 17, 299, 300, 1000])
    func limitGivesThePrefix(_ test: Case, limit: Int) throws {
        let sorted = try BatchSorter.sort(SortTestTable.batches(Self.splits[1]), by: SortTestTable.keys(test.keys), limit: limit)
        #expect(SortTestTable.order(sorted) == Array(test.order.prefix(limit)))
    }

    @Test func noKeysKeepsTheInputOrder() throws {
        let sorted = try BatchSorter.sort(SortTestTable.batches(Self.splits[1]), by: [])
        #expect(SortTestTable.order(sorted) == Array(0..<300))
    }

    @Test func zeroAndOneRows() throws {
        #expect(try BatchSorter.sort([], by: [SortColumn(0)]).isEmpty)
        #expect(try BatchSorter.sort(SortTestTable.batches([0..<0]), by: [SortColumn(1)]).isEmpty)
        let one = try BatchSorter.sort(SortTestTable.batches([0..<0, 5..<6, 6..<6]), by: SortTestTable.keys("s_str DESC NULLS LAST"))
        #expect(SortTestTable.order(one) == [5])
    }

    /// Many ties over more than one output batch: stable, and batches of at most 64Ki rows.
    @Test func largeStableSortInBoundedBatches() throws {
        let rows = 70_000
        let schema = Schema([Field("idx", .int32), Field("class", .int64), Field("text", .string)])
        let batches = stride(from: 0, to: rows, by: 20_000).map { start in
            let range = start..<min(start + 20_000, rows)
            return RecordBatch(schema: schema, columns: [
                Column(.int32, range.map { Int32($0) as Int32? }),
                Column(.int64, range.map { $0 % 5 == 0 ? nil : Int64($0 % 3) }),
                Column(strings: range.map { "t\($0 % 7)" }),
            ])
        }
        let sorted = try BatchSorter.sort(batches, by: [SortColumn(1, ascending: false, nullsFirst: false), SortColumn(2)])
        #expect(sorted.map(\.rowCount) == [65_536, 4_464])
        let expected = (0..<rows).sorted { a, b in
            func key(_ i: Int) -> (Int, Int, Int) { (i % 5 == 0 ? 3 : 2 - i % 3, i % 7, i) }
            return key(a) < key(b)
        }
        #expect(SortTestTable.order(sorted) == expected)
    }

    /// Nested columns ride along, also when the rows come from several batches.
    @Test func nestedColumnsAreCarried() throws {
        let schema = Schema([Field("idx", .int32), Field("list", .list(Field("element", .int64)))])
        func batch(_ range: Range<Int>) -> RecordBatch {
            let lengths = range.map { $0 % 4 == 3 ? nil : $0 % 3 }
            let values = range.flatMap { i in (0..<(i % 4 == 3 ? 0 : i % 3)).map { Int64(i * 10 + $0) as Int64? } }
            return RecordBatch(schema: schema, columns: [Column(.int32, range.map { Int32($0) as Int32? }),
                                                         Column(list: Field("element", .int64), values: Column(.int64, values), lengths: lengths)])
        }
        let sorted = try BatchSorter.sort([batch(0..<5), batch(5..<9)], by: [SortColumn(0, ascending: false)])
        #expect(SortTestTable.order(sorted) == [8, 7, 6, 5, 4, 3, 2, 1, 0])
        let list = sorted[0].columns[1]
        for (row, i) in [8, 7, 6, 5, 4, 3, 2, 1, 0].enumerated() {
            #expect(list.isNull(row) == (i % 4 == 3))
            guard !list.isNull(row), case .list(_, let values) = list.storage else { continue }
            #expect(list.listRange(at: row).map { values.fixedWidthValue(at: $0, as: Int64.self) } == (0..<(i % 3)).map { Int64(i * 10 + $0) })
        }
    }

    @Test func unsortableKeysAreRejected() {
        let schema = Schema([Field("list", .list(Field("element", .int64)))])
        let batch = RecordBatch(schema: schema, columns: [Column(list: Field("element", .int64), values: Column(.int64, [1] as [Int64?]), lengths: [1])])
        #expect(throws: ExecutionError.self) { try BatchSorter.sort([batch], by: [SortColumn(0)]) }
        #expect(throws: ExecutionError.self) { try BatchSorter.sort([batch], by: [SortColumn(3)]) }
    }
}

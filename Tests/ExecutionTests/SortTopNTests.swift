import Columnar
import Testing
@testable import Execution

struct SortTopNTests {
    static let cases = SortBatchTests.cases

    func topN(_ keys: [SortColumn], limit: Int, _ batches: [RecordBatch]) throws -> [RecordBatch] {
        var top = try TopN(schema: batches[0].schema, keys: keys, limit: limit)
        for batch in batches { try top.add(batch) }
        return try top.finish()
    }

    /// DuckDB's order, cut at the limit.
    @Test(arguments: cases, [0, 1, 5, 100, 299, 300, 500])
    func firstRowsAsDuckDB(_ test: Case, limit: Int) throws {
        let batches = SortTestTable.batches([0..<7, 7..<57, 57..<58, 58..<58, 58..<300])
        let top = try topN(SortTestTable.keys(test.keys), limit: limit, batches)
        #expect(SortTestTable.order(top) == Array(test.order.prefix(limit)))
        #expect(renderedRows(top).allSatisfy { $0.count == SortTestTable.names.count })
    }
    typealias Case = SortBatchTests.Case

    /// Against the full sort and its prefix, over enough rows that the screening of incoming
    /// batches against the current cut-off matters.
    @Test(arguments: [1, 10, 100, 5000, 30_000])
    func matchesFullSortPrefix(limit: Int) throws {
        let schema = Schema([Field("idx", .int32), Field("score", .float64), Field("name", .string)])
        let batches = stride(from: 0, to: 40_000, by: 1000).map { start in
            let range = start..<(start + 1000)
            return RecordBatch(schema: schema, columns: [
                Column(.int32, range.map { Int32($0) as Int32? }),
                Column(.float64, range.map { $0 % 101 == 0 ? nil : Double(($0 * 7919) % 10007) / 4 }),
                Column(strings: range.map { "n\(($0 * 31) % 997)" }),
            ])
        }
        for keys in [[SortColumn(1)], [SortColumn(1, ascending: false), SortColumn(2)], [SortColumn(2, ascending: false, nullsFirst: true)]] {
            let full = try BatchSorter.sort(batches, by: keys)
            let top = try topN(keys, limit: limit, batches)
            #expect(SortTestTable.order(top) == Array(SortTestTable.order(full).prefix(limit)))
        }
    }

    @Test func withoutKeysTheFirstRowsWin() throws {
        let top = try topN([], limit: 10, SortTestTable.batches([0..<3, 3..<50, 50..<300]))
        #expect(SortTestTable.order(top) == Array(0..<10))
    }

    @Test func invalidKeysAreRejected() {
        #expect(throws: ExecutionError.self) { try TopN(schema: SortTestTable.schema, keys: [SortColumn(42)], limit: 3) }
        #expect(throws: ExecutionError.self) { try TopN(schema: SortTestTable.schema, keys: [SortColumn(0)], limit: -1) }
    }
}

import Columnar
import Query
import Testing
@testable import Execution

struct BatchFilterKernelTests {
    typealias S = ExpressionTestSupport

    static func sampleBatch() -> RecordBatch {
        S.batch([
            ("id", Column(.int64, [10, 11, 12, 13, 14, 15] as [Int64?])),
            ("name", Column(strings: ["a", "bb", nil, "dddd", "", "f"])),
            ("mode", S.dictionaryStrings(["AIR", "SHIP"], indices: [0, 1, 1, nil, 0, 1])),
            ("flag", Column(booleans: [true, nil, false, true, false, true])),
            ("price", S.decimals([100, 200, nil, 400, 500, 600], precision: 15, scale: 2)),
        ])
    }

    /// NULL in the predicate drops the row, as false does.
    @Test func keepsRowsWherePredicateIsTrue() throws {
        let batch = Self.sampleBatch()
        let predicate = Column(booleans: [true, nil, false, true, true, false])
        let kept = BatchFilter.apply(predicate, to: batch)
        #expect(kept.rowCount == 3)
        #expect(S.longs(kept.columns[0]) == [10, 13, 14])
        #expect(S.strings(kept.columns[1]) == ["a", "dddd", ""])
        #expect(S.strings(kept.columns[2]) == ["AIR", nil, "AIR"])
        if case .dictionary = kept.columns[2].storage {} else { Issue.record("the dictionary column was decoded") }
        #expect(S.booleans(kept.columns[3]) == [true, true, false])
        #expect(S.unscaled(kept.columns[4]) == [100, 400, 500])
    }

    @Test func allAndNothing() throws {
        let batch = Self.sampleBatch()
        let all = BatchFilter.apply(Column(booleans: Array(repeating: true, count: 6)), to: batch)
        #expect(all.rowCount == 6)
        #expect(S.strings(all.columns[1]) == S.strings(batch.columns[1]))
        let none = BatchFilter.apply(Column(booleans: Array(repeating: false, count: 6)), to: batch)
        #expect(none.rowCount == 0)
        #expect(none.columns.allSatisfy { $0.count == 0 })
        let empty = S.batch([("x", Column(.int32, [] as [Int32?]))])
        #expect(BatchFilter.apply(Column(booleans: []), to: empty).rowCount == 0)
    }

    /// A filter over 1000 rows from a compiled predicate.
    /// duckdb: select count(*), sum(i) from range(1000) r(i) where (i*7)%5 < 2 and i%13 <> 0 → 368, 183792
    @Test func compiledPredicateOverManyRows() throws {
        let batch = S.batch([("i", Column(.int64, (0..<1000).map { Optional(Int64($0)) })),
                             ("k", Column(.int64, (0..<1000).map { Optional(Int64(($0 * 7) % 5)) })),
                             ("m", Column(.int64, (0..<1000).map { Optional(Int64($0 % 13)) }))])
        let predicate = try S.evaluate(Expr.col("k").lessThan(.int64(2)) && Expr.col("m").isNotEqual(to: .int64(0)), batch)
        let kept = BatchFilter.apply(predicate, to: batch)
        #expect(kept.rowCount == 368)
        #expect(S.longs(kept.columns[0]).reduce(0) { $0 + $1! } == 183_792)
    }

    /// Mostly kept rows: whole 64-row words are copied as blocks, with NULLs and booleans
    /// carried along; every row dropped at a word edge tests the bit packing.
    @Test func denseSelectionsCopyWholeWords() throws {
        let n = 300
        let keep = (0..<n).map { $0 % 97 != 0 && $0 != 63 && $0 != 64 && $0 != 255 }
        let values: [Int32?] = (0..<n).map { $0 % 5 == 0 ? nil : Int32($0) }
        let flags: [Bool?] = (0..<n).map { $0 % 7 == 0 ? nil : $0 % 3 == 0 }
        let batch = S.batch([("v", Column(.int32, values)), ("f", Column(booleans: flags)),
                             ("d", S.decimals((0..<n).map { Int128($0) }, precision: 20, scale: 0))])
        let kept = BatchFilter.apply(Column(booleans: keep), to: batch)
        let rows = (0..<n).filter { keep[$0] }
        #expect(kept.rowCount == rows.count)
        #expect(S.ints(kept.columns[0]) == rows.map { values[$0] })
        #expect(S.booleans(kept.columns[1]) == rows.map { flags[$0] })
        #expect(S.unscaled(kept.columns[2]) == rows.map { Int128($0) })
    }
}

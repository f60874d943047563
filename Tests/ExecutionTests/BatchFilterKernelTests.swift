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

    /// Masks of every density (each 64-row word takes the copy its pattern suits: blocks, runs,
    /// single rows, or all 64 rows with the output advanced per bit) over values of every
    /// width, dictionary indices and booleans; row counts that end inside a word.
    @Test(arguments: [0.995, 0.9, 0.5, 0.3, 0.15, 0.02])
    func masksOfEveryDensity(_ density: Double) throws {
        for n in [1000, 4096, 4133] {
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(n)
            let keep = (0..<n).map { _ -> Bool in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Double(state >> 11) / Double(UInt64(1) << 53) < density
            }
            let bytes: [Int8?] = (0..<n).map { Int8(truncatingIfNeeded: $0 * 7) }
            let shorts: [Int16?] = (0..<n).map { $0 % 11 == 0 ? nil : Int16(truncatingIfNeeded: $0 * 3) }
            let ints: [Int32?] = (0..<n).map { Int32($0) }
            let longs: [Int64?] = (0..<n).map { $0 % 5 == 0 ? nil : Int64($0) * 1_000_003 }
            let decimals: [Int128?] = (0..<n).map { Int128($0) * -1_000_000_000_007 }
            let flags: [Bool?] = (0..<n).map { $0 % 3 == 0 }
            let names: [Int32?] = (0..<n).map { $0 % 13 == 0 ? nil : Int32($0 % 4) }
            let batch = S.batch([("b", Column(.int8, bytes)), ("s", Column(.int16, shorts)), ("i", Column(.int32, ints)),
                                 ("l", Column(.int64, longs)), ("d", S.decimals(decimals, precision: 38, scale: 0)),
                                 ("f", Column(booleans: flags)), ("n", S.dictionaryStrings(["w", "x", "y", "z"], indices: names))])
            let kept = BatchFilter.apply(Column(booleans: keep), to: batch)
            let rows = (0..<n).filter { keep[$0] }
            #expect(kept.rowCount == rows.count)
            #expect(S.fixed(kept.columns[0], as: Int8.self) == rows.map { bytes[$0] })
            #expect(S.fixed(kept.columns[1], as: Int16.self) == rows.map { shorts[$0] })
            #expect(S.ints(kept.columns[2]) == rows.map { ints[$0] })
            #expect(S.longs(kept.columns[3]) == rows.map { longs[$0] })
            #expect(S.unscaled(kept.columns[4]) == rows.map { decimals[$0] })
            #expect(S.booleans(kept.columns[5]) == rows.map { flags[$0] })
            #expect(S.strings(kept.columns[6]) == rows.map { names[$0].map { ["w", "x", "y", "z"][Int($0)] } })
            for column in kept.columns {
                if case .fixedWidth(let data) = column.storage { #expect(data.byteCount == rows.count * column.type.byteWidth!) }
            }
        }
    }
}

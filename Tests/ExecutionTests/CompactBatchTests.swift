import Columnar
import Testing
@testable import Execution

/// Shuffle blocks kept as offsets: every value comes back bit for bit, and columns are stored in
/// the narrowest width their range allows (or as they are).
struct CompactBatchTests {
    static func values(_ column: Column) -> [String] {
        (0..<column.count).map { column.isNull($0) ? "NULL" : "\(ColumnScalar.value(of: column, at: $0)!)" }
    }

    static func width(_ stored: CompactBatch.Stored) -> Int? {
        if case .offsets(_, _, _, _, let width, _) = stored { return width }
        return nil
    }

    static func batch(_ columns: [(String, Column)]) -> RecordBatch {
        RecordBatch(schema: Schema(columns.map { Field($0.0, $0.1.type) }), columns: columns.map(\.1), rowCount: columns[0].1.count)
    }

    @Test func columnsRoundTripInTheNarrowestWidth() throws {
        let rows = 1_000
        // A NULL row's slot holds a value far outside the others' range.
        let nullable = Column(type: .int64, count: rows, validity: Bitmap.buffer(from: (0..<rows).map { $0 % 10 != 3 }, count: rows),
                              storage: .fixedWidth(Buffer(copying: (0..<rows).map { $0 % 10 == 3 ? Int64.min : Int64(-500 + $0) })))
        let columns: [(String, Column, Int?)] = [
            ("bytes", Column(.int64, (0..<rows).map { Int64(1_000_000 + $0 % 200) }), 1),
            ("nullable", nullable, 2),
            ("words", Column(.int64, (0..<rows).map { Int64($0) * 4_000_000 - 9 }), 4),
            ("full", Column(.int64, (0..<rows).map { $0 == 0 ? Int64.min : $0 == 1 ? Int64.max : Int64($0) }), nil),
            ("price", Column(.decimal(precision: 15, scale: 2), (0..<rows).map { Int128(90_000_00 + $0 * 37) }), 2),
            ("huge", Column(.decimal(precision: 38, scale: 0), (0..<rows).map { Int128($0) << 70 }), nil),
            ("stamp", Column(.timestamp(.microseconds, isAdjustedToUTC: true), (0..<rows).map { Int64(1_700_000_000_000_000 + $0) }), 2),
            ("nulls", Column(.int64, [Int64?](repeating: nil, count: rows)), nil),
            ("double", Column(.float64, (0..<rows).map { Double($0) }), nil),
            ("text", Column(strings: (0..<rows).map { "s\($0)" }), nil),
        ]
        let schema = Schema(columns.map { Field($0.0, $0.1.type) })
        let batch = RecordBatch(schema: schema, columns: columns.map(\.1), rowCount: rows)
        let compact = CompactBatch(batch)
        for (i, (name, _, width)) in columns.enumerated() {
            #expect(Self.width(compact.columns[i]) == width, "\(name)")
        }
        let back = compact.batch
        #expect(back.schema == schema && back.rowCount == rows)
        for (i, (name, column, _)) in columns.enumerated() {
            #expect(back.columns[i].type == column.type, "\(name)")
            #expect(back.columns[i].nullCount == column.nullCount, "\(name)")
            #expect(Self.values(back.columns[i]) == Self.values(column), "\(name)")
        }
    }

    /// Pieces joined into one batch hold every piece's rows in order, whether their columns
    /// were kept as offsets of different bases and widths, with NULLs, or as they are.
    @Test func concatenatedPiecesHoldTheirRowsInOrder() throws {
        func piece(_ rows: Range<Int>, nullAt: Int?) -> RecordBatch {
            let wide: [Int64] = rows.map { (i: Int) -> Int64 in Int64(i) * (i % 2 == 0 ? 1 : 70_000) }
            let narrow: [Int64?] = rows.map { (i: Int) -> Int64? in i == nullAt ? nil : Int64(1_000_000 + i % 300) }
            let prices: [Int128] = rows.map { (i: Int) -> Int128 in Int128(i) * 37 }
            let texts: [String] = rows.map { (i: Int) -> String in "t\(i)" }
            return Self.batch([("wide", Column(.int64, wide)), ("narrow", Column(.int64, narrow)),
                               ("price", Column(.decimal(precision: 18, scale: 2), prices)), ("text", Column(strings: texts))])
        }
        let batches = [piece(0..<100, nullAt: nil), piece(100..<1_000, nullAt: 500), piece(1_000..<1_001, nullAt: nil), piece(1_001..<5_000, nullAt: nil)]
        let pieces = batches.map { CompactBatch($0) }
        // Different widths across the pieces: 1, 2 and 4 bytes.
        #expect(Set(pieces.compactMap { Self.width($0.columns[0]) }).count > 1)
        let joined = CompactBatch.concatenated(pieces)
        #expect(joined.rowCount == 5_000 && joined.schema == batches[0].schema)
        for c in 0..<4 {
            let expected = batches.flatMap { Self.values($0.columns[c]) }
            #expect(Self.values(joined.columns[c]) == expected, "column \(c)")
            #expect(joined.columns[c].nullCount == (c == 1 ? 1 : 0), "column \(c)")
        }
    }

    /// A map task's parts, gathered straight into offsets from the whole batch's smallest value
    /// (or as they are), hold exactly the rows of their partition, in order, NULLs included.
    @Test(arguments: [3, 16])
    func partsGatheredFromASplitHoldTheirRows(count: Int) throws {
        let rows = 10_003
        let keys = Column(.int64, (0..<rows).map { Int64($0 * 35_761 % 100_000) as Int64? })
        let wide = Column(.int64, (0..<rows).map { Int64($0) << 40 as Int64? })
        let nullable = Column(.int64, (0..<rows).map { $0 % 7 == 0 ? nil : Int64(-$0 % 300) as Int64? })
        let decimal = Column(.decimal(precision: 15, scale: 2), (0..<rows).map { Int128($0 % 4_000) * 37 as Int128? })
        let doubles = Column(.float64, (0..<rows).map { Double($0) / 4 as Double? })
        let int32 = Column(.int32, (0..<rows).map { Int32($0) as Int32? })
        let strings = Column(strings: (0..<rows).map { $0 % 13 == 0 ? nil : "s\($0 % 977)" })
        let encoded = dictionaryEncoded(Column(strings: (0..<rows).map { "d\($0 % 50)" }))
        let batch = Self.batch([("keys", keys), ("wide", wide), ("nullable", nullable), ("decimal", decimal), ("doubles", doubles),
                                ("int32", int32), ("strings", strings), ("encoded", encoded)])
        let layouts = CompactBatch.layouts(of: batch)
        #expect(layouts.map { $0?.width } == [4, nil, 2, 4, nil, nil, nil, nil])
        let split = HashPartitioner.split(rowCount: rows, keys: [keys], into: count, scratch: PartitionScratch())
        let partitionOf = HashPartitioner.rowHashes([keys], rowCount: rows).map { HashPartitioner.partitionIndex($0, count: count) }
        let expected = renderedRows([batch])
        var total = 0
        for p in 0..<count {
            let part = CompactBatch(gathering: batch, rows: split.rows(p), layouts: layouts)
            let wanted = (0..<rows).filter { partitionOf[$0] == p }.map { expected[$0] }
            total += part.rowCount
            #expect(renderedRows([part.batch]) == wanted, "partition \(p)")
            #expect(part.batch.columns[2].nullCount == wanted.filter { $0[2] == nil }.count, "partition \(p)")
            #expect(part.dataSize == part.batch.dataSize, "partition \(p)")
        }
        #expect(total == rows)
    }

    /// The smallest value and the span, against the array's own min and max, for lengths that
    /// leave every remainder after the groups of four, extremes at every position, both widths.
    @Test func rangeFindsTheSmallestAndTheLargest() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64(bitPattern: state) >> 20
        }
        for count in [1, 2, 3, 4, 5, 6, 7, 8, 9, 1_001] {
            for extreme in 0..<min(count, 9) {
                var values = (0..<count).map { _ in next() }
                values[extreme] = extreme % 2 == 0 ? Int64.min : Int64.max
                let found = values.withUnsafeBufferPointer { CompactBatch.range($0.baseAddress!, count: count, validity: nil) }
                let low = values.min()!, high = values.max()!
                #expect(found?.low == low, "count \(count), extreme at \(extreme)")
                #expect(found?.span == UInt128(UInt64(bitPattern: high &- low)), "count \(count), extreme at \(extreme)")
                let wide = values.map { Int128($0) * 3 }
                let foundWide = wide.withUnsafeBufferPointer { CompactBatch.range($0.baseAddress!, count: count, validity: nil) }
                #expect(foundWide?.low == Int128(low) * 3, "count \(count), extreme at \(extreme)")
            }
        }
    }
}

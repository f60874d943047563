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
}

import Columnar
import Query
import Testing
@testable import Execution

/// The 3000-row table of the aggregation tests, built from the same formulas as the Python
/// script that computed the expected results with DuckDB (see `AggregationExpected`).
enum AggregationTestTable {
    static let rowCount = 3000

    static let keyTypes: [String: DataType] = [
        "k_int": .int32, "k_str": .string, "k_bool": .boolean, "k_dbl": .float64, "k_date": .date32,
        "k_dec": .decimal(precision: 10, scale: 2), "k_ts": .timestamp(.microseconds, isAdjustedToUTC: false),
    ]

    static let valueTypes: [String: DataType] = [
        "v_int": .int32, "v_big": .int64, "v_small": .int16, "v_dbl": .float64, "v_flt": .float32,
        "v_dec": .decimal(precision: 12, scale: 3), "v_str": .string, "v_bool": .boolean, "v_date": .date32,
        "v_ts": .timestamp(.microseconds, isAdjustedToUTC: false),
    ]

    static let keyStrings = ["apple", "Banana", "cherry", "", "\u{e1}pple", "a longer string key!"]
    static let keyDoubles: [Double?] = [0.0, -0.0, .nan, 1.5, -2.25, nil, .infinity]

    /// Column `name` for rows `range`; dictionary encoded (all but booleans) when asked.
    static func column(_ name: String, _ range: Range<Int>, dictionary: Bool = false) -> Column {
        let column: Column
        switch name {
        case "k_int": column = Column(.int32, range.map { $0 % 101 == 7 ? nil : Int32($0 % 7 - 3) })
        case "k_str": column = Column(strings: range.map { $0 % 17 == 5 ? nil : keyStrings[$0 % 6] })
        case "k_bool": column = Column(booleans: range.map { $0 % 10 == 9 ? nil : $0 % 3 == 0 })
        case "k_dbl": column = Column(.float64, range.map { keyDoubles[$0 % 7] })
        case "k_date": column = Column(.date32, range.map { Int32(19000 + ($0 % 4) * 31) as Int32? })
        case "k_dec": column = Column(.decimal(precision: 10, scale: 2), range.map { $0 % 13 == 0 ? nil : Int128(($0 % 5 - 2) * 150) })
        case "k_ts": column = Column(keyTypes["k_ts"]!, range.map { Int64(1_700_000_000_000_000 + ($0 % 3) * 3_600_000_000) as Int64? })
        case "v_int": column = Column(.int32, range.map { $0 % 11 == 3 ? nil : Int32(($0 * 7919) % 20011 - 10005) })
        case "v_big": column = Column(.int64, range.map { Int64(($0 * 104729) % 1_000_003 * 1000 - 500_000_000) as Int64? })
        case "v_small": column = Column(.int16, range.map { $0 % 7 == 2 ? nil : Int16(($0 * 3) % 50 - 20) })
        case "v_dbl": column = Column(.float64, range.map { $0 % 13 == 4 ? nil : Double(($0 * 31) % 1000 - 500) / 8 })
        case "v_flt": column = Column(.float32, range.map { $0 % 9 == 1 ? nil : Float(($0 * 17) % 200 - 100) / 4 })
        case "v_dec": column = Column(.decimal(precision: 12, scale: 3), range.map { $0 % 19 == 2 ? nil : Int128(($0 * 7919) % 1_000_003 - 500_001) })
        case "v_str": column = Column(strings: range.map { $0 % 23 == 6 ? nil : "v\(($0 * 37) % 1000)" })
        case "v_bool": column = Column(booleans: range.map { $0 % 29 == 8 ? nil : ($0 * 7) % 5 == 0 })
        case "v_date": column = Column(.date32, range.map { Int32(18000 + ($0 * 13) % 400) as Int32? })
        case "v_ts": column = Column(valueTypes["v_ts"]!, range.map { Int64(1_600_000_000_000_000 + ($0 * 7) % 1000 * 1_000_000_000) as Int64? })
        default: preconditionFailure("no column \(name)")
        }
        return dictionary && column.type != .boolean ? dictionaryEncoded(column) : column
    }

    static func type(_ name: String) -> DataType { keyTypes[name] ?? valueTypes[name]! }

    /// The aggregates of the expected tables, in their column order, with their argument columns.
    static let aggregates: [(spec: AggregateSpec, argument: String?)] = {
        func spec(_ function: AggregateFunction, _ argument: String?, distinct: Bool = false) -> (AggregateSpec, String?) {
            // The typing rules are tested in QueryTests; a failure here is a test bug.
            (try! AggregateSpec(function: function, distinct: distinct, argumentType: argument.map(type)), argument)
        }
        return [
            spec(.count, nil), spec(.count, "v_int"), spec(.sum, "v_int"), spec(.sum, "v_big"), spec(.sum, "v_dbl"),
            spec(.sum, "v_flt"), spec(.sum, "v_dec"), spec(.avg, "v_int"), spec(.avg, "v_dbl"), spec(.avg, "v_dec"),
            spec(.min, "v_int"), spec(.max, "v_int"), spec(.min, "v_dbl"), spec(.max, "v_dbl"), spec(.min, "v_dec"),
            spec(.max, "v_dec"), spec(.min, "v_str"), spec(.max, "v_str"), spec(.min, "v_bool"), spec(.max, "v_bool"),
            spec(.min, "v_date"), spec(.max, "v_date"), spec(.min, "v_ts"), spec(.max, "v_ts"),
            spec(.count, "v_str", distinct: true), spec(.sum, "v_small", distinct: true), spec(.avg, "v_small", distinct: true),
        ]
    }()

    /// Batch boundaries covering all rows, with an empty and a one-row batch among them.
    static let batchRanges: [Range<Int>] = [0..<1000, 1000..<1000, 1000..<1001, 1001..<2048, 2048..<3000]

    /// Feeds the table to `aggregator` (raw arguments), a batch per range; odd batches get
    /// dictionary-encoded strings when `mixEncodings`.
    static func feed(_ aggregator: GroupedAggregator, keys: [String], aggregates: [(spec: AggregateSpec, argument: String?)],
                     ranges: [Range<Int>] = batchRanges, mixEncodings: Bool = true) throws {
        for (i, range) in ranges.enumerated() {
            let dictionary = mixEncodings && i % 2 == 1
            try aggregator.update(keys: keys.map { column($0, range, dictionary: dictionary) },
                                  arguments: aggregates.map { $0.argument.map { [column($0, range, dictionary: dictionary)] } ?? [] },
                                  rowCount: range.count)
        }
    }
}

/// A dictionary-encoded copy of a column (first appearance order; NULL rows point at entry 0).
func dictionaryEncoded(_ column: Column) -> Column {
    var entries: [String: Int32] = [:]
    var order: [Int] = []
    var indices = [Int32](repeating: 0, count: column.count)
    for row in 0..<column.count where !column.isNull(row) {
        let key = column.withBytes(at: row) { Array($0).map(String.init).joined(separator: ",") }
        if let index = entries[key] {
            indices[row] = index
        } else {
            entries[key] = Int32(order.count)
            indices[row] = Int32(order.count)
            order.append(row)
        }
    }
    let dictionary = column.gather(indices: Buffer(copying: order.map { Int32($0) }), count: order.count)
    return Column(type: column.type, count: column.count, validity: column.validity, nullCount: column.nullCount,
                  storage: .dictionary(indices: Buffer(copying: indices), dictionary: dictionary))
}

/// Value `row` of `column` as text in the form the Python scripts print (nil for NULL).
func rendered(_ column: Column, _ row: Int) -> String? {
    if column.isNull(row) { return nil }
    switch column.type {
    case .boolean: return column.booleanValue(at: row) ? "true" : "false"
    case .int8: return String(column.fixedWidthValue(at: row, as: Int8.self))
    case .int16: return String(column.fixedWidthValue(at: row, as: Int16.self))
    case .int32, .date32: return String(column.fixedWidthValue(at: row, as: Int32.self))
    case .int64, .timestamp: return String(column.fixedWidthValue(at: row, as: Int64.self))
    case .uint8: return String(column.fixedWidthValue(at: row, as: UInt8.self))
    case .uint64: return String(column.fixedWidthValue(at: row, as: UInt64.self))
    case .float32: return "\(Double(column.fixedWidthValue(at: row, as: Float.self)))"
    case .float64: return "\(column.fixedWidthValue(at: row, as: Double.self))"
    case .decimal(_, let scale): return DecimalFormatting.string(column.fixedWidthValue(at: row, as: Int128.self), scale: scale)
    case .string: return column.stringValue(at: row)
    case .binary: return column.withBytes(at: row) { $0.map { String($0, radix: 16) }.joined(separator: " ") }
    default: return "?\(column.type)"
    }
}

/// All rows of `batches` rendered.
func renderedRows(_ batches: [RecordBatch]) -> [[String?]] {
    batches.flatMap { batch in (0..<batch.rowCount).map { row in batch.columns.map { rendered($0, row) } } }
}

/// Whether two rendered values agree: equal text, or numbers equal up to 1e-12 relative (both
/// engines add doubles in their own order), NaN equal to NaN, -0.0 to 0.0.
func renderedEqual(_ a: String?, _ b: String?) -> Bool {
    if a == b { return true }
    guard let a, let b, let x = Double(a), let y = Double(b) else { return false }
    if x.isNaN && y.isNaN { return true }
    return abs(x - y) <= 1e-12 * max(abs(x), abs(y))
}

/// Expects `actual` to hold the rows of `expected` (matched by their first `keyCount` values)
/// in any order.
func expectSameGroups(_ actual: [[String?]], _ expected: [[String?]], keyCount: Int,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    func key(_ row: [String?]) -> String {
        row.prefix(keyCount).map { $0.map { $0 == "-0.0" ? "0.0" : $0 } ?? "NULL" }.joined(separator: "|")
    }
    #expect(actual.count == expected.count, "group count", sourceLocation: sourceLocation)
    let byKey = Dictionary(actual.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    #expect(byKey.count == actual.count, "a key appears in two groups", sourceLocation: sourceLocation)
    for row in expected {
        guard let found = byKey[key(row)] else {
            Issue.record("missing group \(key(row))", sourceLocation: sourceLocation)
            continue
        }
        #expect(found.count == row.count, sourceLocation: sourceLocation)
        for (column, (a, e)) in zip(found, row).enumerated() where !renderedEqual(a, e) {
            Issue.record("group \(key(row)) column \(column): got \(a ?? "NULL"), expected \(e ?? "NULL")", sourceLocation: sourceLocation)
        }
    }
}

import Columnar
@testable import Execution

/// The 300-row table of the sort tests, from the same formulas as `gen_sort.py` (`SortExpected`).
enum SortTestTable {
    static let rowCount = 300
    static let names = ["idx", "s_int", "s_dbl", "s_str", "s_dec", "s_bool", "s_date", "s_ts", "s_bin", "s_u8"]
    static let strings = ["", "a", "ab", "abc", "abcdefgh", "abcdefghi", "abcdefghij", "abcdefgh\u{e9}", "b", "\u{e1}",
                          "shared prefix of twenty bytes: X", "shared prefix of twenty bytes: Y", "shared prefix of twenty bytes",
                          "zz", "Z"]
    static let doubles: [Double?] = [0.0, -0.0, .nan, .infinity, -.infinity, 1.5, -1.5, .leastNonzeroMagnitude, nil, 1e300]
    static let timestampType = DataType.timestamp(.microseconds, isAdjustedToUTC: false)

    static var schema: Schema {
        Schema(names.map { Field($0, column($0, 0..<0).type) })
    }

    static func column(_ name: String, _ range: Range<Int>, dictionary: Bool = false) -> Column {
        let column: Column
        switch name {
        case "idx": column = Column(.int32, range.map { Int32($0) as Int32? })
        case "s_int": column = Column(.int32, range.map { $0 % 37 == 3 ? nil : Int32($0 % 10 - 5) })
        case "s_dbl": column = Column(.float64, range.map { doubles[($0 * 7) % 10] })
        case "s_str": column = Column(strings: range.map { $0 % 29 == 4 ? nil : strings[($0 * 11) % 15] })
        case "s_dec":
            column = Column(.decimal(precision: 22, scale: 4), range.map {
                $0 % 31 == 5 ? nil : Int128(($0 * 7919) % 2001 - 1000) * 100_000_000_000_000_000 + Int128($0 % 3)
            })
        case "s_bool": column = Column(booleans: range.map { $0 % 6 == 5 ? nil : $0 % 4 < 2 })
        case "s_date": column = Column(.date32, range.map { $0 % 41 == 0 ? nil : Int32(18000 + ($0 * 13) % 50) })
        case "s_ts": column = Column(timestampType, range.map { Int64(1_600_000_000_000_000 + ($0 * 17) % 23 * 1_000_000) as Int64? })
        case "s_bin": column = Column(.binary, bytes: range.map { $0 % 43 == 1 ? nil : Array([UInt8(($0 * 5) % 3), UInt8(($0 * 3) % 256)].prefix($0 % 3)) })
        case "s_u8": column = Column(.uint8, range.map { UInt8(($0 * 13) % 256) as UInt8? })
        default: preconditionFailure("no column \(name)")
        }
        return dictionary && column.type != .boolean ? dictionaryEncoded(column) : column
    }

    /// The table split at `ranges`; every other batch dictionary encoded when `mixEncodings`.
    static func batches(_ ranges: [Range<Int>], mixEncodings: Bool = true) -> [RecordBatch] {
        ranges.enumerated().map { i, range in
            RecordBatch(schema: schema, columns: names.map { column($0, range, dictionary: mixEncodings && i % 2 == 1) }, rowCount: range.count)
        }
    }

    /// "s_int DESC NULLS LAST, s_str ASC NULLS FIRST" as sort columns.
    static func keys(_ text: String) -> [SortColumn] {
        text.split(separator: ", ").map { part in
            let words = part.split(separator: " ").map(String.init)
            return SortColumn(names.firstIndex(of: words[0])!, ascending: words[1] == "ASC", nullsFirst: words[3] == "FIRST")
        }
    }

    /// The `idx` column of sorted batches.
    static func order(_ batches: [RecordBatch]) -> [Int] {
        batches.flatMap { batch in (0..<batch.rowCount).map { Int(batch.columns[0].fixedWidthValue(at: $0, as: Int32.self)) } }
    }
}

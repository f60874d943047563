import Columnar
import Testing
@testable import Execution

/// `Column.concatenated`: the rows of the columns one after the other, NULLs where they were,
/// whatever the storage.
struct ColumnConcatenationTests {
    static let strings: [[String?]] = [["a", nil, "", "long string value, longer than sixteen bytes"], [], [nil, nil], ["z", "é", nil, "a"]]

    static func rows(_ column: Column) -> [String?] {
        (0..<column.count).map { rendered(column, $0) }
    }

    @Test func stringsPlainAndEncoded() {
        let expected = Self.strings.flatMap { $0 }
        let plain = Self.strings.map { Column(strings: $0) }
        #expect(Self.rows(Column.concatenated(plain)) == expected)
        // Each its own dictionary: decoded.
        let encoded = Column.concatenated(plain.map(dictionaryEncoded))
        #expect(Self.rows(encoded) == expected)
        // Mixed storage.
        #expect(Self.rows(Column.concatenated([plain[0], dictionaryEncoded(plain[3]), plain[2]])) == Self.strings[0] + Self.strings[3] + Self.strings[2])
    }

    @Test func aSharedDictionaryStaysEncoded() {
        let dictionary = Column(strings: ["x", "y", "zz"])
        func column(_ indices: [Int32], nullAt: Int?) -> Column {
            let validity = nullAt.map { n in Bitmap.buffer(from: indices.indices.map { $0 != n }, count: indices.count) }
            return Column(type: .string, count: indices.count, validity: validity, nullCount: nullAt == nil ? 0 : 1,
                          storage: .dictionary(indices: Buffer(copying: indices), dictionary: dictionary))
        }
        let joined = Column.concatenated([column([0, 2, 1], nullAt: 1), column([2, 2], nullAt: nil), column([1], nullAt: 0)])
        guard case .dictionary(_, let kept) = joined.storage else {
            Issue.record("the shared dictionary was decoded")
            return
        }
        #expect(kept.count == 3)
        #expect(Self.rows(joined) == ["x", nil, "y", "zz", "zz", nil])
        #expect(joined.nullCount == 2)
    }

    @Test func fixedWidthAndBooleans() {
        let numbers: [[Int64?]] = [[1, nil, 3], [], [Int64.min, 5]]
        let joined = Column.concatenated(numbers.map { Column(.int64, $0) })
        #expect((0..<joined.count).map { joined.isNull($0) ? nil : joined.fixedWidthValue(at: $0, as: Int64.self) } == numbers.flatMap { $0 })
        let flags: [[Bool?]] = [[true, false, nil], Array(repeating: true, count: 70), [false, nil, true]]
        let bools = Column.concatenated(flags.map { Column(booleans: $0) })
        #expect((0..<bools.count).map { bools.isNull($0) ? nil : bools.booleanValue(at: $0) } == flags.flatMap { $0 })
        #expect(bools.nullCount == 2)
    }

    @Test func columnsWithoutNullsHaveNoValidity() {
        let joined = Column.concatenated([Column(strings: ["a", "b"]), Column(strings: ["c"])])
        #expect(joined.validity == nil && joined.nullCount == 0)
        #expect(Self.rows(joined) == ["a", "b", "c"])
    }

    /// Columns with their own dictionaries are decoded while copying; a NULL row's index is not
    /// followed (999 would be out of range), and a dictionary with a NULL entry is decoded first.
    @Test func ownDictionariesAreDecoded() {
        func encoded(_ type: DataType, _ dictionary: Column, _ indices: [Int32], nullAt: Int?) -> Column {
            let validity = nullAt.map { n in Bitmap.buffer(from: indices.indices.map { $0 != n }, count: indices.count) }
            return Column(type: type, count: indices.count, validity: validity, nullCount: nullAt == nil ? 0 : 1,
                          storage: .dictionary(indices: Buffer(copying: indices), dictionary: dictionary))
        }
        let decimal = DataType.decimal(precision: 12, scale: 2)
        let prices = Column.concatenated([
            encoded(decimal, Column(decimal, [Int128(150), -5]), [1, 999, 0], nullAt: 1),
            Column(decimal, [Int128(7), nil]),
            encoded(decimal, Column(decimal, [Int128(42)]), [0, 0], nullAt: nil),
        ])
        #expect((0..<prices.count).map { prices.isNull($0) ? nil : prices.fixedWidthValue(at: $0, as: Int128.self) } == [-5, nil, 150, 7, nil, 42, 42])
        let names = Column.concatenated([
            encoded(.string, Column(strings: ["alpha", "", "a string of more than sixteen bytes"]), [2, 0, 999, 1], nullAt: 2),
            Column(strings: ["plain", nil]),
            encoded(.string, Column(strings: ["x", nil]), [0, 1], nullAt: nil),
        ])
        #expect(Self.rows(names) == ["a string of more than sixteen bytes", "alpha", nil, "", "plain", nil, "x", nil])
        #expect(names.nullCount == 3)
    }
}

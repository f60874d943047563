import Columnar
import Testing
@testable import Execution

/// Join keys as 64-bit words: by definition each value sign-extended (signed types, dates, times,
/// timestamps) or zero-extended (unsigned types) to 64 bits, whatever the column's width or
/// storage; which rows have a NULL key comes from `present`.
struct JoinKeyWordsTests {
    static func words(_ column: Column, stride: Int = 1, offset: Int = 0) throws -> [UInt64] {
        var words = [UInt64](repeating: 0xDEAD, count: column.count * stride)
        try words.withUnsafeMutableBufferPointer { try JoinKeyWords.load(JoinKeyWords.resolved(column), into: $0.baseAddress!, stride: stride, offset: offset) }
        return words
    }

    @Test func integersOfEveryWidthAreTheirValue() throws {
        #expect(try Self.words(Column(.int8, [Int8(-1), 5, Int8.min])) == [UInt64.max, 5, UInt64(bitPattern: -128)])
        #expect(try Self.words(Column(.int16, [Int16(-2), Int16.max])) == [UInt64.max - 1, 32767])
        #expect(try Self.words(Column(.int32, [Int32(-3), Int32.min])) == [UInt64.max - 2, UInt64(bitPattern: Int64(Int32.min))])
        #expect(try Self.words(Column(.int64, [Int64.min, Int64.max])) == [1 << 63, (1 << 63) - 1])
        #expect(try Self.words(Column(.uint8, [UInt8(255)])) == [255])
        #expect(try Self.words(Column(.uint32, [UInt32.max])) == [UInt64(UInt32.max)])
        #expect(try Self.words(Column(.uint64, [UInt64.max])) == [UInt64.max])
        // 1970-01-01 minus one day; timestamps as their count of units.
        #expect(try Self.words(Column(.date32, [Int32(-1), 19_723])) == [UInt64.max, 19_723])
        #expect(try Self.words(Column(.timestamp(.microseconds, isAdjustedToUTC: false), [Int64(-5)])) == [UInt64.max - 4])
        // Equal values of different widths meet.
        #expect(try Self.words(Column(.int8, [Int8(-7)])) == Self.words(Column(.int64, [Int64(-7)])))
    }

    /// A plain 64-bit column's words are read in place: the same words `load` writes (NULL rows
    /// aside, which `present` leaves out); other widths and dictionaries are loaded.
    @Test func sixtyFourBitColumnsAreTheirOwnWords() throws {
        let columns = [Column(.int64, [Int64.min, -1, 0, 7, nil, Int64.max]),
                       Column(.timestamp(.microseconds, isAdjustedToUTC: true), [Int64(-5), 1_700_000_000_000_000]),
                       Column(.uint64, [UInt64.max, 3])]
        for column in columns {
            let direct = try #require(JoinKeyWords.direct(column, rowCount: column.count))
            let loaded = try Self.words(column)
            let present = JoinKeyWords.present([column], rowCount: column.count)
            for row in 0..<column.count where present.map({ $0[row >> 6] >> UInt64(row & 63) & 1 == 1 }) ?? true {
                #expect(direct[row] == loaded[row], "\(column.type) row \(row)")
            }
        }
        #expect(JoinKeyWords.direct(Column(.int32, [Int32(1)]), rowCount: 1) == nil)
        #expect(JoinKeyWords.direct(Column(dictionary: Column(.int64, [Int64(9)]), indices: [Int32(0)]), rowCount: 1) == nil)
        #expect(JoinKeyWords.direct(Column(.int64, [Int64(1), 2]), rowCount: 3) == nil)
    }

    @Test func onlyIntegerLikeTypesAreWords() {
        for type: DataType in [.int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .date32,
                               .time(.milliseconds, isAdjustedToUTC: false), .timestamp(.nanoseconds, isAdjustedToUTC: true)] {
            #expect(JoinKeyWords.holds(type), "\(type)")
        }
        for type: DataType in [.boolean, .float32, .float64, .decimal(precision: 10, scale: 2), .string, .binary, .fixedSizeBinary(8)] {
            #expect(!JoinKeyWords.holds(type), "\(type)")
        }
        #expect(throws: ExecutionError.self) { try Self.words(Column(.float64, [1.5])) }
    }

    @Test func strideAndOffsetInterleaveTheKeysOfARow() throws {
        var words = [UInt64](repeating: 0, count: 6)
        try words.withUnsafeMutableBufferPointer { buffer in
            try JoinKeyWords.load(Column(.int32, [Int32(1), 2, 3]), into: buffer.baseAddress!, stride: 2, offset: 0)
            try JoinKeyWords.load(Column(.int64, [Int64(10), 20, 30]), into: buffer.baseAddress!, stride: 2, offset: 1)
        }
        #expect(words == [1, 10, 2, 20, 3, 30])
    }

    @Test func dictionaryEncodedKeysGiveThePlainWordsAndNulls() throws {
        let values: [Int64?] = (0..<300).map { $0 % 7 == 0 ? nil : Int64($0 % 11) - 5 }
        let plain = Column(.int64, values)
        let encoded = dictionaryEncoded(plain)
        let present = JoinKeyWords.present([JoinKeyWords.resolved(encoded)], rowCount: 300)!
        let plainWords = try Self.words(plain)
        let encodedWords = try Self.words(encoded)
        for row in 0..<300 {
            let isPresent = present[row >> 6] & (1 << UInt64(row & 63)) != 0
            #expect(isPresent == (values[row] != nil), "row \(row)")
            if let value = values[row] {
                #expect(plainWords[row] == UInt64(bitPattern: value) && encodedWords[row] == plainWords[row], "row \(row)")
            }
        }
    }

    /// A dictionary entry that is NULL makes its rows NULL keys, though the rows' own validity
    /// says nothing.
    @Test func aNullDictionaryEntryIsANullKey() {
        let dictionary = Column(.int32, [Int32(4), nil, 6])
        let column = Column(type: .int32, count: 4, validity: nil,
                            storage: .dictionary(indices: Buffer(copying: [Int32(0), 1, 2, 1]), dictionary: dictionary))
        #expect(JoinKeyWords.present([column], rowCount: 4) == nil)
        let present = JoinKeyWords.present([JoinKeyWords.resolved(column)], rowCount: 4)
        // Bits past the rows are not looked at.
        #expect(present.map { $0.map { $0 & 0b1111 } } == [0b0101])
    }

    @Test func presentIsTheRowsWithoutANullInAnyKey() {
        let rows = 130
        let a = Column(.int32, (0..<rows).map { $0 % 5 == 0 ? nil : Int32($0) })
        let b = Column(.int64, (0..<rows).map { $0 % 3 == 0 ? nil : Int64($0) })
        let noNulls = Column(.int32, (0..<rows).map { Int32($0) })
        #expect(JoinKeyWords.present([noNulls], rowCount: rows) == nil)
        let present = JoinKeyWords.present([a, noNulls, b], rowCount: rows)!
        #expect(present.count == 3)
        for row in 0..<rows {
            #expect((present[row >> 6] & (1 << UInt64(row & 63)) != 0) == (row % 5 != 0 && row % 3 != 0), "row \(row)")
        }
    }
}

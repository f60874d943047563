import Columnar
import Query
import Testing
@testable import Execution

/// CAST. Expected values come from the Java calls Spark makes (small programs run with `java File.java` on OpenJDK 17):
/// Double.toString / Float.toString / BigDecimal.toString for text, `new BigDecimal(
/// Double.toString(x)).setScale(s, HALF_UP)` for double → decimal, BigDecimal.doubleValue,
/// Double.parseDouble and `new BigDecimal(text)`; from Spark's UTF8String.toLong (the integer
/// parser that truncates a fraction), stringToDate/stringToTimestamp and StringUtils'
/// true/false strings; and from DuckDB for timestamp text and epoch values.
struct CastKernelTests {
    typealias S = ExpressionTestSupport

    static func cast(_ column: Column, _ type: DataType) throws -> Column {
        try S.evaluate(.cast(.col("x"), type), [("x", column)])
    }

    // java: Double.toString(…)
    @Test func doublesToText() throws {
        let values: [Double?] = [1.0, 1.0e20, 0.1, 1.0e-4, 0.001, 123456.789, 1.0e7, 9999999.0, -0.0, .nan, .infinity, -.infinity,
                                 1.7976931348623157e308, 100.0, -2.5e-5, 3.0e10, 1.2345678901234568e-300, nil]
        let expected: [String?] = ["1.0", "1.0E20", "0.1", "1.0E-4", "0.001", "123456.789", "1.0E7", "9999999.0", "-0.0", "NaN", "Infinity",
                                   "-Infinity", "1.7976931348623157E308", "100.0", "-2.5E-5", "3.0E10", "1.2345678901234568E-300", nil]
        #expect(S.strings(try Self.cast(Column(.float64, values), .string)) == expected)
        // java: Float.toString(…)
        let floats: [Float?] = [1.1, 1.0e10, 0.1, 3.4028235e38, -0.001, 16777216, 1.0e-5]
        #expect(S.strings(try Self.cast(Column(.float32, floats), .string)) == ["1.1", "1.0E10", "0.1", "3.4028235E38", "-0.001", "1.6777216E7", "1.0E-5"])
    }

    // java: new BigDecimal(unscaled, scale).toString()
    @Test func decimalsToText() throws {
        func text(_ unscaled: Int128, _ p: Int, _ s: Int) throws -> String? {
            S.strings(try Self.cast(S.decimals([unscaled], precision: p, scale: s), .string))[0]
        }
        #expect(try text(1230, 10, 2) == "12.30")
        #expect(try text(0, 20, 10) == "0E-10")
        #expect(try text(1234, 20, 10) == "1.234E-7")
        #expect(try text(-5, 5, 2) == "-0.05")
        #expect(try text(Int128("12345678901234567890123456789012345678")!, 38, 0) == "12345678901234567890123456789012345678")
        #expect(try text(-1, 38, 38) == "-1E-38")
        #expect(try text(5, 10, 7) == "5E-7")
        #expect(try text(5, 10, 6) == "0.000005")
    }

    // DuckDB: cast(timestamp … as varchar) (Spark's formatter also drops trailing fraction zeros).
    @Test func integersBooleansDatesAndTimestampsToText() throws {
        #expect(S.strings(try Self.cast(Column(.int64, [0, -9223372036854775808, 42, nil] as [Int64?]), .string)) == ["0", "-9223372036854775808", "42", nil])
        #expect(S.strings(try Self.cast(Column(.int8, [-128, 127] as [Int8?]), .string)) == ["-128", "127"])
        #expect(S.strings(try Self.cast(Column(booleans: [true, false, nil]), .string)) == ["true", "false", nil])
        #expect(S.strings(try Self.cast(S.dates([S.day("2024-02-29"), S.day("0001-01-01"), S.day("1969-12-31")]), .string)) == ["2024-02-29", "0001-01-01", "1969-12-31"])
        let times = S.timestamps(["2024-02-29 13:45:30.123456", "2023-03-05 00:00:00.5", "1969-12-31 23:59:59.999", "1900-01-01 00:00:00"].map { S.micros($0) })
        #expect(S.strings(try Self.cast(times, .string)) == ["2024-02-29 13:45:30.123456", "2023-03-05 00:00:00.5", "1969-12-31 23:59:59.999", "1900-01-01 00:00:00"])
    }

    @Test func integerWidths() throws {
        #expect(S.fixed(try Self.cast(Column(.int32, [127, -128, nil] as [Int32?]), .int8), as: Int8.self) == [127, -128, nil])
        #expect(throws: ExecutionError.self) { try Self.cast(Column(.int32, [300] as [Int32?]), .int8) }
        #expect(throws: ExecutionError.self) { try Self.cast(Column(.int64, [2_147_483_648] as [Int64?]), .int32) }
        #expect(throws: ExecutionError.self) { try Self.cast(Column(.int32, [-1] as [Int32?]), .uint32) }
        #expect(S.longs(try Self.cast(Column(.uint32, [4_294_967_295] as [UInt32?]), .int64)) == [4_294_967_295])
        #expect(S.doubles(try Self.cast(Column(.int64, [9_007_199_254_740_993] as [Int64?]), .float64)) == [9_007_199_254_740_992])
        // An out-of-range value in a NULL row is not an error.
        let masked = Column(type: .int32, count: 2, validity: Bitmap.buffer(from: [false, true], count: 2),
                            storage: .fixedWidth(Buffer(copying: [Int32(1000), Int32(5)])))
        #expect(S.fixed(try Self.cast(masked, .int8), as: Int8.self) == [nil, 5])
    }

    @Test func doublesToIntegersTruncateAndCheckTheRange() throws {
        #expect(S.ints(try Self.cast(Column(.float64, [2147483647.9, -1.9, 0.5, nil] as [Double?]), .int32)) == [2147483647, -1, 0, nil])
        #expect(throws: ExecutionError.self) { try Self.cast(Column(.float64, [2147483648.0] as [Double?]), .int32) }
        #expect(throws: ExecutionError.self) { try Self.cast(Column(.float64, [.nan] as [Double?]), .int64) }
        #expect(throws: ExecutionError.self) { try Self.cast(Column(.float32, [.infinity] as [Float?]), .int16) }
    }

    // java: new BigDecimal(Double.toString(x)).setScale(2, HALF_UP), NULL beyond DECIMAL(10,2)
    // (Spark's non-ANSI Cast: a value that does not fit a DECIMAL, or NaN, is NULL).
    @Test func doublesToDecimalsRoundTheirShortestText() throws {
        let values: [Double?] = [2.675, 0.125, -0.125, 1.005, 123.456, 0.1 + 0.2, -2.5e-3, nil]
        #expect(S.decimalTexts(try Self.cast(Column(.float64, values), .decimal(precision: 10, scale: 2)))
            == ["2.68", "0.13", "-0.13", "1.01", "123.46", "0.30", "0.00", nil])
        #expect(S.decimalTexts(try Self.cast(Column(.float64, [1e8, 99999999.995, .nan, 1.5] as [Double?]), .decimal(precision: 10, scale: 2)))
            == [nil, nil, nil, "1.50"])
    }

    // java: new BigDecimal(unscaled, scale).doubleValue() → 0.1, 1.23456789012345677E18, 3.0E-38, -0.007, 9.007199254740992E15
    @Test func decimalsToDoubles() throws {
        func double(_ unscaled: Int128, _ p: Int, _ s: Int) throws -> Double? {
            S.doubles(try Self.cast(S.decimals([unscaled], precision: p, scale: s), .float64))[0]
        }
        #expect(try double(1, 2, 1) == 0.1)
        #expect(try double(Int128("12345678901234567890123456789")!, 38, 10) == 1.23456789012345677e18)
        #expect(try double(3, 38, 38) == 3.0e-38)
        #expect(try double(-7, 5, 3) == -0.007)
        #expect(try double(9_007_199_254_740_993, 20, 0) == 9.007199254740992e15)
    }

    @Test func decimalsToDecimalsAndIntegers() throws {
        let values = S.decimals([12345, -12355, 99995, nil], precision: 10, scale: 2)
        #expect(S.decimalTexts(try Self.cast(values, .decimal(precision: 5, scale: 1))) == ["123.5", "-123.6", "1000.0", nil])
        // 99995 → 1000.0 needs 5 digits: NULL in DECIMAL(4,1) (Spark non-ANSI).
        #expect(S.decimalTexts(try Self.cast(values, .decimal(precision: 4, scale: 1))) == ["123.5", "-123.6", nil, nil])
        #expect(S.decimalTexts(try Self.cast(values, .decimal(precision: 12, scale: 4))) == ["123.4500", "-123.5500", "999.9500", nil])
        #expect(S.ints(try Self.cast(values, .int32)) == [123, -123, 999, nil])
        #expect(throws: ExecutionError.self) { try Self.cast(S.decimals([214_748_364_800], precision: 12, scale: 2), .int32) }
        #expect(S.decimalTexts(try Self.cast(Column(.int32, [99, -7] as [Int32?]), .decimal(precision: 3, scale: 1))) == ["99.0", "-7.0"])
        #expect(S.decimalTexts(try Self.cast(Column(.int32, [100, 1] as [Int32?]), .decimal(precision: 3, scale: 1))) == [nil, "1.0"])
        #expect(S.booleans(try Self.cast(S.decimals([0, 5], precision: 3, scale: 1), .boolean)) == [false, true])
    }

    // Spark UTF8String.toLong / toInt: whitespace trimmed, a fraction truncated, anything else NULL.
    @Test func textToIntegers() throws {
        let text = Column(strings: [" 42 ", "1.9", "-1.9", "+7", ".5", "1.", "abc", "", "-", "1e3", "2147483648", "-2147483648", "1.x", nil])
        #expect(S.ints(try Self.cast(text, .int32)) == [42, 1, -1, 7, 0, 1, nil, nil, nil, nil, nil, -2147483648, nil, nil])
        #expect(S.longs(try Self.cast(Column(strings: ["9223372036854775807", "9223372036854775808", "-9223372036854775808"]), .int64))
            == [9223372036854775807, nil, -9223372036854775808])
        #expect(S.fixed(try Self.cast(Column(strings: ["127", "128", "-128"]), .int8), as: Int8.self) == [127, nil, -128])
    }

    // java: Double.parseDouble(s.trim()) → 1.5, 1000.0, -0.5, 5.0, 1.5, 2.0, NaN, -Infinity;
    // "inf" by Spark's special literals; "abc", "", "1e", "1_000" → NULL.
    @Test func textToDoubles() throws {
        let text = Column(strings: [" 1.5 ", "1e3", "-.5", "5.", "1.5d", "2F", "NaN", "-Infinity", "inf", "abc", "", "1e", "1_000", "  +7  ", nil])
        let result = S.doubles(try Self.cast(text, .float64))
        #expect(result.map { $0.map { $0.isNaN ? "NaN" : "\($0)" } } == ["1.5", "1000.0", "-0.5", "5.0", "1.5", "2.0", "NaN", "-inf", "inf", nil, nil, nil, nil, "7.0", nil])
        #expect(S.fixed(try Self.cast(Column(strings: ["0.1", "x"]), .float32), as: Float.self) == [Float(0.1), nil])
    }

    // java: new BigDecimal(s.trim()).setScale(2, HALF_UP), NULL beyond DECIMAL(5,2) or not a number.
    @Test func textToDecimals() throws {
        let text = Column(strings: ["1.005", " -2.5 ", "1e2", "999.995", "1000", ".5", "abc", "12.3e-1", "+0.001", nil])
        #expect(S.decimalTexts(try Self.cast(text, .decimal(precision: 5, scale: 2))) == ["1.01", "-2.50", "100.00", nil, nil, "0.50", nil, "1.23", "0.00", nil])
    }

    // Spark StringUtils: t/true/y/yes/1 and f/false/n/no/0, trimmed, any case.
    @Test func textToBooleans() throws {
        let text = Column(strings: ["true", " YES ", "t", "1", "y", "False", "no", "N", "0", "f", "maybe", "", "truee", nil])
        #expect(S.booleans(try Self.cast(text, .boolean)) == [true, true, true, true, true, false, false, false, false, false, nil, nil, nil, nil])
        #expect(S.booleans(try Self.cast(Column(.int32, [0, 3, nil] as [Int32?]), .boolean)) == [false, true, nil])
        #expect(S.ints(try Self.cast(Column(booleans: [true, false, nil]), .int32)) == [1, 0, nil])
        #expect(S.decimalTexts(try Self.cast(Column(booleans: [true, false]), .decimal(precision: 5, scale: 2))) == ["1.00", "0.00"])
    }

    // Spark stringToDate: [+-]yyyy[y..] (4 to 7 digits), yyyy-[m]m, yyyy-[m]m-[d]d, then T or space and anything.
    @Test func textToDates() throws {
        let text = Column(strings: ["2024-01-31", " 2024-1-5 ", "2024", "2024-02", "2024-02-30", "2023-02-29", "2024-02-29",
                                    "2024-01-31T10:00", "2024-01-31 anything", "24-01-01", "2024/01/31", "", "-0044-03-15", "2024-02 x", nil])
        let expected: [Int32?] = [S.day("2024-01-31"), S.day("2024-01-05"), S.day("2024-01-01"), S.day("2024-02-01"), nil, nil,
                                  S.day("2024-02-29"), S.day("2024-01-31"), S.day("2024-01-31"), nil, nil, nil, S.day("-0044-03-15"), nil, nil]
        #expect(S.ints(try Self.cast(text, .date32)) == expected)
    }

    // DuckDB epoch_us of the same instants: 1706704496789000, 1706704496000000, 1706704440000000,
    // 1706659200000000, 1706704496123456, 1706697296000000 (12:34:56+02:00), 1704423845000000.
    @Test func textToTimestamps() throws {
        let text = Column(strings: ["2024-01-31 12:34:56.789", "2024-01-31T12:34:56Z", "2024-01-31 12:34", "2024-01-31",
                                    "2024-01-31 12:34:56.1234567", "2024-01-31 12:34:56+02:00", "2024-1-5 3:4:5",
                                    "2024-01-31 25:00:00", "2024-01-31 12:34:56 junk", nil])
        let instants = try Self.cast(text, .timestamp(.microseconds, isAdjustedToUTC: true))
        #expect(S.longs(instants) == [1706704496789000, 1706704496000000, 1706704440000000, 1706659200000000, 1706704496123456,
                                      1706697296000000, 1704423845000000, nil, nil, nil])
        // A local date-time ignores the zone.
        let local = try Self.cast(Column(strings: ["2024-01-31 12:34:56+02:00"]), .timestamp(.microseconds, isAdjustedToUTC: false))
        #expect(S.longs(local) == [1706704496000000])
        let millis = try Self.cast(Column(strings: ["2024-01-31 12:34:56.789"]), .timestamp(.milliseconds, isAdjustedToUTC: false))
        #expect(S.longs(millis) == [1706704496789])
    }

    @Test func datesAndTimestamps() throws {
        let days = S.dates([S.day("2024-01-31"), S.day("1969-12-31"), nil])
        #expect(S.longs(try Self.cast(days, .timestamp(.microseconds, isAdjustedToUTC: false))) == [1706659200000000, -86400000000, nil])
        let times = S.timestamps([S.micros("2024-01-31 12:34:56"), S.micros("1969-12-31 23:59:59.999999")])
        #expect(S.ints(try Self.cast(times, .date32)) == [S.day("2024-01-31"), S.day("1969-12-31")])
        #expect(S.longs(try Self.cast(times, .timestamp(.milliseconds, isAdjustedToUTC: false))) == [1706704496000, -1])
        #expect(S.longs(try Self.cast(Column(.timestamp(.milliseconds, isAdjustedToUTC: false), [5] as [Int64?]), .timestamp(.nanoseconds, isAdjustedToUTC: false))) == [5_000_000])
    }

    @Test func dictionaryTextIsParsedOncePerEntry() throws {
        let column = S.dictionaryStrings(["10", "x", "30"], indices: [2, 0, 1, nil, 2])
        #expect(S.ints(try Self.cast(column, .int32)) == [30, 10, nil, nil, 30])
    }
}

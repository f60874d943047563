import Testing
@testable import CSV

@Suite struct ValueParsersTests {
    @Test(arguments: [
        ("0", Int64(0)), ("-1", -1), ("+42", 42), ("007", 7),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
    ])
    func integers(text: String, expected: Int64) {
        #expect(text.withBytes(ValueParsers.int64) == expected)
    }

    @Test(arguments: ["", "-", "+", "1.0", "1e3", " 1", "1 ", "9223372036854775808", "-9223372036854775809", "0x10", "١٢"])
    func notIntegers(text: String) {
        #expect(text.withBytes(ValueParsers.int64) == nil)
    }

    /// Expected values: Python `float(text)` (correctly rounded, as strtod).
    @Test(arguments: [
        ("0.1", 0.1), ("1.5", 1.5), ("-0.0", -0.0), ("21168.23", 21168.23), (".5", 0.5), ("5.", 5.0),
        ("1e3", 1000.0), ("1E-3", 0.001), ("1.7976931348623157e308", 1.7976931348623157e308),
        ("2.2250738585072014e-308", 2.2250738585072014e-308), ("123456789012345678", 1.2345678901234568e+17),
        ("9007199254740993", 9007199254740992.0), ("0.30000000000000004", 0.30000000000000004),
        ("5e-324", 5e-324), ("2.5e-320", 2.5e-320),
    ])
    func doubles(text: String, expected: Double) {
        let value = text.withBytes(ValueParsers.double)
        #expect(value == expected)
        #expect(value?.sign == expected.sign)
    }

    @Test func specialDoubles() {
        #expect("nan".withBytes(ValueParsers.double)?.isNaN == true)
        #expect("NaN".withBytes(ValueParsers.double)?.isNaN == true)
        #expect("-inf".withBytes(ValueParsers.double) == -.infinity)
        #expect("Infinity".withBytes(ValueParsers.double) == .infinity)
    }

    @Test(arguments: ["", "e3", "1e", "1.2.3", "1,5", "--1", "1e309", "1e-400", "abc", "infinit"])
    func notDoubles(text: String) {
        #expect(text.withBytes(ValueParsers.double) == nil)
    }

    @Test func booleans() {
        #expect("true".withBytes(ValueParsers.boolean) == true)
        #expect("FALSE".withBytes(ValueParsers.boolean) == false)
        #expect("True".withBytes(ValueParsers.boolean) == true)
        #expect("yes".withBytes(ValueParsers.boolean) == nil)
        #expect("1".withBytes(ValueParsers.boolean) == nil)
        #expect("truth".withBytes(ValueParsers.boolean) == nil)
    }

    /// Expected days: Python `(date.fromisoformat(s) - date(1970, 1, 1)).days`.
    @Test(arguments: [
        ("2024-01-31", Int32(19753)), ("1970-01-01", 0), ("1969-12-31", -1), ("0001-01-01", -719162),
        ("9999-12-31", 2932896), ("2000-02-29", 11016),
    ])
    func dates(text: String, days: Int32) {
        #expect(text.withBytes(ValueParsers.date) == days)
    }

    @Test(arguments: ["2023-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "24-01-01", "2024/01/01", "2024-01-32"])
    func notDates(text: String) {
        #expect(text.withBytes(ValueParsers.date) == nil)
    }

    /// Expected microseconds: Python `(datetime.fromisoformat(s) - epoch) // timedelta(microseconds=1)`.
    @Test(arguments: [
        ("2024-01-31T12:00:00.123456+02:00", Int64(1_706_695_200_123_456), true),
        ("2024-01-31 12:00:00Z", 1_706_702_400_000_000, true),
        ("1969-12-31T23:59:59.999999Z", -1, true),
        ("2024-01-31T12:00", 1_706_702_400_000_000, false),
        ("2024-01-31 12:00:00.5", 1_706_702_400_500_000, false),
    ])
    func timestamps(text: String, micros: Int64, zoned: Bool) {
        let parsed = text.withBytes(ValueParsers.timestamp)
        #expect(parsed?.value(nanosecondUnit: false) == micros)
        #expect(parsed?.hasZone == zoned)
    }

    @Test(arguments: ["2024-01-31T25:00:00", "2024-01-31T12", "2024-01-31T12:00:00.", "2024-01-31T12:00:00.1234567890",
                      "2024-01-31T12:00:00+2", "2024-01-31X12:00:00"])
    func notTimestamps(text: String) {
        #expect(text.withBytes(ValueParsers.timestamp) == nil)
    }
}

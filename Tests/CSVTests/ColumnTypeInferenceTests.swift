import Testing
@testable import CSV

/// The inference rules of the CSV contract: the narrowest type that keeps every value exactly.
@Suite struct ColumnTypeInferenceTests {
    static func infer(_ values: [String]) -> CSVColumnType {
        var inference = ColumnTypeInference()
        for value in values { value.withBytes { inference.add($0) } }
        return inference.type
    }

    @Test(arguments: [
        (["1", "2", "-3"], CSVColumnType.int32),
        (["1", "2147483648"], .int64),
        (["1", "2.5"], .double),
        (["1", "1e3"], .double),
        (["true", "False"], .boolean),
        (["true", "1"], .string),
        (["2024-01-01", "2024-02-29"], .date),
        (["2024-01-01", "2024-01-01 10:00:00"], .timestamp(nanoseconds: false, utc: false)),
        (["2024-01-01T10:00:00Z", "2024-01-01T10:00:00+01:00"], .timestamp(nanoseconds: false, utc: true)),
        (["2024-01-01T10:00:00Z", "2024-01-01T10:00:00"], .string),
        (["2024-01-01T10:00:00.123456789"], .timestamp(nanoseconds: true, utc: false)),
        (["2024-01-01", "5"], .string),
        (["abc", "1"], .string),
        // Integers a double cannot hold exactly never become DOUBLE.
        (["9007199254740993", "1.5"], .string),
        (["9007199254740992", "1.5"], .double),
        (["9223372036854775809"], .string),
        (["9223372036854775808"], .double),  // 2^63: exact as a double
        (["100000000000000000000"], .double),
        ([], .unknown),
    ])
    func rules(values: [String], expected: CSVColumnType) {
        #expect(Self.infer(values) == expected)
    }

    @Test func wideningStartsFromTheCurrentType() {
        var inference = ColumnTypeInference(startingFrom: .int32)
        "3000000000".withBytes { inference.add($0) }
        #expect(inference.type == .int64)
        "x".withBytes { inference.add($0) }
        #expect(inference.type == .string)
    }
}

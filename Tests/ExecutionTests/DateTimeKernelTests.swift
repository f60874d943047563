import Columnar
import Query
import Testing
@testable import Execution

/// Date and timestamp functions. Expected values: DuckDB (python `duckdb`), proleptic Gregorian
/// like Spark 3; timestamps as `epoch_us(…)`. Month arithmetic clamps the day of month
/// (java.time's plusMonths, which Spark uses; DuckDB agrees).
struct DateTimeKernelTests {
    typealias S = ExpressionTestSupport

    static let dateTexts = ["1970-01-01", "1969-12-31", "1900-02-28", "2000-02-29", "2024-12-31", "0001-01-01",
                            "1582-10-15", "1998-09-02", "2023-03-05", "9999-12-31", "-0044-03-15"]

    static func dateColumn() -> [(String, Column)] {
        [("d", S.dates(dateTexts.map { S.day($0) } + [nil]))]
    }

    // duckdb: select year(d), month(d), day(d), quarter(d), d - date '1970-01-01' from (values ...) v(d)
    @Test func datePartsBeforeAndAfterTheEpoch() throws {
        let columns = Self.dateColumn()
        #expect(S.ints(columns[0].1) == [0, -1, -25509, 11016, 20088, -719162, -141427, 10471, 19421, 2932896, -735525, nil])
        #expect(S.ints(try S.evaluate(.call("year", .col("d")), columns)) == [1970, 1969, 1900, 2000, 2024, 1, 1582, 1998, 2023, 9999, -44, nil])
        #expect(S.ints(try S.evaluate(.call("month", .col("d")), columns)) == [1, 12, 2, 2, 12, 1, 10, 9, 3, 12, 3, nil])
        #expect(S.ints(try S.evaluate(.call("day", .col("d")), columns)) == [1, 31, 28, 29, 31, 1, 15, 2, 5, 31, 15, nil])
        #expect(S.ints(try S.evaluate(.call("dayofmonth", .col("d")), columns)) == [1, 31, 28, 29, 31, 1, 15, 2, 5, 31, 15, nil])
        #expect(S.ints(try S.evaluate(.call("quarter", .col("d")), columns)) == [1, 4, 1, 1, 4, 1, 4, 3, 1, 4, 1, nil])
    }

    // duckdb: date_trunc('year' | 'quarter' | 'month' | 'week', d)::date
    @Test func truncOfDates() throws {
        let columns = Self.dateColumn()
        let years = ["1970-01-01", "1969-01-01", "1900-01-01", "2000-01-01", "2024-01-01", "0001-01-01", "1582-01-01", "1998-01-01", "2023-01-01", "9999-01-01", "-0044-01-01"]
        let quarters = ["1970-01-01", "1969-10-01", "1900-01-01", "2000-01-01", "2024-10-01", "0001-01-01", "1582-10-01", "1998-07-01", "2023-01-01", "9999-10-01", "-0044-01-01"]
        let months = ["1970-01-01", "1969-12-01", "1900-02-01", "2000-02-01", "2024-12-01", "0001-01-01", "1582-10-01", "1998-09-01", "2023-03-01", "9999-12-01", "-0044-03-01"]
        let weeks = ["1969-12-29", "1969-12-29", "1900-02-26", "2000-02-28", "2024-12-30", "0001-01-01", "1582-10-11", "1998-08-31", "2023-02-27", "9999-12-27", "-0044-03-12"]
        for (format, expected) in [("YEAR", years), ("yy", years), ("QUARTER", quarters), ("month", months), ("MON", months), ("WEEK", weeks)] {
            #expect(S.ints(try S.evaluate(.call("trunc", .col("d"), .lit(format)), columns)) == expected.map { S.day($0) } + [nil], "\(format)")
        }
    }

    static let timestampTexts = ["1970-01-01 00:00:00", "1969-12-31 23:59:59.999999", "2024-02-29 13:45:30.123456",
                                 "1900-01-01 12:00:00", "2023-03-05 00:00:00.5"]

    // duckdb: select epoch_us(date_trunc(unit, t)) from (values ('1970-01-01 00:00:00'::timestamp), ...) v(t)
    @Test(arguments: [
        ("YEAR", [0, -31536000000000, 1704067200000000, -2208988800000000, 1672531200000000] as [Int64]),
        ("quarter", [0, -7948800000000, 1704067200000000, -2208988800000000, 1672531200000000]),
        ("MM", [0, -2678400000000, 1706745600000000, -2208988800000000, 1677628800000000]),
        ("WEEK", [-259200000000, -259200000000, 1708905600000000, -2208988800000000, 1677456000000000]),
        ("DD", [0, -86400000000, 1709164800000000, -2208988800000000, 1677974400000000]),
        ("HOUR", [0, -3600000000, 1709211600000000, -2208945600000000, 1677974400000000]),
        ("minute", [0, -60000000, 1709214300000000, -2208945600000000, 1677974400000000]),
        ("SECOND", [0, -1000000, 1709214330000000, -2208945600000000, 1677974400000000]),
        ("MILLISECOND", [0, -1000, 1709214330123000, -2208945600000000, 1677974400500000]),
    ])
    func dateTrunc(unit: String, expected: [Int64]) throws {
        let columns = [("t", S.timestamps(Self.timestampTexts.map { S.micros($0) } + [nil]))]
        #expect(S.longs(columns[0].1) == [0, -1, 1709214330123456, -2208945600000000, 1677974400500000, nil])
        let result = try S.evaluate(.call("date_trunc", .lit(unit), .col("t")), columns)
        #expect(result.type == .timestamp(.microseconds, isAdjustedToUTC: false))
        #expect(S.longs(result) == expected + [nil])
        // From milliseconds and nanoseconds, into microseconds.
        let millis = [("t", Column(.timestamp(.milliseconds, isAdjustedToUTC: true), [-1, 1709214330123] as [Int64?]))]
        let fromMillis = try S.evaluate(.call("date_trunc", .lit(unit), .col("t")), millis)
        #expect(fromMillis.type == .timestamp(.microseconds, isAdjustedToUTC: true))
        if unit == "SECOND" { #expect(S.longs(fromMillis) == [-1_000_000, 1709214330000000]) }
    }

    // duckdb: select year(t), month(t), day(t), quarter(t) from (values ...) v(t)
    @Test func timestampParts() throws {
        let columns = [("t", S.timestamps(Self.timestampTexts.map { S.micros($0) }))]
        #expect(S.ints(try S.evaluate(.call("year", .col("t")), columns)) == [1970, 1969, 2024, 1900, 2023])
        #expect(S.ints(try S.evaluate(.call("month", .col("t")), columns)) == [1, 12, 2, 1, 3])
        #expect(S.ints(try S.evaluate(.call("day", .col("t")), columns)) == [1, 31, 29, 1, 5])
        #expect(S.ints(try S.evaluate(.call("quarter", .col("t")), columns)) == [1, 4, 1, 1, 1])
    }

    @Test func invalidUnitsAreErrors() throws {
        let columns = [("t", S.timestamps([0])), ("d", S.dates([0]))]
        #expect(throws: ExecutionError.self) { try S.evaluate(.call("date_trunc", .lit("fortnight"), .col("t")), columns) }
        #expect(throws: ExecutionError.self) { try S.evaluate(.call("trunc", .col("d"), .lit("DAY")), columns) }
        #expect(S.longs(try S.evaluate(.call("date_trunc", .null(.string), .col("t")), columns)) == [nil])
    }

    // duckdb: select d + interval 1 month, d - interval 1 month, d + interval 13 month, d + interval 10 day,
    //   d - interval 1 year from (values ...) v(d)
    @Test func dateIntervalArithmetic() throws {
        let columns = Self.dateColumn()
        func run(_ op: BinaryOperator, _ interval: ScalarValue) throws -> [Int32?] {
            S.ints(try S.evaluate(.binary(.col("d"), op, .literal(interval)), columns))
        }
        let plusMonth = ["1970-02-01", "1970-01-31", "1900-03-28", "2000-03-29", "2025-01-31", "0001-02-01", "1582-11-15", "1998-10-02", "2023-04-05", "+10000-01-31", "-0044-04-15"]
        let minusMonth = ["1969-12-01", "1969-11-30", "1900-01-28", "2000-01-29", "2024-11-30", "0000-12-01", "1582-09-15", "1998-08-02", "2023-02-05", "9999-11-30", "-0044-02-15"]
        let plus13Months = ["1971-02-01", "1971-01-31", "1901-03-28", "2001-03-29", "2026-01-31", "0002-02-01", "1583-11-15", "1999-10-02", "2024-04-05", "+10001-01-31", "-0043-04-15"]
        let plus10Days = ["1970-01-11", "1970-01-10", "1900-03-10", "2000-03-10", "2025-01-10", "0001-01-11", "1582-10-25", "1998-09-12", "2023-03-15", "+10000-01-10", "-0044-03-25"]
        let minusYear = ["1969-01-01", "1968-12-31", "1899-02-28", "1999-02-28", "2023-12-31", "0000-01-01", "1581-10-15", "1997-09-02", "2022-03-05", "9998-12-31", "-0045-03-15"]
        func days(_ texts: [String]) -> [Int32?] { texts.map { S.day($0.hasPrefix("+") ? String($0.dropFirst()) : $0) } + [nil] }
        #expect(try run(.add, .interval(months: 1)) == days(plusMonth))
        #expect(try run(.subtract, .interval(months: 1)) == days(minusMonth))
        #expect(try run(.add, .interval(months: 13)) == days(plus13Months))
        #expect(try run(.add, .interval(days: 10)) == days(plus10Days))
        #expect(try run(.subtract, .interval(months: 12)) == days(minusYear))
    }

    // duckdb: (d + interval 1 month)::date for 2024-01-31, 2023-01-31, 2024-03-31, 2024-02-29;
    //   date '2024-03-31' - interval 1 month; date '2024-01-01' + interval 25 hour;
    //   date '2024-01-01' - interval 1 hour; date '2024-02-29' + interval 1 year
    @Test func dayOfMonthIsClampedAndSubDayIntervalsRoundDown() throws {
        let columns = [("d", S.dates(["2024-01-31", "2023-01-31", "2024-03-31", "2024-02-29"].map { S.day($0) }))]
        #expect(S.ints(try S.evaluate(.binary(.col("d"), .add, .literal(.interval(months: 1))), columns))
            == ["2024-02-29", "2023-02-28", "2024-04-30", "2024-03-29"].map { S.day($0) })
        let one = [("d", S.dates([S.day("2024-03-31")]))]
        #expect(S.ints(try S.evaluate(.binary(.col("d"), .subtract, .literal(.interval(months: 1))), one)) == [S.day("2024-02-29")])
        let newYear = [("d", S.dates([S.day("2024-01-01")]))]
        #expect(S.ints(try S.evaluate(.binary(.col("d"), .add, .literal(.interval(microseconds: 25 * 3_600_000_000))), newYear)) == [S.day("2024-01-02")])
        #expect(S.ints(try S.evaluate(.binary(.col("d"), .subtract, .literal(.interval(microseconds: 3_600_000_000))), newYear)) == [S.day("2023-12-31")])
        let leap = [("d", S.dates([S.day("2024-02-29")]))]
        #expect(S.ints(try S.evaluate(.binary(.col("d"), .add, .literal(.interval(months: 12))), leap)) == [S.day("2025-02-28")])
    }

    // duckdb: select epoch_us(t + interval 1 month + interval 2 day + interval 3 hour), epoch_us(t - interval 1 month)
    @Test func timestampIntervalArithmetic() throws {
        let columns = [("t", S.timestamps(Self.timestampTexts.map { S.micros($0) }))]
        let plus = try S.evaluate(.binary(.col("t"), .add, .literal(.interval(months: 1, days: 2, microseconds: 3 * 3_600_000_000))), columns)
        #expect(S.longs(plus) == [2862000000000, 2861999999999, 1711903530123456, -2206083600000000, 1680836400500000])
        let minus = try S.evaluate(.binary(.col("t"), .subtract, .literal(.interval(months: 1))), columns)
        #expect(S.longs(minus) == [-2678400000000, -2678400000001, 1706535930123456, -2211624000000000, 1675555200500000])
    }

    // duckdb: date '2024-02-28' + 2 = 2024-03-01; date '1970-01-01' - 1 = 1969-12-31;
    //   date '2000-03-01' - date '2000-02-01' = 29; date '1900-03-01' - date '1900-02-01' = 28;
    //   date_diff('day', date '2020-01-01', date '2021-03-01') = 425
    @Test func dateAddSubAndDiff() throws {
        let columns = [("d", S.dates([S.day("2024-02-28"), S.day("1970-01-01"), nil])), ("n", Column(.int32, [2, -1, 5] as [Int32?]))]
        #expect(S.ints(try S.evaluate(.call("date_add", .col("d"), .col("n")), columns)) == [S.day("2024-03-01"), S.day("1969-12-31"), nil])
        #expect(S.ints(try S.evaluate(.call("date_sub", .col("d"), .int32(1)), columns)) == [S.day("2024-02-27"), S.day("1969-12-31"), nil])
        #expect(S.ints(try S.constant(.call("datediff", .date("2000-03-01"), .date("2000-02-01")))) == [29])
        #expect(S.ints(try S.constant(.call("datediff", .date("1900-03-01"), .date("1900-02-01")))) == [28])
        #expect(S.ints(try S.constant(.call("datediff", .date("2021-03-01"), .date("2020-01-01")))) == [425])
        #expect(S.ints(try S.constant(.call("datediff", .date("2020-01-01"), .date("2021-03-01")))) == [-425])
        let far = [("d", S.dates([Int32.max - 1]))]
        #expect(throws: ExecutionError.self) { try S.evaluate(.call("date_add", .col("d"), .int32(5)), far) }
    }
}

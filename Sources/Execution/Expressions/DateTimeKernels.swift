import Columnar
import Query

/// Date and timestamp functions and interval arithmetic, in UTC on the proleptic Gregorian
/// calendar (`CivilCalendar`). Timestamps of any unit are accepted; `date_trunc` returns
/// microseconds.
enum DateTimeKernels {
    static func outOfRange(_ text: String) -> ExecutionError {
        .arithmetic(expression: text, detail: "date or timestamp out of range")
    }

    /// Units per day of a timestamp unit.
    static func perDay(_ unit: TimeUnit) -> Int64 { 86_400 * unit.perSecond }

    // MARK: year, month, day, quarter

    private protocol DatePart { static func value(year: Int64, month: Int64, day: Int64) -> Int32 }
    private enum Year: DatePart { static func value(year: Int64, month: Int64, day: Int64) -> Int32 { Int32(truncatingIfNeeded: year) } }
    private enum Month: DatePart { static func value(year: Int64, month: Int64, day: Int64) -> Int32 { Int32(truncatingIfNeeded: month) } }
    private enum Day: DatePart { static func value(year: Int64, month: Int64, day: Int64) -> Int32 { Int32(truncatingIfNeeded: day) } }
    private enum Quarter: DatePart { static func value(year: Int64, month: Int64, day: Int64) -> Int32 { Int32(truncatingIfNeeded: (month &+ 2) / 3) } }

    static func part(_ name: String, _ input: Kernel) throws -> Kernel {
        switch name {
        case "year": try part(Year.self, input)
        case "month": try part(Month.self, input)
        case "day": try part(Day.self, input)
        default: try part(Quarter.self, input)
        }
    }

    private static func part<P: DatePart>(_: P.Type, _ input: Kernel) throws -> Kernel {
        let operation: @Sendable (Column) -> Column
        switch input.type {
        case .date32:
            operation = { c in
                .fixed(.int32, count: c.count, values: Loops.unary(c) { (d: Int32) -> Int32 in
                    let (y, m, day) = CivilCalendar.civil(Int64(d))
                    return P.value(year: y, month: m, day: day)
                }, validity: c.validity)
            }
        case .timestamp(let unit, _):
            let unitsPerDay = perDay(unit)
            operation = { c in
                .fixed(.int32, count: c.count, values: Loops.unary(c) { (t: Int64) -> Int32 in
                    let (y, m, day) = CivilCalendar.civil(CivilCalendar.floorDivide(t, unitsPerDay))
                    return P.value(year: y, month: m, day: day)
                }, validity: c.validity)
            }
        default:
            throw ExecutionError.unsupported("date part of \(input.type)")
        }
        return Kernel(type: .int32) { batch in Elementwise.map(try input.run(batch), operation) }.folded(inputs: [input])
    }

    // MARK: date_trunc, trunc

    enum TruncLevel: Sendable { case year, quarter, month, week, day, hour, minute, second, millisecond, microsecond }

    /// Spark's unit names, upper-cased.
    static func truncLevel(_ unit: String) -> TruncLevel? {
        switch unit.uppercased() {
        case "YEAR", "YYYY", "YY": .year
        case "QUARTER": .quarter
        case "MONTH", "MM", "MON": .month
        case "WEEK": .week
        case "DAY", "DD": .day
        case "HOUR": .hour
        case "MINUTE": .minute
        case "SECOND": .second
        case "MILLISECOND": .millisecond
        case "MICROSECOND": .microsecond
        default: nil
        }
    }

    /// The first day of the year, quarter, month or ISO week (Monday) of `days`.
    @inline(__always)
    static func truncateDays(_ days: Int64, _ level: TruncLevel) -> Int64 {
        switch level {
        case .week: return days &- CivilCalendar.weekday(days)
        case .year, .quarter, .month:
            let (y, m, _) = CivilCalendar.civil(days)
            let month = level == .year ? 1 : (level == .quarter ? (m &- 1) / 3 &* 3 &+ 1 : m)
            return CivilCalendar.days(year: y, month: month, day: 1)
        default: return days
        }
    }

    /// `date_trunc(unit, ts)`: the timestamp truncated to the unit, in microseconds.
    static func dateTrunc(unit: Kernel, _ input: Kernel, text: String) throws -> Kernel {
        guard case .timestamp(let inputUnit, let utc) = input.type else {
            throw ExecutionError.unsupported("date_trunc of \(input.type)")
        }
        let type = DataType.timestamp(.microseconds, isAdjustedToUTC: utc)
        if unit.isNullConstant { return nullResult(input, type) }
        guard let name = FunctionKernels.constantString(unit) else {
            throw ExecutionError.unsupported("date_trunc with a unit that is not a constant")
        }
        guard let level = truncLevel(name) else {
            throw ExecutionError.arithmetic(expression: text, detail: "invalid date_trunc unit '\(name)'; expected YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND or MICROSECOND")
        }
        let step: Int64
        switch level {
        case .microsecond: step = 1
        case .millisecond: step = 1_000
        case .second: step = 1_000_000
        case .minute: step = 60_000_000
        case .hour: step = 3_600_000_000
        default: step = CivilCalendar.microsecondsPerDay
        }
        let calendar = level == .year || level == .quarter || level == .month || level == .week
        return Kernel(type: type) { batch in
            try Elementwise.map(try input.run(batch)) { c in
                let micros = try toMicroseconds(c, unit: inputUnit, text: text)
                let day = CivilCalendar.microsecondsPerDay
                let values: Buffer
                if calendar {
                    values = Loops.unary(micros) { (t: Int64) -> Int64 in
                        truncateDays(CivilCalendar.floorDivide(t, day), level) &* day
                    }
                } else {
                    values = Loops.unary(micros) { (t: Int64) -> Int64 in t &- (t % step + step) % step }
                }
                return .fixed(type, count: c.count, values: values, validity: c.validity)
            }
        }.folded(inputs: [unit, input])
    }

    /// Timestamps of any unit as microseconds (nanoseconds rounded down).
    static func toMicroseconds(_ c: Column, unit: TimeUnit, text: String) throws -> Column {
        let type = DataType.timestamp(.microseconds, isAdjustedToUTC: false)
        switch unit {
        case .microseconds: return c
        case .nanoseconds:
            return .fixed(type, count: c.count, values: Loops.unary(c) { (t: Int64) in CivilCalendar.floorDivide(t, 1000) }, validity: c.validity)
        case .milliseconds:
            return try ArithmeticKernels.checkedUnary(c, type, outOfRange(text)) { (t: Int64) in t.multipliedReportingOverflow(by: 1000) }
        }
    }

    /// `trunc(date, format)`: the first day of the year, quarter, month or week.
    static func trunc(_ input: Kernel, format: Kernel, text: String) throws -> Kernel {
        guard input.type == .date32 else { throw ExecutionError.unsupported("trunc of \(input.type)") }
        if format.isNullConstant { return nullResult(input, .date32) }
        guard let name = FunctionKernels.constantString(format) else {
            throw ExecutionError.unsupported("trunc with a format that is not a constant")
        }
        guard let level = truncLevel(name), [.year, .quarter, .month, .week].contains(level) else {
            throw ExecutionError.arithmetic(expression: text, detail: "invalid trunc format '\(name)'; expected YEAR, QUARTER, MONTH or WEEK")
        }
        return Kernel(type: .date32) { batch in
            Elementwise.map(try input.run(batch)) { c in
                .fixed(.date32, count: c.count, values: Loops.unary(c) { (d: Int32) -> Int32 in
                    Int32(truncatingIfNeeded: truncateDays(Int64(d), level))
                }, validity: c.validity)
            }
        }.folded(inputs: [input, format])
    }

    private static func nullResult(_ input: Kernel, _ type: DataType) -> Kernel {
        Kernel(type: type) { batch in
            let shape = RowShape(try input.run(batch), rowCount: batch.rowCount)
            return shape.datum(.nulls(type, count: shape.count))
        }.folded(inputs: [input])
    }

    // MARK: date_add, date_sub, datediff

    static func dateAdd(_ date: Kernel, _ days: Kernel, subtract: Bool, text: String) throws -> Kernel {
        guard date.type == .date32, days.type == .int32 || days.isNullConstant else {
            throw ExecutionError.unsupported("date_add of \(date.type) and \(days.type)")
        }
        return int32Binary(date, days, type: .date32, text: text) { x, y in
            subtract ? x.subtractingReportingOverflow(y) : x.addingReportingOverflow(y)
        }
    }

    static func dateDiff(_ end: Kernel, _ start: Kernel, text: String) throws -> Kernel {
        guard end.type == .date32, start.type == .date32 else {
            throw ExecutionError.unsupported("datediff of \(end.type) and \(start.type)")
        }
        return int32Binary(end, start, type: .int32, text: text) { x, y in x.subtractingReportingOverflow(y) }
    }

    private static func int32Binary(
        _ left: Kernel, _ right: Kernel, type: DataType, text: String,
        _ f: @escaping @Sendable (Int32, Int32) -> (partialValue: Int32, overflow: Bool)
    ) -> Kernel {
        Kernel(type: type) { batch in
            let a = try left.run(batch), b = try right.run(batch)
            let shape = RowShape(a, b, rowCount: batch.rowCount)
            if a.isNullScalar || b.isNullScalar { return shape.datum(.nulls(type, count: shape.count)) }
            let pa = a.isScalar ? a : Datum(column: a.column.materialized())
            let pb = b.isScalar ? b : Datum(column: b.column.materialized())
            return shape.datum(try ArithmeticKernels.checked(pa, pb, shape.count, type, text) { (x: Int32, y: Int32) in f(x, y) })
        }.folded(inputs: [left, right])
    }

    // MARK: Interval arithmetic

    /// `date ± interval` and `timestamp ± interval`: months by the calendar (day of month
    /// clamped), then days, then microseconds. A date with a sub-day interval goes through a
    /// timestamp at midnight and back, rounding down (Spark's DateAddInterval without ANSI).
    static func addInterval(_ input: Kernel, months: Int64, days: Int64, microseconds: Int64, text: String) throws -> Kernel {
        let type = input.type
        let operation: @Sendable (Column) throws -> Column
        switch type {
        case .date32:
            operation = { c in
                try ArithmeticKernels.checkedUnary(c, type, outOfRange(text)) { (d: Int32) -> (Int32, Bool) in
                    guard let result = shiftDate(Int64(d), months: months, days: days, microseconds: microseconds) else { return (0, true) }
                    return (Int32(truncatingIfNeeded: result), Int64(Int32(truncatingIfNeeded: result)) != result)
                }
            }
        case .timestamp(let unit, _):
            let unitsPerDay = perDay(unit)
            let offset: Int64
            switch unit {
            case .microseconds: offset = microseconds
            case .milliseconds: offset = CivilCalendar.floorDivide(microseconds, 1000)
            case .nanoseconds:
                let (value, overflow) = microseconds.multipliedReportingOverflow(by: 1000)
                guard !overflow else { throw outOfRange(text) }
                offset = value
            }
            operation = { c in
                try ArithmeticKernels.checkedUnary(c, type, outOfRange(text)) { (t: Int64) -> (Int64, Bool) in
                    let result = shiftTimestamp(t, unitsPerDay: unitsPerDay, months: months, days: days, offset: offset)
                    return (result ?? 0, result == nil)
                }
            }
        default:
            throw ExecutionError.unsupported("interval arithmetic on \(type)")
        }
        return Kernel(type: type) { batch in try Elementwise.map(try input.run(batch), operation) }.folded(inputs: [input])
    }

    /// Limits of dates java.time can represent (years ±999,999,999), as day counts.
    static let minimumDay: Int64 = -365_243_219_162
    static let maximumDay: Int64 = 365_241_780_471

    @inline(__always)
    static func shiftDate(_ day: Int64, months: Int64, days: Int64, microseconds: Int64) -> Int64? {
        let shifted = CivilCalendar.addMonths(day, months)
        let (withDays, overflow) = shifted.addingReportingOverflow(days)
        guard !overflow else { return nil }
        if microseconds == 0 { return withDays }
        let (micros, overflow2) = withDays.multipliedReportingOverflow(by: CivilCalendar.microsecondsPerDay)
        let (total, overflow3) = micros.addingReportingOverflow(microseconds)
        guard !overflow2 && !overflow3 else { return nil }
        return CivilCalendar.floorDivide(total, CivilCalendar.microsecondsPerDay)
    }

    @inline(__always)
    static func shiftTimestamp(_ t: Int64, unitsPerDay: Int64, months: Int64, days: Int64, offset: Int64) -> Int64? {
        let day = CivilCalendar.floorDivide(t, unitsPerDay)
        let timeOfDay = t &- day &* unitsPerDay
        let (newDay, overflow) = CivilCalendar.addMonths(day, months).addingReportingOverflow(days)
        guard !overflow, newDay >= minimumDay, newDay <= maximumDay else { return nil }
        let (base, overflow2) = newDay.multipliedReportingOverflow(by: unitsPerDay)
        let (withTime, overflow3) = base.addingReportingOverflow(timeOfDay)
        let (result, overflow4) = withTime.addingReportingOverflow(offset)
        guard !overflow2 && !overflow3 && !overflow4 else { return nil }
        return result
    }
}

/// Writes dates, times of day and timestamps as ISO 8601 text with integer arithmetic only.
///
/// Dates are proleptic Gregorian with astronomical year numbering (year 0 is 1 BC). Years in
/// 0...9999 have four digits; others use ISO 8601's expanded form: `+10000`, `-0001`.
enum DateText {
    /// Year, month (1...12) and day (1...31) of `days` since 1970-01-01.
    ///
    /// Howard Hinnant's `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html):
    /// shift the epoch to 0000-03-01 so that leap days fall at the end of a year, split into
    /// 400-year eras of 146097 days, then into years of the era and days of the year. Correct for
    /// every `Int64` day count whose year fits in `Int64` (all that `Int64` timestamps produce).
    @inline(__always)
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days &+ 719_468
        let era = (z >= 0 ? z : z &- 146_096) / 146_097
        let dayOfEra = z &- era &* 146_097                                              // [0, 146096]
        let yearOfEra = (dayOfEra &- dayOfEra / 1460 &+ dayOfEra / 36524 &- dayOfEra / 146_096) / 365  // [0, 399]
        let dayOfYear = dayOfEra &- (365 &* yearOfEra &+ yearOfEra / 4 &- yearOfEra / 100)  // [0, 365]
        let shiftedMonth = (5 &* dayOfYear &+ 2) / 153                                  // [0, 11], March = 0
        let day = dayOfYear &- (153 &* shiftedMonth &+ 2) / 5 &+ 1
        let month = shiftedMonth < 10 ? shiftedMonth &+ 3 : shiftedMonth &- 9
        let year = yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0)
        return (year, Int(month), Int(day))
    }

    /// Most bytes `writeDate` writes: sign, 12 year digits, "-MM-DD".
    static let maxDateByteCount = 19
    /// Most bytes `writeTimestamp` writes: a date, "THH:MM:SS", a 9-digit fraction and "Z".
    static let maxTimestampByteCount = maxDateByteCount + 20

    /// Writes `YYYY-MM-DD` for `days` since 1970-01-01.
    @inline(__always)
    static func writeDate(days: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let (year, month, day) = civil(fromDays: days)
        var position: Int
        if year >= 0 && year <= 9999 {
            DecimalText.writeDigits(UInt64(year), count: 4, to: out)
            position = 4
        } else if year > 9999 {
            out[0] = UInt8(ascii: "+")
            position = 1 &+ DecimalText.write(UInt64(year), to: out + 1)
        } else {
            out[0] = UInt8(ascii: "-")
            let magnitude = year.magnitude
            let count = max(4, DecimalText.digitCount(magnitude))
            DecimalText.writeDigits(magnitude, count: count, to: out + 1)
            position = 1 &+ count
        }
        out[position] = UInt8(ascii: "-")
        DecimalText.write2(month, to: out + position + 1)
        out[position &+ 3] = UInt8(ascii: "-")
        DecimalText.write2(day, to: out + position + 4)
        return position &+ 6
    }

    /// Writes `HH:MM:SS` and, when `fractionDigits` > 0, `.` and the fraction.
    ///
    /// `units` counts from midnight; `unitsPerSecond` is 10^`fractionDigits`. Hours past 99 get
    /// more digits (only invalid times of day have them).
    @inline(__always)
    static func writeTimeOfDay(
        _ units: UInt64, unitsPerSecond: UInt64, fractionDigits: Int, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let seconds = units / unitsPerSecond
        let fraction = units &- seconds &* unitsPerSecond
        let hours = seconds / 3600
        let minutesAndSeconds = Int(truncatingIfNeeded: seconds &- hours &* 3600)
        var position: Int
        if hours < 100 {
            DecimalText.write2(Int(truncatingIfNeeded: hours), to: out)
            position = 2
        } else {
            position = DecimalText.write(hours, to: out)
        }
        out[position] = UInt8(ascii: ":")
        DecimalText.write2(minutesAndSeconds / 60, to: out + position + 1)
        out[position &+ 3] = UInt8(ascii: ":")
        DecimalText.write2(minutesAndSeconds % 60, to: out + position + 4)
        position &+= 6
        if fractionDigits > 0 {
            out[position] = UInt8(ascii: ".")
            DecimalText.writeDigits(fraction, count: fractionDigits, to: out + position + 1)
            position &+= 1 &+ fractionDigits
        }
        return position
    }

    /// Writes a time of day (`HH:MM:SS.fff`); a negative value (invalid) gets a leading `-`.
    @inline(__always)
    static func writeTime(_ value: Int64, unit: TimeUnit, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var position = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            position = 1
        }
        return position &+ writeTimeOfDay(
            value.magnitude, unitsPerSecond: UInt64(unit.perSecond), fractionDigits: unit.fractionDigits,
            to: out + position)
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS.fff` (3, 6 or 9 fraction digits) for `value` units since the
    /// epoch, with a trailing `Z` when `utc`.
    @inline(__always)
    static func writeTimestamp(_ value: Int64, unit: TimeUnit, utc: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let perDay = unit.perSecond &* 86_400
        // Floor division: -1 ms is the last millisecond of 1969-12-31.
        var days = value / perDay
        var units = value &- days &* perDay
        if units < 0 {
            days &-= 1
            units &+= perDay
        }
        var position = writeDate(days: days, to: out)
        out[position] = UInt8(ascii: "T")
        position &+= 1
        position &+= writeTimeOfDay(
            UInt64(units), unitsPerSecond: UInt64(unit.perSecond), fractionDigits: unit.fractionDigits,
            to: out + position)
        if utc {
            out[position] = UInt8(ascii: "Z")
            position &+= 1
        }
        return position
    }
}

extension TimeUnit {
    /// Digits after the decimal point of a second: 3, 6 or 9.
    var fractionDigits: Int {
        switch self {
        case .milliseconds: 3
        case .microseconds: 6
        case .nanoseconds: 9
        }
    }
}

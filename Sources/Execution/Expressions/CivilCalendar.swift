/// The proleptic Gregorian calendar on day counts since 1970-01-01 (Howard Hinnant's
/// algorithms, http://howardhinnant.github.io/date_algorithms.html), as java.time uses it.
enum CivilCalendar {
    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Year, month (1...12) and day (1...31) of a day count.
    @inline(__always)
    static func civil(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days &+ 719_468
        let era = (z >= 0 ? z : z &- 146_096) / 146_097
        let dayOfEra = z &- era &* 146_097
        let yearOfEra = (dayOfEra &- dayOfEra / 1460 &+ dayOfEra / 36524 &- dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra &- (365 &* yearOfEra &+ yearOfEra / 4 &- yearOfEra / 100)
        let shiftedMonth = (5 &* dayOfYear &+ 2) / 153
        let day = dayOfYear &- (153 &* shiftedMonth &+ 2) / 5 &+ 1
        let month = shiftedMonth < 10 ? shiftedMonth &+ 3 : shiftedMonth &- 9
        return (yearOfEra &+ era &* 400 &+ (month <= 2 ? 1 : 0), month, day)
    }

    /// The day count of a civil date (month 1...12, day 1...31).
    @inline(__always)
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year &- 1 : year
        let era = (y >= 0 ? y : y &- 399) / 400
        let yearOfEra = y &- era &* 400
        let shiftedMonth = month > 2 ? month &- 3 : month &+ 9
        let dayOfYear = (153 &* shiftedMonth &+ 2) / 5 &+ day &- 1
        let dayOfEra = yearOfEra &* 365 &+ yearOfEra / 4 &- yearOfEra / 100 &+ dayOfYear
        return era &* 146_097 &+ dayOfEra &- 719_468
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `days` plus `months` calendar months, the day of month clamped to the new month's length
    /// (java.time's `LocalDate.plusMonths`: Jan 31 + 1 month is Feb 28 or 29).
    @inline(__always)
    static func addMonths(_ days: Int64, _ months: Int64) -> Int64 {
        if months == 0 { return days }
        let (year, month, day) = civil(days)
        let total = year &* 12 &+ (month &- 1) &+ months
        let newYear = total >= 0 ? total / 12 : (total &- 11) / 12
        let newMonth = total &- newYear &* 12 &+ 1
        return self.days(year: newYear, month: newMonth, day: min(day, daysInMonth(year: newYear, month: newMonth)))
    }

    /// `a` divided by `b` (> 0), rounded toward negative infinity.
    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b < 0) ? q &- 1 : q
    }

    /// Day of the week, 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
    @inline(__always)
    static func weekday(_ days: Int64) -> Int64 {
        let r = (days &+ 3) % 7
        return r < 0 ? r &+ 7 : r
    }
}

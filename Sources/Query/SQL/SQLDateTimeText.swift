/// Reads the text of DATE and TIMESTAMP literals the way Spark does (`stringToDate`,
/// `stringToTimestamp`): `yyyy[-m[m][-d[d]]]`, then for timestamps `[ |T]h[h]:m[m][:s[s][.f…]]`.
/// Leading and trailing whitespace is ignored; a DATE ignores anything after `' '` or `'T'`.
enum SQLDateTimeText {
    enum Timestamp: Equatable {
        case value(Int64)
        /// Valid but with a zone (`Z`, `+02:00`, `UTC`…), which a TIMESTAMP without time zone cannot hold.
        case hasTimeZone
        case invalid
    }

    /// Days since 1970-01-01, or nil when the text is no valid date.
    static func days(_ text: String) -> Int32? {
        var reader = Reader(text.trimmedWhitespace)
        guard let days = reader.date() else { return nil }
        if !reader.atEnd {
            guard reader.next == " " || reader.next == "T" else { return nil }
        }
        return days
    }

    /// Microseconds since 1970-01-01 00:00:00.
    static func microseconds(_ text: String) -> Timestamp {
        var reader = Reader(text.trimmedWhitespace)
        guard let days = reader.date(), abs(Int64(days)) < 100_000_000 else { return .invalid }
        var micros = Int64(days) * 86_400_000_000
        if reader.atEnd { return .value(micros) }
        guard reader.take(" ") || reader.take("T") else { return .invalid }
        guard let hour = reader.number(digits: 1...2), hour < 24, reader.take(":"),
              let minute = reader.number(digits: 1...2), minute < 60 else { return .invalid }
        var second = 0
        var fraction: Int64 = 0
        if reader.take(":") {
            guard let s = reader.number(digits: 1...2), s < 60 else { return .invalid }
            second = s
            if reader.take(".") {
                // Up to nanoseconds may be written; microseconds are kept.
                let start = reader.position
                guard let f = reader.number(digits: 1...9) else { return .invalid }
                fraction = Int64(f)
                var digits = reader.position - start
                while digits < 6 { fraction *= 10; digits += 1 }
                while digits > 6 { fraction /= 10; digits -= 1 }
            }
        }
        micros += Int64(hour * 3600 + minute * 60 + second) * 1_000_000 + fraction
        if reader.atEnd { return .value(micros) }
        _ = reader.take(" ")
        return reader.isTimeZone ? .hasTimeZone : .invalid
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private struct Reader {
        let characters: [Character]
        var position = 0

        init(_ text: String) { characters = Array(text) }

        var atEnd: Bool { position == characters.count }
        var next: Character? { atEnd ? nil : characters[position] }

        mutating func take(_ character: Character) -> Bool {
            guard next == character else { return false }
            position += 1
            return true
        }

        /// An unsigned number of `digits` ASCII digits, as many as there are up to the maximum.
        mutating func number(digits: ClosedRange<Int>) -> Int? {
            var value = 0
            var count = 0
            while count < digits.upperBound, let c = next, let digit = c.asciiValue, digit >= 48, digit <= 57 {
                value = value * 10 + Int(digit - 48)
                count += 1
                position += 1
            }
            return count >= digits.lowerBound ? value : nil
        }

        /// `yyyy[-m[m][-d[d]]]`, years of 4 to 7 digits.
        mutating func date() -> Int32? {
            guard let year = number(digits: 4...7) else { return nil }
            var month = 1
            var day = 1
            if take("-") {
                guard let m = number(digits: 1...2) else { return nil }
                month = m
                if take("-") {
                    guard let d = number(digits: 1...2) else { return nil }
                    day = d
                }
            }
            guard (1...12).contains(month), (1...SQLDateTimeText.daysInMonth(year: year, month: month)).contains(day) else { return nil }
            return Int32(exactly: SQLDateTimeText.daysFromCivil(year: year, month: month, day: day))
        }

        /// Whether the rest is a zone: `Z`, `UTC`, `GMT`, `+hh[:mm]`, `-hh[:mm]`, or a region such as `Europe/Paris`.
        var isTimeZone: Bool {
            let rest = String(characters[position...])
            if rest == "Z" || rest == "UTC" || rest == "GMT" { return true }
            if let sign = rest.first, sign == "+" || sign == "-" {
                return rest.dropFirst().allSatisfy { $0.isNumber || $0 == ":" } && rest.count > 1
            }
            return rest.contains("/") && rest.allSatisfy { $0.isLetter || $0 == "/" || $0 == "_" }
        }
    }
}

/// The months, days and microseconds of an INTERVAL literal being read, part by part
/// (`1 YEAR 2 MONTHS`), with overflow checks.
struct SQLInterval {
    /// The unit of one part, singular or plural (`DAY`, `days`).
    enum Unit {
        case year, month, week, day, hour, minute, second, millisecond, microsecond

        init?(_ token: SQLToken) {
            guard case .word(let word) = token.kind else { return nil }
            self.init(word: word)
        }

        init?(word: String) {
            var name = word.lowercased()
            if name.hasSuffix("s") { name.removeLast() }
            switch name {
            case "year": self = .year
            case "month": self = .month
            case "week": self = .week
            case "day": self = .day
            case "hour": self = .hour
            case "minute": self = .minute
            case "second": self = .second
            case "millisecond": self = .millisecond
            case "microsecond": self = .microsecond
            default: return nil
            }
        }

        /// Microseconds in one of a time unit (HOUR down to MICROSECOND).
        var microseconds: Int64 {
            switch self {
            case .hour: 3_600_000_000
            case .minute: 60_000_000
            case .second: 1_000_000
            case .millisecond: 1000
            default: 1
            }
        }
    }

    private var months: Int64 = 0
    private var days: Int64 = 0
    private var microseconds: Int64 = 0
    private var overflow = false
    private var parts = 0

    var isEmpty: Bool { parts == 0 }

    /// The literal, or nil when a part overflowed.
    var value: ScalarValue? {
        guard !overflow, let months = Int32(exactly: months), let days = Int32(exactly: days) else { return nil }
        return .interval(months: months, days: days, microseconds: microseconds)
    }

    /// Adds `text` (`90`, `-1`, `1.5` for seconds) of `unit`; false when the number is malformed.
    mutating func add(_ text: String, negative: Bool, unit: Unit) -> Bool {
        var text = Substring(text.trimmedWhitespace)
        var negative = negative
        if let sign = text.first, sign == "-" || sign == "+" {
            negative = negative != (sign == "-")
            text = text.dropFirst()
        }
        var whole = text
        var fraction: Substring = ""
        if let dot = text.firstIndex(of: ".") {
            // Only seconds take a fraction (down to microseconds).
            guard unit == .second else { return false }
            whole = text[..<dot]
            fraction = text[text.index(after: dot)...]
        }
        let isDigit: (Character) -> Bool = { $0 >= "0" && $0 <= "9" }
        guard !(whole.isEmpty && fraction.isEmpty), whole.allSatisfy(isDigit), fraction.allSatisfy(isDigit) else { return false }
        guard let magnitude = Int64(whole.isEmpty ? "0" : whole) else {
            overflow = true
            return true
        }
        let count = negative ? -magnitude : magnitude
        parts += 1
        switch unit {
        case .year: if Self.accumulate(&months, count, 12) { overflow = true }
        case .month: if Self.accumulate(&months, count, 1) { overflow = true }
        case .week: if Self.accumulate(&days, count, 7) { overflow = true }
        case .day: if Self.accumulate(&days, count, 1) { overflow = true }
        default:
            if Self.accumulate(&microseconds, count, unit.microseconds) { overflow = true }
            if !fraction.isEmpty {
                let micros = Int64(String((fraction + "000000").prefix(6)))!
                if Self.accumulate(&microseconds, negative ? -micros : micros, 1) { overflow = true }
            }
        }
        return true
    }

    /// Adds `'1 year 2 months'`: pairs of a number and a unit; false when malformed.
    mutating func add(text: String) -> Bool {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard !words.isEmpty, words.count % 2 == 0 else { return false }
        for pair in stride(from: 0, to: words.count, by: 2) {
            guard let unit = Unit(word: String(words[pair + 1])), add(String(words[pair]), negative: false, unit: unit) else {
                return false
            }
        }
        return true
    }

    /// Adds `count * factor` to `total`; true on overflow.
    private static func accumulate(_ total: inout Int64, _ count: Int64, _ factor: Int64) -> Bool {
        let (product, overflowed) = count.multipliedReportingOverflow(by: factor)
        let (sum, overflowedSum) = total.addingReportingOverflow(product)
        total = sum
        return overflowed || overflowedSum
    }
}

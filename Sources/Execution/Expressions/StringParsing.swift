import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text to numbers, booleans, dates and timestamps with Spark's (non-ANSI) rules: surrounding
/// whitespace and control characters are ignored, and text that is not a value of the type,
/// or is out of its range, becomes NULL.
enum StringParsing {
    typealias Conversion = CastKernels.Conversion

    static func conversion(to target: DataType) -> Conversion? {
        if target.isInteger { return try? ValueTypes.visitInteger(target, IntegerParser(target: target)) }
        switch target {
        case .float64:
            return { c in parse(c, target) { p, n -> Double? in parseDouble(p, n) } }
        case .float32:
            return { c in parse(c, target) { p, n -> Float? in parseDouble(p, n, float: true).map { Float($0) } } }
        case .decimal(let precision, let scale) where precision <= 38:
            return { c in parse(c, target) { p, n -> Int128? in parseDecimal(p, n, precision: precision, scale: scale) } }
        case .date32:
            return { c in parse(c, target) { p, n -> Int32? in parseDate(p, n) } }
        case .timestamp(let unit, let utc):
            return { c in parse(c, target) { p, n -> Int64? in parseTimestamp(p, n, unit: unit, applyOffset: utc) } }
        case .boolean:
            return { c in
                let reader = ByteValues.Reader(c)
                let values = BitWords.make(count: c.count) { i in
                    let (p, n) = reader[i]
                    return parseBoolean(p, n) == true
                }
                let valid = BitWords.make(count: c.count) { i in
                    let (p, n) = reader[i]
                    return parseBoolean(p, n) != nil
                }
                return .booleans(count: c.count, bits: values, validity: BitWords.and(c.validity, valid, count: c.count))
            }
        default:
            return nil
        }
    }

    private struct IntegerParser: IntegerTypeVisitor {
        let target: DataType
        func visit<T: FixedWidthInteger & OrderedValue>(_: T.Type) -> Conversion {
            let target = self.target
            return { c in parse(c, target) { p, n -> T? in parseInteger(p, n).flatMap { T(exactly: $0) } } }
        }
    }

    /// A fixed-width column of the values `f` parses; NULL where it returns nil.
    @inline(__always)
    static func parse<T: BitwiseCopyable>(_ c: Column, _ type: DataType, _ f: (UnsafePointer<UInt8>, Int) -> T?) -> Column {
        let reader = ByteValues.Reader(c)
        var failed = false
        var values: Buffer? = nil
        let valid = Buffer(byteCount: BitWords.wordCount(c.count) * 8) { validRaw in
            validRaw.initializeMemory(as: UInt8.self, repeating: 0)
            values = Buffer(byteCount: c.count * MemoryLayout<T>.stride) { raw in
                guard c.count > 0 else { return }
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                let out = raw.baseAddress!.assumingMemoryBound(to: T.self)
                for i in 0..<c.count where !c.isNull(i) {
                    let (p, n) = reader[i]
                    if let value = f(p, n) {
                        out[i] = value
                        Bitmap.set(validRaw.baseAddress!, i)
                    } else {
                        failed = true
                    }
                }
            }
        }
        return .fixed(type, count: c.count, values: values!, validity: c.nullCount == 0 && !failed ? nil : valid)
    }

    /// The bytes without leading and trailing whitespace and control characters.
    @inline(__always)
    static func trimmed(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UnsafePointer<UInt8>, Int) {
        var start = 0, end = n
        while start < end && (p[start] <= 0x20 || p[start] == 0x7F) { start += 1 }
        while end > start && (p[end - 1] <= 0x20 || p[end - 1] == 0x7F) { end -= 1 }
        return (p + start, end - start)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    // MARK: Numbers

    /// Spark's `UTF8String.toLong`: an optional sign and digits, optionally followed by `.` and
    /// digits that are ignored (`"1.9"` is 1); nil for anything else or beyond 64 bits.
    static func parseInteger(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Int128? {
        let (p, n) = trimmed(bytes, length)
        guard n > 0 else { return nil }
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative || p[0] == UInt8(ascii: "+") {
            i = 1
            guard n > 1 else { return nil }
        }
        var value: Int128 = 0
        while i < n {
            let b = p[i]
            if b == UInt8(ascii: ".") {
                i += 1
                while i < n {
                    guard isDigit(p[i]) else { return nil }
                    i += 1
                }
                break
            }
            guard isDigit(b) else { return nil }
            value = value * 10 + Int128(b - 48)
            guard value <= Int128(UInt64.max) else { return nil }
            i += 1
        }
        return negative ? -value : value
    }

    /// Java's `Double.parseDouble` for decimal text (with an optional `d`/`f` suffix), `NaN`
    /// and `Infinity`, plus Spark's special literals (`inf`, `-infinity`, `nan`, any case).
    static func parseDouble(_ bytes: UnsafePointer<UInt8>, _ length: Int, float: Bool = false) -> Double? {
        let (p, n) = trimmed(bytes, length)
        guard n > 0, n < 512 else { return nil }
        var end = n
        // Java accepts a type suffix.
        if let last = Optional(p[end - 1]), last == UInt8(ascii: "d") || last == UInt8(ascii: "D")
            || last == UInt8(ascii: "f") || last == UInt8(ascii: "F") {
            end -= 1
        }
        if isDecimalLiteral(p, end) {
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: end + 1) { buffer -> Double? in
                for k in 0..<end { buffer[k] = CChar(bitPattern: p[k]) }
                buffer[end] = 0
                if float { return Double(strtof(buffer.baseAddress!, nil)) }
                return strtod(buffer.baseAddress!, nil)
            }
        }
        return specialLiteral(p, n)
    }

    /// `[+-]` digits with at most one `.` (at least one digit), then an optional exponent.
    private static func isDecimalLiteral(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
        var digits = 0
        var sawPoint = false
        while i < n {
            if isDigit(p[i]) { digits += 1 } else if p[i] == UInt8(ascii: "."), !sawPoint { sawPoint = true } else { break }
            i += 1
        }
        guard digits > 0 else { return false }
        if i < n && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            var exponentDigits = 0
            while i < n && isDigit(p[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return i == n
    }

    private static func specialLiteral(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        let text = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        switch text {
        case "NaN", "+NaN", "-NaN": return .nan
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: break
        }
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return nil
        }
    }

    /// java.math.BigDecimal's syntax, HALF_UP to `scale`; nil when it needs more than `precision` digits.
    static func parseDecimal(_ bytes: UnsafePointer<UInt8>, _ length: Int, precision: Int, scale: Int) -> Int128? {
        let (p, n) = trimmed(bytes, length)
        guard n > 0, n < 1024 else { return nil }
        let text = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        return DecimalDigits(text)?.unscaled(scale: scale, precision: precision)
    }

    /// `t`, `true`, `y`, `yes`, `1` and `f`, `false`, `n`, `no`, `0`, in any case.
    @inline(__always)
    static func parseBoolean(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Bool? {
        let (p, n) = trimmed(bytes, length)
        guard n > 0, n <= 5 else { return nil }
        var word: UInt64 = 0
        for k in 0..<n { word |= UInt64(p[k] | (p[k] &- 65 < 26 ? 0x20 : 0)) << UInt64(8 * k) }
        switch word {
        case 0x74, 0x65_75_72_74, 0x79, 0x73_65_79, 0x31: return true
        case 0x66, 0x65_73_6C_61_66, 0x6E, 0x6F_6E, 0x30: return false
        default: return nil
        }
    }

    // MARK: Dates and timestamps

    /// A civil date `[+-]yyyy[y…]-[m]m-[d]d` (years of 4 to 7 digits; `yyyy` and `yyyy-[m]m`
    /// alone mean the first day), then nothing or `T`/space and anything (Spark's stringToDate).
    /// Returns the day count and the position after the date.
    static func parseDateParts(_ p: UnsafePointer<UInt8>, _ n: Int) -> (days: Int64, end: Int)? {
        guard n > 0 else { return nil }
        var i = 0
        var sign: Int64 = 1
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            sign = p[0] == UInt8(ascii: "-") ? -1 : 1
            i = 1
        }
        var segments: (Int64, Int64, Int64) = (1, 1, 1)
        var segment = 0
        var value: Int64 = 0
        var digits = 0
        func validDigits(_ segment: Int, _ digits: Int) -> Bool {
            segment == 0 ? (digits >= 4 && digits <= 7) : (digits > 0 && digits <= 2)
        }
        while i < n && p[i] != UInt8(ascii: " ") && p[i] != UInt8(ascii: "T") {
            let b = p[i]
            if segment < 2 && b == UInt8(ascii: "-") {
                guard validDigits(segment, digits) else { return nil }
                if segment == 0 { segments.0 = value } else { segments.1 = value }
                segment += 1
                value = 0
                digits = 0
            } else {
                guard isDigit(b), digits < 8 else { return nil }
                value = value * 10 + Int64(b - 48)
                digits += 1
            }
            i += 1
        }
        guard validDigits(segment, digits) else { return nil }
        // `yyyy` and `yyyy-[m]m` must be the whole text.
        if segment < 2 && i < n { return nil }
        switch segment {
        case 0: segments.0 = value
        case 1: segments.1 = value
        default: segments.2 = value
        }
        let year = sign * segments.0, month = segments.1, day = segments.2
        guard month >= 1 && month <= 12, day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month) else { return nil }
        return (CivilCalendar.days(year: year, month: month, day: day), i)
    }

    static func parseDate(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        let (p, n) = trimmed(bytes, length)
        guard let (days, _) = parseDateParts(p, n) else { return nil }
        return Int32(exactly: days)
    }

    /// A date as above, optionally followed by `T` or a space and `[h]h:[m]m[:[s]s[.fraction]]`,
    /// then an optional zone (`Z`, `UTC`, `GMT`, `[+-]hh[:mm]`, `[+-]hhmm`). The zone offset is
    /// applied for instants (`applyOffset`) and ignored for local date-times; text without a
    /// zone is UTC. Fractions beyond microseconds are truncated.
    static func parseTimestamp(_ bytes: UnsafePointer<UInt8>, _ length: Int, unit: TimeUnit, applyOffset: Bool) -> Int64? {
        let (p, n) = trimmed(bytes, length)
        guard let (days, dateEnd) = parseDateParts(p, n) else { return nil }
        var micros = days &* CivilCalendar.microsecondsPerDay
        var i = dateEnd
        if i < n {
            i += 1  // 'T' or ' '
            func number(maxDigits: Int) -> Int64? {
                var value: Int64 = 0
                var digits = 0
                while i < n, isDigit(p[i]), digits < maxDigits {
                    value = value * 10 + Int64(p[i] - 48)
                    digits += 1
                    i += 1
                }
                return digits > 0 ? value : nil
            }
            if i < n {
                guard let hour = number(maxDigits: 2), hour < 24, i < n, p[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                guard let minute = number(maxDigits: 2), minute < 60 else { return nil }
                var second: Int64 = 0
                var fraction: Int64 = 0
                if i < n && p[i] == UInt8(ascii: ":") {
                    i += 1
                    guard let s = number(maxDigits: 2), s < 60 else { return nil }
                    second = s
                    if i < n && p[i] == UInt8(ascii: ".") {
                        i += 1
                        var digits = 0
                        while i < n, isDigit(p[i]) {
                            if digits < 6 { fraction = fraction * 10 + Int64(p[i] - 48) }
                            digits += 1
                            i += 1
                        }
                        guard digits > 0, digits <= 9 else { return nil }
                        for _ in min(digits, 6)..<6 { fraction *= 10 }
                    }
                }
                micros = micros &+ ((hour * 60 + minute) * 60 + second) * 1_000_000 &+ fraction
                if i < n && p[i] == UInt8(ascii: " ") { i += 1 }
                if i < n {
                    guard let offset = zoneOffset(p + i, n - i) else { return nil }
                    if applyOffset { micros = micros &- offset * 1_000_000 }
                    i = n
                }
            }
        }
        guard i >= n else { return nil }
        switch unit {
        case .microseconds: return micros
        case .milliseconds: return CivilCalendar.floorDivide(micros, 1000)
        case .nanoseconds:
            let (value, overflow) = micros.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : value
        }
    }

    /// Seconds east of UTC for `Z`, `UTC`, `GMT`, `[+-]h[h][:mm]`, `[+-]hhmm` (after `UTC`/`GMT` too).
    private static func zoneOffset(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        var i = 0
        if n == 1 && p[0] == UInt8(ascii: "Z") { return 0 }
        if n >= 3 {
            let prefix = (p[0], p[1], p[2])
            if prefix == (85, 84, 67) || prefix == (71, 77, 84) {  // "UTC", "GMT"
                i = 3
                if i == n { return 0 }
            }
        }
        guard i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = p[i] == UInt8(ascii: "-") ? -1 : 1
        i += 1
        var digits: [Int64] = []
        var colon = false
        while i < n {
            if isDigit(p[i]) { digits.append(Int64(p[i] - 48)) } else if p[i] == UInt8(ascii: ":"), !colon, digits.count > 0 { colon = true } else { return nil }
            i += 1
        }
        let hours: Int64, minutes: Int64
        switch (digits.count, colon) {
        case (1, false): (hours, minutes) = (digits[0], 0)
        case (2, false): (hours, minutes) = (digits[0] * 10 + digits[1], 0)
        case (4, _): (hours, minutes) = (digits[0] * 10 + digits[1], digits[2] * 10 + digits[3])
        case (3, true): (hours, minutes) = (digits[0], digits[1] * 10 + digits[2])
        default: return nil
        }
        guard hours <= 18, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsers for the text of CSV fields. Each takes the field's bytes and returns nil when the text
/// is not a valid value of the type; none of them allocates.
enum ValueParsers {
    typealias Bytes = UnsafeRawBufferPointer

    @inline(__always)
    static func byte(_ bytes: Bytes, _ i: Int) -> UInt8 { bytes.load(fromByteOffset: i, as: UInt8.self) }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    // MARK: Integers

    /// `[+-]digits` within Int64.
    @inline(__always)
    static func int64(_ bytes: Bytes) -> Int64? {
        let n = bytes.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        let first = byte(bytes, 0)
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
            guard n > 1 else { return nil }
        }
        // Up to 18 digits cannot overflow; longer ones are checked.
        var value: UInt64 = 0
        if n - i <= 18 {
            while i < n {
                let d = byte(bytes, i) &- 0x30
                guard d < 10 else { return nil }
                value = value &* 10 &+ UInt64(d)
                i &+= 1
            }
            return negative ? -Int64(value) : Int64(value)
        }
        while i < n {
            let d = byte(bytes, i) &- 0x30
            guard d < 10 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
            guard !o1 && !o2 else { return nil }
            value = sum
            i &+= 1
        }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }

    /// True when the text is `[+-]digits` (of any length).
    static func isIntegerLiteral(_ bytes: Bytes) -> Bool {
        var i = 0
        if bytes.count > 0 && (byte(bytes, 0) == UInt8(ascii: "-") || byte(bytes, 0) == UInt8(ascii: "+")) { i = 1 }
        guard i < bytes.count else { return false }
        while i < bytes.count {
            guard isDigit(byte(bytes, i)) else { return false }
            i += 1
        }
        return true
    }

    /// The double equal to an integer literal too large for Int64, when a double holds it exactly.
    static func exactDoubleOfIntegerLiteral(_ bytes: Bytes) -> Double? {
        guard let value = double(bytes), value.isFinite, value.magnitude < 0x1p126 else { return nil }
        var literal = String(decoding: bytes, as: UTF8.self)
        if literal.hasPrefix("+") || literal.hasPrefix("-") { literal.removeFirst() }
        while literal.count > 1 && literal.hasPrefix("0") { literal.removeFirst() }
        return String(Int128(value.magnitude)) == literal ? value : nil
    }

    /// Whether a double column can hold the text exactly: any decimal number except integer
    /// literals that a double could only round (beyond 2^53 and not exactly representable).
    @inline(__always)
    static func doubleKeepsExactly(_ bytes: Bytes) -> Bool {
        guard bytes.count > 15, isIntegerLiteral(bytes) else { return true }
        if let value = int64(bytes) { return value.magnitude <= 1 << 53 }
        return exactDoubleOfIntegerLiteral(bytes) != nil
    }

    // MARK: Floating point

    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A decimal number (`[+-]digits[.digits][e[+-]digits]`, or `nan`/`inf`/`infinity`).
    ///
    /// Numbers whose digits fit 53 bits and whose decimal exponent is at most 22 are computed
    /// exactly with one multiplication or division (Clinger's fast path); others go to `strtod`.
    /// Values outside the range of Double are not numbers here (they would be rounded to infinity
    /// or zero).
    static func double(_ bytes: Bytes) -> Double? {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return nil }
        var p = start
        let end = start + bytes.count
        var negative = false
        if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
            negative = p.pointee == UInt8(ascii: "-")
            p += 1
        }
        // Digits are accumulated while at most 19 have been read (no overflow); longer numbers
        // take the strtod path.
        var mantissa: UInt64 = 0
        let integerStart = p
        while p < end {
            let digit = p.pointee &- 0x30
            guard digit < 10 else { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            p += 1
        }
        var digitCount = p - integerStart
        var exponent = 0
        if p < end && p.pointee == UInt8(ascii: ".") {
            p += 1
            let fractionStart = p
            while p < end {
                let digit = p.pointee &- 0x30
                guard digit < 10 else { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                p += 1
            }
            exponent = -(p - fractionStart)
            digitCount += p - fractionStart
        }
        guard digitCount > 0 else { return special(bytes) }
        if p < end && (p.pointee | 0x20) == UInt8(ascii: "e") {
            p += 1
            var exponentNegative = false
            if p < end && (p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+")) {
                exponentNegative = p.pointee == UInt8(ascii: "-")
                p += 1
            }
            var value = 0
            let exponentStart = p
            while p < end {
                let digit = p.pointee &- 0x30
                guard digit < 10 else { break }
                if value < 100_000 { value = value &* 10 &+ Int(digit) }
                p += 1
            }
            guard p > exponentStart else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard p == end else { return nil }
        if digitCount <= 19 && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent >= 0 ? value * exactPowersOfTen[exponent] : value / exactPowersOfTen[-exponent]
            return negative ? -value : value
        }
        return viaStrtod(bytes)
    }

    /// `nan`, `inf`, `infinity` in any case, with an optional sign.
    private static func special(_ bytes: Bytes) -> Double? {
        var i = 0
        var negative = false
        if bytes.count > 0 && (byte(bytes, 0) == UInt8(ascii: "-") || byte(bytes, 0) == UInt8(ascii: "+")) {
            negative = byte(bytes, 0) == UInt8(ascii: "-")
            i = 1
        }
        let rest = bytes.count - i
        guard rest == 3 || rest == 8 else { return nil }
        var word: UInt64 = 0
        for k in 0..<rest { word |= UInt64(byte(bytes, i + k) | 0x20) << (8 * k) }
        let nan = UInt64(0x6E) | UInt64(0x61) << 8 | UInt64(0x6E) << 16
        let inf = UInt64(0x69) | UInt64(0x6E) << 8 | UInt64(0x66) << 16
        if rest == 3 && word == nan { return .nan }
        if rest == 3 && word == inf { return negative ? -.infinity : .infinity }
        if rest == 8 {
            var infinity: UInt64 = 0
            for (k, c) in "infinity".utf8.enumerated() { infinity |= UInt64(c) << (8 * k) }
            if word == infinity { return negative ? -.infinity : .infinity }
        }
        return nil
    }

    private static func viaStrtod(_ bytes: Bytes) -> Double? {
        guard bytes.count < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text in
            for k in 0..<bytes.count { text[k] = CChar(bitPattern: byte(bytes, k)) }
            text[bytes.count] = 0
            errno = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(text.baseAddress!, &end)
            guard end == text.baseAddress! + bytes.count else { return nil }
            // ERANGE also flags exact subnormals (5e-324); only overflow to infinity and
            // underflow to zero lose the value.
            if errno == ERANGE && (value.isInfinite || value == 0) { return nil }
            return value
        }
    }

    // MARK: Booleans

    /// `true` or `false`, in any case.
    @inline(__always)
    static func boolean(_ bytes: Bytes) -> Bool? {
        if bytes.count == 4 {
            let word = bytes.loadUnaligned(as: UInt32.self) | 0x2020_2020
            return word == 0x6575_7274 ? true : nil  // "true"
        }
        if bytes.count == 5 {
            let word = bytes.loadUnaligned(as: UInt32.self) | 0x2020_2020
            return word == 0x736C_6166 && (byte(bytes, 4) | 0x20) == UInt8(ascii: "e") ? false : nil  // "fals" + "e"
        }
        return nil
    }

    // MARK: Dates and times

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    @inline(__always)
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    @inline(__always)
    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    @inline(__always)
    private static func twoDigits(_ bytes: Bytes, _ i: Int) -> Int? {
        let a = byte(bytes, i) &- 0x30, b = byte(bytes, i + 1) &- 0x30
        guard a < 10, b < 10 else { return nil }
        return Int(a) * 10 + Int(b)
    }

    /// The date at the start of `bytes` (`YYYY-MM-DD`), as days since the epoch.
    @inline(__always)
    private static func datePrefix(_ bytes: Bytes) -> Int? {
        guard bytes.count >= 10, byte(bytes, 4) == UInt8(ascii: "-"), byte(bytes, 7) == UInt8(ascii: "-"),
              let hi = twoDigits(bytes, 0), let lo = twoDigits(bytes, 2),
              let month = twoDigits(bytes, 5), let day = twoDigits(bytes, 8) else { return nil }
        let year = hi * 100 + lo
        guard month >= 1, month <= 12, day >= 1, day <= daysInMonth(year, month) else { return nil }
        return daysFromCivil(year, month, day)
    }

    /// `YYYY-MM-DD`, as days since 1970-01-01.
    @inline(__always)
    static func date(_ bytes: Bytes) -> Int32? {
        guard bytes.count == 10, let days = datePrefix(bytes) else { return nil }
        return Int32(days)
    }

    /// A parsed timestamp: seconds since the epoch (UTC when it had a zone) and the fraction of
    /// the second, and its shape.
    struct Timestamp {
        var seconds: Int64
        var nanoseconds: Int64
        var hasZone: Bool
        var fractionDigits: Int

        /// The value in microseconds or nanoseconds since the epoch; nil when it overflows Int64.
        @inline(__always)
        func value(nanosecondUnit: Bool) -> Int64? {
            let (scaled, overflow) = seconds.multipliedReportingOverflow(by: nanosecondUnit ? 1_000_000_000 : 1_000_000)
            guard !overflow else { return nil }
            let (sum, overflow2) = scaled.addingReportingOverflow(nanosecondUnit ? nanoseconds : nanoseconds / 1000)
            return overflow2 ? nil : sum
        }
    }

    /// `YYYY-MM-DD` `T`|space `HH:MM[:SS[.fraction]]` [`Z` | `±HH[:MM]` | `±HHMM`].
    static func timestamp(_ bytes: Bytes) -> Timestamp? {
        let n = bytes.count
        guard n >= 16, let days = datePrefix(bytes) else { return nil }
        let separator = byte(bytes, 10)
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "t"),
              let hour = twoDigits(bytes, 11), byte(bytes, 13) == UInt8(ascii: ":"), let minute = twoDigits(bytes, 14),
              hour < 24, minute < 60 else { return nil }
        var i = 16
        var second = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        if i < n && byte(bytes, i) == UInt8(ascii: ":") {
            guard i + 3 <= n, let s = twoDigits(bytes, i + 1), s < 60 else { return nil }
            second = s
            i += 3
            if i < n && byte(bytes, i) == UInt8(ascii: ".") {
                i += 1
                while i < n, isDigit(byte(bytes, i)) {
                    guard fractionDigits < 9 else { return nil }
                    fraction = fraction * 10 + Int64(byte(bytes, i) &- 0x30)
                    fractionDigits += 1
                    i += 1
                }
                guard fractionDigits > 0 else { return nil }
            }
        }
        for _ in fractionDigits..<9 { fraction *= 10 }
        var offsetSeconds = 0
        var hasZone = false
        if i < n {
            let z = byte(bytes, i)
            if z == UInt8(ascii: "Z") || z == UInt8(ascii: "z") {
                hasZone = true
                i += 1
            } else if z == UInt8(ascii: "+") || z == UInt8(ascii: "-") {
                guard i + 3 <= n, let hours = twoDigits(bytes, i + 1), hours < 24 else { return nil }
                var minutes = 0
                var next = i + 3
                if next < n && byte(bytes, next) == UInt8(ascii: ":") { next += 1 }
                if next < n {
                    guard next + 2 <= n, let m = twoDigits(bytes, next), m < 60 else { return nil }
                    minutes = m
                    next += 2
                }
                offsetSeconds = (hours * 3600 + minutes * 60) * (z == UInt8(ascii: "-") ? -1 : 1)
                hasZone = true
                i = next
            }
        }
        guard i == n else { return nil }
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Timestamp(seconds: seconds, nanoseconds: fraction, hasZone: hasZone, fractionDigits: fractionDigits)
    }
}

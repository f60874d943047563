/// Writes integers and scaled decimals as ASCII digits straight into a byte buffer.
///
/// Every `write` function stores at most the documented number of bytes at `out` (the caller has
/// reserved them) and returns how many it wrote. Nothing here allocates.
enum DecimalText {
    /// "00", "01", … "99", for writing two digits per division.
    @inline(__always)
    static var digitPairs: UnsafePointer<UInt8> {
        let pairs: StaticString = """
            0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
            5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
            """
        return pairs.utf8Start
    }

    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        case 18: 1_000_000_000_000_000_000
        default: 10_000_000_000_000_000_000
        }
    }

    /// Number of decimal digits of `value` (1 for zero).
    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        // Setting bit 0 never crosses a power of ten and makes zero count as one digit.
        let v = value | 1
        let estimate = ((64 &- v.leadingZeroBitCount) &* 1233) &>> 12
        return estimate &+ (v >= powerOfTen(estimate) ? 1 : 0)
    }

    /// Writes exactly `count` digits of `value`, which must have at most `count` digits, from the
    /// right, zero-padded on the left.
    @inline(__always)
    static func writeDigits(_ value: UInt64, count: Int, to out: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs
        var p = out + count
        var x = value
        var remaining = count
        while remaining >= 2 {
            let q = x / 100
            let r = Int(truncatingIfNeeded: x &- q &* 100) &<< 1
            p -= 2
            p[0] = pairs[r]
            p[1] = pairs[r &+ 1]
            x = q
            remaining &-= 2
        }
        if remaining == 1 {
            p -= 1
            p[0] = 0x30 &+ UInt8(truncatingIfNeeded: x % 10)
        }
    }

    /// Writes `value` in decimal; at most 20 bytes.
    @inline(__always)
    static func write(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let count = digitCount(value)
        writeDigits(value, count: count, to: out)
        return count
    }

    /// Writes `value` in decimal with a leading `-` when negative; at most 20 bytes.
    @inline(__always)
    static func write(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            return 1 &+ write(value.magnitude, to: out + 1)
        }
        return write(UInt64(bitPattern: value), to: out)
    }

    /// Writes `value` as two digits (it must be below 100).
    @inline(__always)
    static func write2(_ value: Int, to out: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs
        out[0] = pairs[value &<< 1]
        out[1] = pairs[(value &<< 1) &+ 1]
    }

    /// Most bytes `writeDecimal` writes for a value with `scale` fraction digits.
    static func maxDecimalByteCount(scale: Int) -> Int {
        // Sign, 78 digits (2^255 has 77), "0." and padding zeros, or trailing zeros for a negative scale.
        82 &+ Int(truncatingIfNeeded: scale.magnitude)
    }

    /// Writes a two's complement integer of 2 or 4 little-endian 64-bit words as a decimal number
    /// with `scale` fraction digits: `12.30`, `-0.05`, `0.00`, `123`.
    ///
    /// A negative scale (not allowed by Parquet, but representable) appends zeros.
    static func writeDecimal(
        words source: UnsafeRawPointer, wordCount: Int, scale: Int, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let w0 = source.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        let w1 = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        var w2: UInt64, w3: UInt64
        if wordCount == 4 {
            w2 = source.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian
            w3 = source.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian
        } else {
            // Sign-extend the 128-bit value.
            w2 = w1 &>> 63 == 0 ? 0 : ~0
            w3 = w2
        }
        var magnitude = UInt256Words(w0, w1, w2, w3)
        let negative = w3 &>> 63 != 0
        if negative { magnitude.negate() }

        var position = 0
        if negative {
            out[0] = UInt8(ascii: "-")
            position = 1
        }
        let digits = out + position
        let digitCount = magnitude.writeDecimal(to: digits)
        if scale <= 0 {
            let zeros = Int(truncatingIfNeeded: scale.magnitude)
            if zeros > 0 && !magnitude.isZero {
                (digits + digitCount).initialize(repeating: UInt8(ascii: "0"), count: zeros)
                return position &+ digitCount &+ zeros
            }
            return position &+ digitCount
        }
        if digitCount > scale {
            let integerDigits = digitCount &- scale
            UnsafeMutableRawPointer(digits + integerDigits + 1).copyMemory(from: digits + integerDigits, byteCount: scale)
            digits[integerDigits] = UInt8(ascii: ".")
            return position &+ digitCount &+ 1
        }
        // 0.00ddd: move the digits right past "0." and the padding zeros.
        let shift = 2 &+ scale &- digitCount
        UnsafeMutableRawPointer(digits + shift).copyMemory(from: digits, byteCount: digitCount)
        digits[0] = UInt8(ascii: "0")
        digits[1] = UInt8(ascii: ".")
        (digits + 2).initialize(repeating: UInt8(ascii: "0"), count: shift &- 2)
        return position &+ 2 &+ scale
    }
}

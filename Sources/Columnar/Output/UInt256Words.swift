/// A 256-bit unsigned integer as four little-endian words, just enough arithmetic to print it.
struct UInt256Words {
    var w0, w1, w2, w3: UInt64

    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    var isZero: Bool { w0 | w1 | w2 | w3 == 0 }

    /// Two's complement negation: invert and add one.
    mutating func negate() {
        var carry: Bool
        (w0, carry) = (~w0).addingReportingOverflow(1)
        (w1, carry) = (~w1).addingReportingOverflow(carry ? 1 : 0)
        (w2, carry) = (~w2).addingReportingOverflow(carry ? 1 : 0)
        w3 = ~w3 &+ (carry ? 1 : 0)
    }

    /// Divides in place by `divisor` and returns the remainder.
    mutating func divide(by divisor: UInt64) -> UInt64 {
        var remainder: UInt64 = 0
        (w3, remainder) = divisor.dividingFullWidth((high: remainder, low: w3))
        (w2, remainder) = divisor.dividingFullWidth((high: remainder, low: w2))
        (w1, remainder) = divisor.dividingFullWidth((high: remainder, low: w1))
        (w0, remainder) = divisor.dividingFullWidth((high: remainder, low: w0))
        return remainder
    }

    /// Writes the value in decimal (at most 78 digits) and returns the digit count.
    func writeDecimal(to out: UnsafeMutablePointer<UInt8>) -> Int {
        if w1 | w2 | w3 == 0 { return DecimalText.write(w0, to: out) }
        // Peel off 19-digit chunks (10^19 is the largest power of ten below 2^64) until the rest
        // fits in one word; at most 4 chunks for 2^256.
        let chunkDivisor: UInt64 = 10_000_000_000_000_000_000
        var rest = self
        var chunks: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var chunkCount = 0
        while rest.w1 | rest.w2 | rest.w3 != 0 {
            let chunk = rest.divide(by: chunkDivisor)
            switch chunkCount {
            case 0: chunks.0 = chunk
            case 1: chunks.1 = chunk
            case 2: chunks.2 = chunk
            default: chunks.3 = chunk
            }
            chunkCount += 1
        }
        var count = DecimalText.write(rest.w0, to: out)
        var index = chunkCount - 1
        while index >= 0 {
            let chunk: UInt64
            switch index {
            case 0: chunk = chunks.0
            case 1: chunk = chunks.1
            case 2: chunk = chunks.2
            default: chunk = chunks.3
            }
            DecimalText.writeDigits(chunk, count: 19, to: out + count)
            count += 19
            index -= 1
        }
        return count
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Columnar

/// Tracks the minimum, maximum and null count of a column chunk while it is written, in the
/// column's sort order, and produces the thrift `Statistics`.
///
/// Follows parquet.thrift's rules for `min_value`/`max_value`: NaN never becomes a bound (a chunk
/// of only NaN has none); a zero minimum is written as -0.0 and a zero maximum as +0.0, so that
/// readers that compare with either zero stay correct; byte arrays longer than the truncation
/// length are cut, the maximum rounded up, and marked inexact.
struct StatisticsAccumulator {
    let order: LeafWriteType.SortOrder
    let truncateLength: Int
    /// UTF-8 columns are truncated at character boundaries so their bounds stay valid text.
    let isText: Bool
    private(set) var nullCount: Int64 = 0
    /// PLAIN-encoded bounds (raw bytes for byte arrays).
    private(set) var minimum: [UInt8]?
    private(set) var maximum: [UInt8]?

    init(order: LeafWriteType.SortOrder, truncateLength: Int, isText: Bool) {
        self.order = order
        self.truncateLength = truncateLength
        self.isText = isText
    }

    mutating func addNulls(_ count: Int) { nullCount += Int64(count) }

    /// Folds the dense physical values of a batch into the bounds.
    mutating func add(_ values: PhysicalValues) {
        add(values, range: 0..<values.count)
    }

    /// Folds `values[range]` into the bounds.
    mutating func add(_ values: PhysicalValues, range: Range<Int>) {
        guard !range.isEmpty else { return }
        let first = range.lowerBound
        let count = range.count
        switch (order, values) {
        case (.undefined, _):
            return
        case (.boolean, .bits(let bits, _)):
            var sawTrue = false, sawFalse = false
            for i in range {
                if Bitmap.isSet(bits.baseAddress, i) { sawTrue = true } else { sawFalse = true }
                if sawTrue && sawFalse { break }
            }
            merge(min: [sawFalse ? 0 : 1], max: [sawTrue ? 1 : 0])
        case (.signed, .fixedWidth(let buffer, let width, _)):
            let base = buffer.baseAddress + first * width
            if width == 4 { fold(base, count, Int32.self) } else { fold(base, count, Int64.self) }
        case (.unsigned, .fixedWidth(let buffer, let width, _)):
            let base = buffer.baseAddress + first * width
            if width == 4 { fold(base, count, UInt32.self) } else { fold(base, count, UInt64.self) }
        case (.float, .fixedWidth(let buffer, _, _)):
            foldFloat(buffer.baseAddress + first * 4, count, Float.self)
        case (.double, .fixedWidth(let buffer, _, _)):
            foldFloat(buffer.baseAddress + first * 8, count, Double.self)
        case (.float16, .fixedWidth(let buffer, _, _)):
            foldFloat16(buffer.baseAddress + first * 2, count)
        case (.bytes, .variableWidth(let offsets, let data, _)):
            offsets.withUnsafeBufferPointer(as: Int32.self) { off in
                var low = first, high = first
                for i in range.dropFirst() {
                    if Self.compareBytes(data, off, i, low) < 0 { low = i }
                    if Self.compareBytes(data, off, i, high) > 0 { high = i }
                }
                let lowBytes = Array(UnsafeRawBufferPointer(start: data.baseAddress + Int(off[low]), count: Int(off[low + 1] - off[low])))
                let highBytes = Array(UnsafeRawBufferPointer(start: data.baseAddress + Int(off[high]), count: Int(off[high + 1] - off[high])))
                merge(min: lowBytes, max: highBytes)
            }
        case (.bytes, .fixedWidth(let buffer, let width, _)), (.signedBigEndian, .fixedWidth(let buffer, let width, _)):
            let signed = order == .signedBigEndian
            var low = first, high = first
            for i in range.dropFirst() {
                let a = UnsafeRawBufferPointer(start: buffer.baseAddress + i * width, count: width)
                if Self.compare(a, UnsafeRawBufferPointer(start: buffer.baseAddress + low * width, count: width), signed: signed) < 0 { low = i }
                if Self.compare(a, UnsafeRawBufferPointer(start: buffer.baseAddress + high * width, count: width), signed: signed) > 0 { high = i }
            }
            merge(min: Array(UnsafeRawBufferPointer(start: buffer.baseAddress + low * width, count: width)),
                  max: Array(UnsafeRawBufferPointer(start: buffer.baseAddress + high * width, count: width)))
        default:
            return
        }
    }

    private mutating func fold<T: FixedWidthInteger & BitwiseCopyable>(_ base: UnsafeRawPointer, _ count: Int, _: T.Type) {
        do {
            let values = UnsafeBufferPointer(start: base.assumingMemoryBound(to: T.self), count: count)
            var low = values[0], high = values[0]
            for i in 1..<count {
                let v = values[i]
                low = Swift.min(low, v)
                high = Swift.max(high, v)
            }
            merge(min: Self.bytes(of: low), max: Self.bytes(of: high))
        }
    }

    private mutating func foldFloat<T: BinaryFloatingPoint & BitwiseCopyable>(_ base: UnsafeRawPointer, _ count: Int, _: T.Type) {
        do {
            let values = UnsafeBufferPointer(start: base.assumingMemoryBound(to: T.self), count: count)
            var low = T.infinity, high = -T.infinity
            var any = false
            for i in 0..<count {
                let v = values[i]
                if v.isNaN { continue }
                any = true
                if v < low || (v == 0 && low == 0 && v.sign == .minus) { low = v }
                if v > high || (v == 0 && high == 0 && v.sign == .plus) { high = v }
            }
            guard any else { return }
            if low == 0 { low = -T(0) }
            if high == 0 { high = T(0) }
            merge(min: Self.bytes(of: low), max: Self.bytes(of: high))
        }
    }

    private mutating func foldFloat16(_ base: UnsafeRawPointer, _ count: Int) {
        do {
            let values = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt16.self), count: count)
            var low: Float = .infinity, high: Float = -.infinity
            var lowBits: UInt16 = 0, highBits: UInt16 = 0
            var any = false
            for i in 0..<count {
                let bits = values[i]
                let v = Float(Float16(bitPattern: bits))
                if v.isNaN { continue }
                if !any || v < low { low = v; lowBits = bits }
                if !any || v > high { high = v; highBits = bits }
                any = true
            }
            guard any else { return }
            if low == 0 { lowBits = 0x8000 }
            if high == 0 { highBits = 0x0000 }
            merge(min: Self.bytes(of: lowBits), max: Self.bytes(of: highBits))
        }
    }

    private static func bytes<T: BitwiseCopyable>(of value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    /// Merges a batch's bounds into the chunk's.
    private mutating func merge(min low: [UInt8], max high: [UInt8]) {
        if minimum == nil || compareEncoded(low, minimum!) < 0 { minimum = low }
        if maximum == nil || compareEncoded(high, maximum!) > 0 { maximum = high }
    }

    /// Compares two PLAIN-encoded values in the sort order.
    private func compareEncoded(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                switch order {
                case .signed:
                    return x.count == 4 ? Self.cmp(x.loadUnaligned(as: Int32.self), y.loadUnaligned(as: Int32.self))
                        : Self.cmp(x.loadUnaligned(as: Int64.self), y.loadUnaligned(as: Int64.self))
                case .unsigned:
                    return x.count == 4 ? Self.cmp(x.loadUnaligned(as: UInt32.self), y.loadUnaligned(as: UInt32.self))
                        : Self.cmp(x.loadUnaligned(as: UInt64.self), y.loadUnaligned(as: UInt64.self))
                case .float:
                    return Self.cmpFloat(x.loadUnaligned(as: Float.self), y.loadUnaligned(as: Float.self))
                case .double:
                    return Self.cmpFloat(x.loadUnaligned(as: Double.self), y.loadUnaligned(as: Double.self))
                case .float16:
                    return Self.cmpFloat(Float(Float16(bitPattern: x.loadUnaligned(as: UInt16.self))),
                                         Float(Float16(bitPattern: y.loadUnaligned(as: UInt16.self))))
                case .boolean:
                    return Self.cmp(x[0], y[0])
                case .bytes:
                    return Self.compare(x, y, signed: false)
                case .signedBigEndian:
                    return Self.compare(x, y, signed: true)
                case .undefined:
                    return 0
                }
            }
        }
    }

    private static func cmp<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }

    /// Orders -0.0 before +0.0 so that the sign rules above hold.
    private static func cmpFloat<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Int {
        if a == 0 && b == 0 { return cmp(a.sign == .minus ? 0 : 1, b.sign == .minus ? 0 : 1) }
        return cmp(a, b)
    }

    private static func compareBytes(_ data: Buffer, _ off: UnsafeBufferPointer<Int32>, _ i: Int, _ j: Int) -> Int {
        compare(UnsafeRawBufferPointer(start: data.baseAddress + Int(off[i]), count: Int(off[i + 1] - off[i])),
                UnsafeRawBufferPointer(start: data.baseAddress + Int(off[j]), count: Int(off[j + 1] - off[j])),
                signed: false)
    }

    /// Byte-wise comparison; `signed` compares the first byte as a signed value (big-endian
    /// two's complement of equal length).
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, signed: Bool) -> Int {
        let n = Swift.min(a.count, b.count)
        if signed && n > 0 && a[0] != b[0] {
            return cmp(Int8(bitPattern: a[0]), Int8(bitPattern: b[0]))
        }
        if n > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, n)
            if order != 0 { return order < 0 ? -1 : 1 }
        }
        return cmp(a.count, b.count)
    }

    /// The thrift statistics for the chunk.
    func statistics() -> Statistics {
        var stats = Statistics()
        stats.nullCount = nullCount
        guard var low = minimum, var high = maximum else { return stats }
        var exactMin = true, exactMax = true
        if order == .bytes && low.count > truncateLength {
            low = isText ? Self.truncatedText(low, length: truncateLength) : Array(low.prefix(truncateLength))
            exactMin = false
        }
        if order == .bytes && high.count > truncateLength {
            let rounded = isText ? Self.truncatedTextUpperBound(high, length: truncateLength)
                : Self.truncatedUpperBound(high, length: truncateLength)
            if let rounded {
                high = rounded
                exactMax = false
            }
        }
        stats.minValue = low
        stats.maxValue = high
        stats.isMinValueExact = exactMin
        stats.isMaxValueExact = exactMax
        if order == .signed || order == .float || order == .double || order == .boolean {
            // The deprecated fields, for readers that predate min_value/max_value; only valid
            // where the old signed comparison agrees with the type's order.
            stats.min = low
            stats.max = high
        }
        return stats
    }

    /// The shortest prefix of `value` (at most `length` bytes) incremented in its last byte that
    /// is not 0xFF: an upper bound of `value`. Nil when no such prefix exists (all 0xFF).
    static func truncatedUpperBound(_ value: [UInt8], length: Int) -> [UInt8]? {
        var prefix = Array(value.prefix(length))
        while let last = prefix.last {
            if last < 0xFF {
                prefix[prefix.count - 1] = last + 1
                return prefix
            }
            prefix.removeLast()
        }
        return nil
    }
}

extension StatisticsAccumulator {
    /// The longest prefix of UTF-8 `value` of at most `length` bytes that ends on a character
    /// boundary: a lower bound of `value`.
    static func truncatedText(_ value: [UInt8], length: Int) -> [UInt8] {
        var end = Swift.min(length, value.count)
        // Continuation bytes are 10xxxxxx; back up to the start of a character.
        while end > 0 && end < value.count && value[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(value[..<end])
    }

    /// A valid UTF-8 upper bound of `value` of at most `length` bytes: a character-aligned prefix
    /// whose last character is replaced by the next code point. Nil when there is none.
    static func truncatedTextUpperBound(_ value: [UInt8], length: Int) -> [UInt8]? {
        guard let text = String(validating: value, as: UTF8.self) else {
            return truncatedUpperBound(value, length: length)
        }
        var scalars: [Unicode.Scalar] = []
        var size = 0
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            if size + width > length { break }
            scalars.append(scalar)
            size += width
        }
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var result: [UInt8] = []
                for s in scalars { result.append(contentsOf: Array(String(Character(s)).utf8)) }
                return result.count <= length ? result : nil
            }
        }
        return nil
    }
}

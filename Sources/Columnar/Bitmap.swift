/// Helpers for LSB-first bitmaps (bit `i` is bit `i % 8` of byte `i / 8`), the layout of
/// validity masks and boolean values, as in Arrow.
public enum Bitmap {
    /// Bytes needed to hold `bitCount` bits.
    @inlinable
    public static func byteCount(forBits bitCount: Int) -> Int { (bitCount + 7) >> 3 }

    @inlinable
    public static func isSet(_ bytes: UnsafeRawPointer, _ index: Int) -> Bool {
        (bytes.load(fromByteOffset: index >> 3, as: UInt8.self) >> UInt8(index & 7)) & 1 != 0
    }

    @inlinable
    public static func set(_ bytes: UnsafeMutableRawPointer, _ index: Int) {
        let byte = bytes.load(fromByteOffset: index >> 3, as: UInt8.self)
        bytes.storeBytes(of: byte | (1 << UInt8(index & 7)), toByteOffset: index >> 3, as: UInt8.self)
    }

    @inlinable
    public static func clear(_ bytes: UnsafeMutableRawPointer, _ index: Int) {
        let byte = bytes.load(fromByteOffset: index >> 3, as: UInt8.self)
        bytes.storeBytes(of: byte & ~(1 << UInt8(index & 7)), toByteOffset: index >> 3, as: UInt8.self)
    }

    /// Number of set bits among the first `bitCount`.
    public static func countSetBits(_ bytes: UnsafeRawPointer, bitCount: Int) -> Int {
        var total = 0
        let words = bitCount >> 6
        for w in 0..<words {
            total += bytes.loadUnaligned(fromByteOffset: w << 3, as: UInt64.self).nonzeroBitCount
        }
        var i = words << 6
        while i < bitCount {
            if isSet(bytes, i) { total += 1 }
            i += 1
        }
        return total
    }

    /// A buffer with `bitCount` bits built from `bits`.
    public static func buffer(from bits: some Sequence<Bool>, count bitCount: Int) -> Buffer {
        Buffer(byteCount: byteCount(forBits: bitCount)) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            var i = 0
            for bit in bits where i < bitCount {
                if bit { set(raw.baseAddress!, i) }
                i += 1
            }
        }
    }
}

/// Builds a bitmap one bit at a time.
public struct BitmapBuilder: ~Copyable {
    @usableFromInline var bytes: BufferBuilder
    @usableFromInline var current: UInt8 = 0
    /// Number of bits appended.
    public var count = 0
    /// Number of set bits appended.
    public var setCount = 0

    public init(capacity: Int = 1024) {
        bytes = BufferBuilder(capacity: Bitmap.byteCount(forBits: capacity))
    }

    @inlinable
    public mutating func append(_ bit: Bool) {
        if bit {
            current |= 1 << UInt8(count & 7)
            setCount += 1
        }
        count += 1
        if count & 7 == 0 {
            bytes.append(current)
            current = 0
        }
    }

    public mutating func append(_ bit: Bool, count repeats: Int) {
        for _ in 0..<repeats { append(bit) }
    }

    /// Hands the bits over as a buffer and starts again empty.
    public mutating func take() -> Buffer {
        if count & 7 != 0 { bytes.append(current) }
        current = 0
        count = 0
        setCount = 0
        return bytes.take()
    }

    public consuming func finish() -> Buffer {
        if count & 7 != 0 { bytes.append(current) }
        return bytes.finish()
    }
}

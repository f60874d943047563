/// A read position in borrowed bytes with bounds-checked reads that throw `ParquetError.corrupt`.
///
/// The cursor does not own its bytes: whoever creates it keeps them alive while it is used. Decoders
/// check a whole batch against `remaining` once and then read through `pointer` directly.
struct ByteCursor {
    /// Start of the bytes (nil only when empty).
    let base: UnsafeRawPointer?
    /// Number of bytes.
    let count: Int
    /// Offset of the next byte to read, in `0...count`.
    var position: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress
        count = bytes.count
    }

    var remaining: Int { count &- position }
    var isAtEnd: Bool { position >= count }

    /// Address of the next byte; only valid to read when `remaining > 0`.
    var pointer: UnsafeRawPointer { base.unsafelyUnwrapped + position }

    /// The bytes from the current position to the end.
    var remainingBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { $0 + position }, count: remaining)
    }

    /// The bytes from `offset` (already checked to be in `0...count`) to the end.
    func bytes(from offset: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { $0 + offset }, count: count &- offset)
    }

    /// Throws unless at least `byteCount` bytes remain.
    @inline(__always)
    func require(_ byteCount: Int, _ what: @autoclosure () -> String) throws(ParquetError) {
        guard byteCount >= 0 && byteCount <= remaining else {
            throw .corrupt("\(what()): needs \(byteCount) bytes at offset \(position), \(remaining) left")
        }
    }

    @inline(__always)
    mutating func skip(_ byteCount: Int, _ what: @autoclosure () -> String = "data") throws(ParquetError) {
        try require(byteCount, what())
        position &+= byteCount
    }

    /// Returns the next `byteCount` bytes and moves past them.
    @inline(__always)
    mutating func readBytes(_ byteCount: Int, _ what: @autoclosure () -> String = "data") throws(ParquetError)
        -> UnsafeRawBufferPointer
    {
        try require(byteCount, what())
        let bytes = UnsafeRawBufferPointer(start: base.map { $0 + position }, count: byteCount)
        position &+= byteCount
        return bytes
    }

    @inline(__always)
    mutating func readByte(_ what: @autoclosure () -> String = "data") throws(ParquetError) -> UInt8 {
        guard position < count else { throw .corrupt("\(what()): unexpected end of data at offset \(position)") }
        let byte = base.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self)
        position &+= 1
        return byte
    }

    /// Reads a little-endian fixed-width integer.
    @inline(__always)
    mutating func readLittleEndian<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String = "data")
        throws(ParquetError) -> T
    {
        try require(MemoryLayout<T>.size, what())
        let value = T(littleEndian: base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: position, as: T.self))
        position &+= MemoryLayout<T>.size
        return value
    }

    /// Reads an unsigned LEB128 varint of at most 64 bits (10 bytes).
    @inline(__always)
    mutating func readULEB128(_ what: @autoclosure () -> String = "varint") throws(ParquetError) -> UInt64 {
        guard position < count else { throw .corrupt("\(what()): unexpected end of data at offset \(position)") }
        let first = base.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self)
        if first < 0x80 {
            position &+= 1
            return UInt64(first)
        }
        return try readULEB128Slow(what())
    }

    mutating func readULEB128Slow(_ what: String) throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < count else { throw .corrupt("\(what): truncated varint at offset \(position)") }
            let byte = base.unsafelyUnwrapped.load(fromByteOffset: position, as: UInt8.self)
            position &+= 1
            // The tenth byte may only carry the 64th bit.
            if shift == 63 && byte > 1 { throw .corrupt("\(what): varint overflows 64 bits at offset \(position - 1)") }
            result |= UInt64(byte & 0x7f) &<< shift
            if byte < 0x80 { return result }
            shift &+= 7
        }
    }

    /// Reads a zigzag-encoded ULEB128 varint.
    @inline(__always)
    mutating func readZigZag(_ what: @autoclosure () -> String = "varint") throws(ParquetError) -> Int64 {
        Varint.zigZagDecode(try readULEB128(what()))
    }
}

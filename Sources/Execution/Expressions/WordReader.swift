import Columnar

/// Reads an optional bitmap a 64-bit word at a time; a nil bitmap reads as all ones.
struct WordReader {
    /// Keeps the memory alive while the reader is used.
    let buffer: Buffer?
    let base: UnsafeRawPointer?
    let byteCount: Int

    init(_ buffer: Buffer?, count: Int) {
        self.buffer = buffer
        base = buffer.map { UnsafeRawPointer($0.baseAddress) }
        byteCount = min(buffer?.byteCount ?? 0, Bitmap.byteCount(forBits: count))
    }

    @inline(__always)
    subscript(_ w: Int) -> UInt64 {
        guard let base else { return ~0 }
        let offset = w &<< 3
        if offset &+ 8 <= byteCount { return base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        var word: UInt64 = 0
        var i = offset
        while i < byteCount {
            word |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &<< UInt64((i &- offset) &<< 3)
            i &+= 1
        }
        return word
    }
}

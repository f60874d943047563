import Columnar

/// A range of bytes inside a buffer that keeps the memory alive.
struct ByteRange: @unchecked Sendable {
    let buffer: Buffer
    let start: Int
    let count: Int

    init(_ buffer: Buffer, start: Int = 0, count: Int? = nil) {
        self.buffer = buffer
        self.start = start
        self.count = count ?? (buffer.byteCount - start)
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: buffer.baseAddress + start, count: count))
    }
}

/// A page of a column chunk with its body decompressed.
struct Page {
    let header: PageHeader
    /// File offset of the page header, for error messages.
    let fileOffset: Int
    /// Dictionary and v1 data pages: the whole decompressed body (levels, then values).
    /// V2 data pages: the decompressed values only.
    let body: ByteRange
    /// V2 data pages: the uncompressed repetition levels followed by the definition levels.
    let levels: ByteRange?

    var type: PageType { header.type }
}

/// Stands in for the base address of empty buffers: some C libraries reject NULL even with a
/// length of zero, and none of them touches memory they are told is zero bytes long.
nonisolated(unsafe) private let emptyBufferAddress = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16)

extension UnsafeRawBufferPointer {
    /// The start of the bytes as a C library wants it: never NULL, even for an empty buffer.
    @inline(__always)
    var cStart: UnsafeRawPointer { baseAddress.map(UnsafeRawPointer.init) ?? UnsafeRawPointer(emptyBufferAddress) }
}

extension UnsafeMutableRawBufferPointer {
    /// The start of the bytes as a C library wants it: never NULL, even for an empty buffer.
    @inline(__always)
    var cStart: UnsafeMutableRawPointer { baseAddress ?? emptyBufferAddress }
}

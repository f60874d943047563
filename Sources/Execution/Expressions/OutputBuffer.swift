import Columnar

/// Output memory for kernels: a buffer allocated up front and filled in place through its base
/// address before any column shares it.
///
/// Hot loops write through the pointer in the kernel itself rather than inside a closure passed
/// to `Buffer(byteCount:initializingWith:)`: that initializer is not inlinable, so a loop in its
/// closure would be compiled apart from the kernel and call the per-value operation through a
/// function pointer.
enum OutputBuffer {
    /// Large buffers come from `BufferPool`, so that their memory stays mapped between batches.
    static func allocate(byteCount: Int) -> Buffer {
        BufferPool.shared.buffer(byteCount: byteCount)
    }

    /// A buffer for `count` values of `T` and a pointer to write them.
    @inline(__always)
    static func allocate<T>(_ count: Int, of _: T.Type) -> (buffer: Buffer, values: UnsafeMutablePointer<T>) {
        let buffer = allocate(byteCount: count * MemoryLayout<T>.stride)
        return (buffer, buffer.baseAddress.assumingMemoryBound(to: T.self))
    }
}

/// An immutable, 64-byte aligned block of memory that backs column values, offsets and bitmaps.
///
/// Buffers are reference types so that batches, slices and dictionaries can share storage without
/// copying. The contents are written once, while the buffer is being built (see `BufferBuilder` and
/// `init(byteCount:initializingWith:)`), and never change afterwards, which makes sharing across
/// threads safe.
public final class Buffer: @unchecked Sendable {
    /// Start of the memory; valid for the lifetime of the buffer object.
    public let baseAddress: UnsafeMutableRawPointer
    /// Number of meaningful bytes.
    public let byteCount: Int
    /// Number of bytes allocated (at least `byteCount`).
    public let capacity: Int
    /// Gives the memory back to whoever lent it (a pool); nil frees it.
    private let release: (@Sendable (UnsafeMutableRawPointer, Int) -> Void)?

    public static let alignment = 64

    /// Takes ownership of memory allocated with `UnsafeMutableRawPointer.allocate(byteCount:alignment:)`
    /// using `Buffer.alignment`.
    init(owning pointer: UnsafeMutableRawPointer, byteCount: Int, capacity: Int) {
        self.baseAddress = pointer
        self.byteCount = byteCount
        self.capacity = capacity
        self.release = nil
    }

    /// Wraps memory lent by a pool: `release` gets the pointer and capacity back when the buffer
    /// is freed, instead of the memory being deallocated.
    public init(lent pointer: UnsafeMutableRawPointer, byteCount: Int, capacity: Int,
                release: @escaping @Sendable (UnsafeMutableRawPointer, Int) -> Void) {
        precondition(byteCount <= capacity, "more bytes than the memory holds")
        self.baseAddress = pointer
        self.byteCount = byteCount
        self.capacity = capacity
        self.release = release
    }

    /// Allocates `byteCount` bytes and lets `body` fill them.
    public convenience init(
        byteCount: Int, initializingWith body: (UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows {
        precondition(byteCount >= 0, "negative buffer size")
        let capacity = max(byteCount, 1)
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Buffer.alignment)
        do {
            try body(UnsafeMutableRawBufferPointer(start: pointer, count: byteCount))
        } catch {
            pointer.deallocate()
            throw error
        }
        self.init(owning: pointer, byteCount: byteCount, capacity: capacity)
    }

    /// A zero-filled buffer.
    public convenience init(zeroedByteCount byteCount: Int) {
        self.init(byteCount: byteCount) { $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }

    /// A buffer holding a copy of `values`' bytes.
    public convenience init<T: BitwiseCopyable>(copying values: some Collection<T>) {
        let count = values.count
        self.init(byteCount: count * MemoryLayout<T>.stride) { raw in
            let typed = raw.bindMemory(to: T.self)
            _ = typed.initialize(from: values)
        }
    }

    deinit {
        if let release { release(baseAddress, capacity) } else { baseAddress.deallocate() }
    }

    /// Calls `body` with the bytes; the pointer must not escape.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: baseAddress, count: byteCount))
    }

    /// Calls `body` with the bytes viewed as `T` values (`byteCount / stride` of them).
    @inlinable
    public func withUnsafeBufferPointer<T: BitwiseCopyable, R>(
        as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) rethrows -> R {
        let count = byteCount / MemoryLayout<T>.stride
        return try body(UnsafeBufferPointer(start: baseAddress.assumingMemoryBound(to: T.self), count: count))
    }

    /// Reads the `index`-th `T`. Bounds are checked; for hot loops use `withUnsafeBufferPointer`.
    @inlinable
    public func load<T: BitwiseCopyable>(_ index: Int, as type: T.Type) -> T {
        precondition(index >= 0 && (index + 1) * MemoryLayout<T>.stride <= byteCount, "buffer index out of range")
        return baseAddress.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
    }

    /// Returns an array copy of the contents viewed as `T` values.
    public func toArray<T: BitwiseCopyable>(of type: T.Type) -> [T] {
        withUnsafeBufferPointer(as: T.self) { Array($0) }
    }
}

extension Buffer: Equatable {
    /// Byte-wise equality of the meaningful bytes.
    public static func == (lhs: Buffer, rhs: Buffer) -> Bool {
        if lhs === rhs { return true }
        guard lhs.byteCount == rhs.byteCount else { return false }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in a.elementsEqual(b) } }
    }
}

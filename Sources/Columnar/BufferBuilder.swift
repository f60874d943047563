/// A growable, 64-byte aligned byte buffer that becomes an immutable `Buffer` when finished.
///
/// Used wherever the final size is not known up front: string data while decoding pages, values
/// while parsing CSV, encoded page bytes while writing. Appends are amortised O(1); the memory is
/// handed over to the `Buffer` without a copy.
public struct BufferBuilder: ~Copyable {
    @usableFromInline var pointer: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    /// Number of bytes written so far.
    public var count: Int
    /// Whether memory of `BufferPool.shared`'s sizes comes from and goes back to it.
    let pooled: Bool

    /// `pooled`: for builders of short-lived values (a scan's decoded batches), whose memory
    /// `BufferPool.shared` recycles once their buffers are freed.
    public init(capacity: Int = 64, pooled: Bool = false) {
        self.pooled = pooled
        (pointer, self.capacity) = Self.allocate(max(capacity, 64), pool: pooled ? .shared : nil)
        self.count = 0
    }

    private var pool: BufferPool? { pooled ? .shared : nil }

    deinit { Self.release(pointer, capacity: capacity, pool: pool) }

    private static func allocate(_ capacity: Int, pool: BufferPool?) -> (UnsafeMutableRawPointer, Int) {
        if let pool, capacity >= pool.minimumBytes { return pool.allocate(atLeast: capacity) }
        return (UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Buffer.alignment), capacity)
    }

    private static func release(_ pointer: UnsafeMutableRawPointer, capacity: Int, pool: BufferPool?) {
        if let pool, capacity >= pool.minimumBytes { pool.give(pointer, capacity: capacity) } else { pointer.deallocate() }
    }

    /// The memory written so far as a buffer, which frees it (or gives it back to the pool).
    private func buffer() -> Buffer {
        guard let pool, capacity >= pool.minimumBytes else { return Buffer(owning: pointer, byteCount: count, capacity: capacity) }
        return pool.lending(pointer, byteCount: count, capacity: capacity)
    }

    /// Start of the bytes written so far; valid until the next call that may grow the builder.
    @inlinable
    public var baseAddress: UnsafeMutableRawPointer { pointer }

    /// Makes room for at least `additional` more bytes.
    @inlinable
    public mutating func reserve(_ additional: Int) {
        if count + additional > capacity { grow(to: count + additional) }
    }

    @usableFromInline
    mutating func grow(to minimum: Int) {
        var newCapacity = capacity
        while newCapacity < minimum { newCapacity = newCapacity &* 2 }
        let (newPointer, allocated) = Self.allocate(newCapacity, pool: pool)
        newPointer.copyMemory(from: pointer, byteCount: count)
        Self.release(pointer, capacity: capacity, pool: pool)
        pointer = newPointer
        capacity = allocated
    }

    @inlinable
    public mutating func append<T: BitwiseCopyable>(_ value: T) {
        let size = MemoryLayout<T>.size
        if count + size > capacity { grow(to: count + size) }
        pointer.storeBytes(of: value, toByteOffset: count, as: T.self)
        count += size
    }

    @inlinable
    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (pointer + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// Appends `byteCount` bytes written by `body`, which receives exactly that much space and
    /// returns how many bytes it really wrote (at most `byteCount`).
    @inlinable
    public mutating func appendUninitialized(
        maxByteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows {
        reserve(maxByteCount)
        let written = try body(UnsafeMutableRawBufferPointer(start: pointer + count, count: maxByteCount))
        precondition(written >= 0 && written <= maxByteCount, "wrote more than reserved")
        count += written
    }

    /// Appends `byteCount` zero bytes.
    public mutating func appendZeros(_ byteCount: Int) {
        reserve(byteCount)
        (pointer + count).initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        count += byteCount
    }

    /// Overwrites bytes already written, at `offset`.
    @inlinable
    public mutating func store<T: BitwiseCopyable>(_ value: T, at offset: Int) {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= count, "store out of range")
        pointer.storeBytes(of: value, toByteOffset: offset, as: T.self)
    }

    /// Forgets the contents but keeps the memory.
    public mutating func removeAll() { count = 0 }

    /// The bytes written so far; the pointer must not escape.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    @inlinable
    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    /// Hands the contents over to an immutable `Buffer` without copying and starts again empty,
    /// with fresh memory of the same capacity.
    public mutating func take() -> Buffer {
        let buffer = buffer()
        (pointer, capacity) = Self.allocate(capacity, pool: pool)
        count = 0
        return buffer
    }

    /// Hands the memory over to an immutable `Buffer` without copying.
    public consuming func finish() -> Buffer {
        let buffer = buffer()
        discard self
        return buffer
    }
}

import Synchronization

/// Recycles the large memory of batches that live briefly: the values kernels compute, and the
/// file bytes, decompressed pages and decoded values of a Parquet scan.
///
/// A batch of 128Ki DECIMAL rows needs 2 MiB per computed or filtered column. Fresh from malloc,
/// such memory is mapped anew for every batch (the CLI serves 2 MiB and more with mmap, and glibc
/// returns smaller freed blocks at the top of a heap to the system): the kernel then zero-fills
/// every page on first touch, which cost about a tenth of TPC-H Q1's CPU time. Smaller blocks
/// fare little better: each scan thread's malloc arena fragments and grows to about twice what
/// it holds. The pool keeps freed blocks, whichever thread frees them, and hands them out again,
/// so a query cycles through a few batches' worth of memory that stays mapped.
///
/// Blocks come in power-of-two size classes from `minimumBytes` up; at most `limitBytes` of free
/// blocks are kept (more are freed), so the pool holds at most that much memory nobody uses.
public final class BufferPool: Sendable {
    public static let shared = BufferPool(minimumBytes: 1 << 17, limitBytes: 64 << 20)

    /// Smaller requests go to malloc, which recycles them well.
    let minimumBytes: Int
    private let state: Mutex<State>

    private struct State {
        /// Addresses of free blocks by size class (`1 << index` bytes); addresses rather than
        /// pointers, which are not `Sendable`.
        var free: [[UInt]] = Array(repeating: [], count: Int.bitWidth)
        var freeBytes = 0
        var limitBytes: Int
    }

    public init(minimumBytes: Int, limitBytes: Int) {
        self.minimumBytes = minimumBytes
        state = Mutex(State(limitBytes: limitBytes))
    }

    /// The most free memory the pool keeps.
    public var limitBytes: Int { state.withLock { $0.limitBytes } }

    /// Keeps at most `bytes` of free blocks from now on, freeing what is beyond it: a query
    /// with a small memory budget should not find much more held idle outside it.
    public func keepAtMost(_ bytes: Int) {
        let dropped = state.withLock { state -> [UInt] in
            state.limitBytes = max(0, bytes)
            var dropped: [UInt] = []
            for sizeClass in state.free.indices.reversed() {
                while state.freeBytes > state.limitBytes, let block = state.free[sizeClass].popLast() {
                    state.freeBytes -= 1 << sizeClass
                    dropped.append(block)
                }
            }
            return dropped
        }
        for block in dropped { UnsafeMutableRawPointer(bitPattern: block)!.deallocate() }
    }

    deinit {
        state.withLock { state in
            for blocks in state.free { for block in blocks { UnsafeMutableRawPointer(bitPattern: block)!.deallocate() } }
        }
    }

    /// A buffer of `byteCount` uninitialised bytes (64-byte aligned), to be filled before it is shared.
    public func buffer(byteCount: Int) -> Buffer {
        precondition(byteCount >= 0, "negative buffer size")
        guard byteCount >= minimumBytes else { return Buffer(byteCount: byteCount) { _ in } }
        let (block, capacity) = allocate(atLeast: byteCount)
        return lending(block, byteCount: byteCount, capacity: capacity)
    }

    /// The first `byteCount` bytes of a block from `allocate` as a buffer, which gives the block
    /// back when it is freed.
    func lending(_ block: UnsafeMutableRawPointer, byteCount: Int, capacity: Int) -> Buffer {
        Buffer(lent: block, byteCount: byteCount, capacity: capacity) { [self] block, capacity in
            give(block, capacity: capacity)
        }
    }

    /// A block of at least `byteCount` bytes (at least `minimumBytes`) and its capacity, for
    /// `give` to take back.
    func allocate(atLeast byteCount: Int) -> (block: UnsafeMutableRawPointer, capacity: Int) {
        let sizeClass = Int.bitWidth - (max(byteCount, minimumBytes) - 1).leadingZeroBitCount
        let capacity = 1 << sizeClass
        let recycled = state.withLock { state -> UInt? in
            guard let block = state.free[sizeClass].popLast() else { return nil }
            state.freeBytes -= capacity
            return block
        }
        let block = recycled.flatMap { UnsafeMutableRawPointer(bitPattern: $0) }
            ?? UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Buffer.alignment)
        return (block, capacity)
    }

    /// Free blocks held now, in bytes (for tests).
    public var freeBytes: Int { state.withLock { $0.freeBytes } }

    /// Takes back a block from `allocate`.
    func give(_ block: UnsafeMutableRawPointer, capacity: Int) {
        let sizeClass = capacity.trailingZeroBitCount
        let address = UInt(bitPattern: block)
        let kept = state.withLock { state -> Bool in
            guard state.freeBytes + capacity <= state.limitBytes else { return false }
            state.free[sizeClass].append(address)
            state.freeBytes += capacity
            return true
        }
        if !kept { block.deallocate() }
    }
}

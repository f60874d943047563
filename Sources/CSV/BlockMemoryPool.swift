import Dispatch

/// Recycles the large allocations of CSV blocks: their bytes and their field tables' arrays.
///
/// A conversion makes a block every few megabytes; asking malloc for fresh multi-megabyte buffers
/// each time fragments glibc's per-thread arenas, and over a long input that about doubled the
/// peak memory. With the pool, a conversion cycles through a few blocks' worth of memory.
final class BlockMemoryPool: @unchecked Sendable {
    private let lock = DispatchQueue(label: "sparrow.csv.pool")
    private var bytes: [(pointer: UnsafeMutableRawPointer, capacity: Int)] = []
    private var arrays: [FieldTable.Arrays] = []
    /// Entries of each kind kept for reuse; more are freed.
    let limit: Int

    init(limit: Int) { self.limit = limit }

    deinit {
        for entry in bytes { entry.pointer.deallocate() }
        for arrays in arrays { arrays.deallocate() }
    }

    /// Memory of at least `minimum` bytes: a recycled block when one is large enough.
    func takeBytes(minimum: Int) -> (pointer: UnsafeMutableRawPointer, capacity: Int) {
        let recycled = lock.sync { () -> (pointer: UnsafeMutableRawPointer, capacity: Int)? in
            guard let index = bytes.firstIndex(where: { $0.capacity >= minimum }) else { return nil }
            return bytes.remove(at: index)
        }
        if let recycled { return recycled }
        return (UnsafeMutableRawPointer.allocate(byteCount: minimum, alignment: 64), minimum)
    }

    func giveBytes(_ pointer: UnsafeMutableRawPointer, _ capacity: Int) {
        let kept = lock.sync { () -> Bool in
            guard bytes.count < limit else { return false }
            bytes.append((pointer, capacity))
            return true
        }
        if !kept { pointer.deallocate() }
    }

    func takeArrays() -> FieldTable.Arrays? {
        lock.sync { arrays.popLast() }
    }

    func giveArrays(_ arrays: FieldTable.Arrays) {
        let kept = lock.sync { () -> Bool in
            guard self.arrays.count < limit else { return false }
            self.arrays.append(arrays)
            return true
        }
        if !kept { arrays.deallocate() }
    }
}

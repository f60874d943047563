/// Growable, zero-initialised storage for per-group state: `count` elements of `elementWidth`
/// bytes in one allocation.
///
/// Kernels take a typed pointer once per batch (`pointer(as:)`) and index it by group id; growth
/// happens between batches, when new groups appear, so pointers never move under a loop.
final class StateArray {
    let elementWidth: Int
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity: Int

    init(elementWidth: Int, initialCapacity: Int = 16) {
        precondition(elementWidth > 0, "empty state elements")
        self.elementWidth = elementWidth
        self.capacity = max(initialCapacity, 1)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: capacity * elementWidth, alignment: 64)
    }

    deinit { base.deallocate() }

    /// Grows to `newCount` elements; the new ones are zero.
    func grow(to newCount: Int) {
        guard newCount > count else { return }
        if newCount > capacity {
            var newCapacity = capacity
            while newCapacity < newCount { newCapacity *= 2 }
            let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity * elementWidth, alignment: 64)
            newBase.copyMemory(from: base, byteCount: count * elementWidth)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
        (base + count * elementWidth).initializeMemory(as: UInt8.self, repeating: 0, count: (newCount - count) * elementWidth)
        count = newCount
    }

    @inline(__always)
    func pointer<T>(as type: T.Type) -> UnsafeMutablePointer<T> {
        base.assumingMemoryBound(to: T.self)
    }

    var memoryBytes: Int { capacity * elementWidth }
}

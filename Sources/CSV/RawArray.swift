/// A growable array over manually managed memory, for the tokenizer's output: appends without
/// Swift arrays' uniqueness checks, reads without bounds checks (indices come from the tokenizer
/// itself).
///
/// It is a value holding a pointer: the owner (`FieldTable`) frees it with `deallocate()`, and
/// code that appends to a copy must store the copy back, since growing moves the memory.
struct RawArray<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: capacity * 2) }
        base[count] = element
        count &+= 1
    }

    mutating func reserveCapacity(_ minimum: Int) {
        if minimum > capacity { grow(to: minimum) }
    }

    private mutating func grow(to newCapacity: Int) {
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Forgets the elements from `start` on.
    mutating func truncate(to start: Int) {
        count = min(count, start)
    }

    var last: Element? { count > 0 ? base[count - 1] : nil }
}

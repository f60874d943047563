/// A set of byte strings probed with bytes in place: no `Array` or reference count per lookup.
///
/// The members are stored back to back in one byte array; a short set is searched linearly
/// (length first), a longer one through an open-addressing table of member indices.
struct ByteStringSet: Sendable {
    /// The members' bytes, back to back.
    private let bytes: [UInt8]
    /// Member `k` is `bytes[starts[k] ..< starts[k + 1]]`.
    private let starts: [Int]
    /// Slot → member index + 1, 0 for empty; empty for a short set.
    private let slots: [Int32]
    private let mask: Int

    static let linearLimit = 8

    init(_ values: [[UInt8]]) {
        var unique: [[UInt8]] = []
        for value in values where !unique.contains(value) { unique.append(value) }
        bytes = unique.flatMap { $0 }
        var starts = [0]
        for value in unique { starts.append(starts.last! + value.count) }
        self.starts = starts
        guard unique.count > ByteStringSet.linearLimit else {
            slots = []
            mask = 0
            return
        }
        var capacity = 16
        while capacity < unique.count * 2 { capacity *= 2 }
        mask = capacity - 1
        var table = [Int32](repeating: 0, count: capacity)
        for (index, value) in unique.enumerated() {
            var slot = value.withUnsafeBufferPointer { ByteStringSet.hash($0.baseAddress, $0.count) } & (capacity - 1)
            while table[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            table[slot] = Int32(index + 1)
        }
        slots = table
    }

    /// FNV-1a.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        if let p {
            for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3 }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Calls `body` with a membership test that stays valid inside it (the storage pinned once).
    @inline(__always)
    func withMembership<R>(_ body: ((UnsafePointer<UInt8>, Int) -> Bool) -> R) -> R {
        bytes.withUnsafeBufferPointer { storage in
            starts.withUnsafeBufferPointer { starts in
                slots.withUnsafeBufferPointer { slots in
                    let base = storage.baseAddress ?? UnsafePointer(bitPattern: 1)!
                    let members = starts.count - 1
                    @inline(__always) func equal(_ k: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
                        let start = starts[k]
                        return starts[k + 1] - start == n && (n == 0 || ByteValues.compare(base + start, n, p, n) == 0)
                    }
                    if slots.isEmpty {
                        return body { p, n in
                            for k in 0..<members where equal(k, p, n) { return true }
                            return false
                        }
                    }
                    return body { p, n in
                        var slot = ByteStringSet.hash(p, n) & mask
                        while true {
                            let entry = Int(slots[slot])
                            if entry == 0 { return false }
                            if equal(entry - 1, p, n) { return true }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
    }
}

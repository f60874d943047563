import Columnar


/// A set of byte strings probed with bytes in place (no `Array` per lookup).
struct ByteStringSet: Sendable {
    private let storage: [[UInt8]]
    /// Open addressing: slot → index into `storage` + 1, 0 for empty.
    private let slots: [Int32]
    private let mask: Int

    init(_ values: [[UInt8]]) {
        let unique = Array(Set(values))
        storage = unique
        var capacity = 4
        while capacity < unique.count * 2 { capacity *= 2 }
        mask = capacity - 1
        var table = [Int32](repeating: 0, count: capacity)
        for (index, value) in unique.enumerated() {
            let h = value.withUnsafeBufferPointer { ByteStringSet.hash($0.baseAddress, $0.count) }
            var slot = h & (capacity - 1)
            while table[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            table[slot] = Int32(index + 1)
        }
        slots = table
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        if let p {
            for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3 }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    func contains(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var slot = ByteStringSet.hash(p, n) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return false }
            let candidate = storage[entry - 1]
            if candidate.count == n {
                let equal = candidate.withUnsafeBufferPointer { c in
                    n == 0 || ByteValues.compare(c.baseAddress!, n, p, n) == 0
                }
                if equal { return true }
            }
            slot = (slot + 1) & mask
        }
    }
}

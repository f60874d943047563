import Columnar
import Testing
@testable import Execution

struct KernelMemoryPoolTests {
    /// A freed block comes back for the next request of its size class, and the buffer reports
    /// the bytes asked for, not the block's size.
    @Test func recyclesBlocksBySizeClass() {
        let pool = KernelMemoryPool(minimumBytes: 1 << 10, limitBytes: 1 << 20)
        var first: Buffer? = pool.buffer(byteCount: 3000)
        let address = first!.baseAddress
        #expect(first!.byteCount == 3000)
        #expect(first!.capacity == 4096)
        #expect(Int(bitPattern: address) % Buffer.alignment == 0)
        first = nil
        #expect(pool.freeBytes == 4096)
        let second = pool.buffer(byteCount: 4096)
        #expect(second.baseAddress == address)
        #expect(pool.freeBytes == 0)
        // Another class does not take it.
        let other = pool.buffer(byteCount: 5000)
        #expect(other.capacity == 8192)
        #expect(other.baseAddress != address)
    }

    /// Small requests are plain allocations; free blocks beyond the limit are given back.
    @Test func smallRequestsAndTheLimit() {
        let pool = KernelMemoryPool(minimumBytes: 1 << 10, limitBytes: 10_000)
        do { _ = pool.buffer(byteCount: 1000) }
        #expect(pool.freeBytes == 0)
        do {
            let blocks = (0..<4).map { _ in pool.buffer(byteCount: 4096) }
            #expect(Set(blocks.map(\.baseAddress)).count == 4)
        }
        #expect(pool.freeBytes == 8192)
        do { _ = pool.buffer(byteCount: 0) }
        #expect(pool.freeBytes == 8192)
    }

    /// Buffers written and read from several threads while blocks cycle through the pool.
    @Test func concurrentUse() async {
        let pool = KernelMemoryPool(minimumBytes: 1 << 10, limitBytes: 1 << 16)
        let sums = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var total = 0
                    for round in 0..<200 {
                        let count = 512 + (round % 3) * 700
                        let buffer = pool.buffer(byteCount: count * 8)
                        let values = buffer.baseAddress.assumingMemoryBound(to: Int.self)
                        for i in 0..<count { values[i] = task &* 1000 &+ i }
                        for i in 0..<count where values[i] != task &* 1000 &+ i { total += 1 }
                    }
                    return total
                }
            }
            return await group.reduce(0, +)
        }
        #expect(sums == 0)
        #expect(pool.freeBytes <= 1 << 16)
    }
}

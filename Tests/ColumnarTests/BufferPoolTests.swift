@testable import Columnar
import Testing

struct BufferPoolTests {
    /// A freed block comes back for the next request of its size class, and the buffer reports
    /// the bytes asked for, not the block's size.
    @Test func recyclesBlocksBySizeClass() {
        let pool = BufferPool(minimumBytes: 1 << 10, limitBytes: 1 << 20)
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
        let pool = BufferPool(minimumBytes: 1 << 10, limitBytes: 10_000)
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
        let pool = BufferPool(minimumBytes: 1 << 10, limitBytes: 1 << 16)
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

    /// A pooled builder keeps its bytes through growing past the pool's smallest size, hands
    /// them over by `take` and `finish` in pool blocks, and starts again empty after `take`.
    @Test func pooledBuilderKeepsItsBytes() {
        let minimum = BufferPool.shared.minimumBytes
        var builder = BufferBuilder(capacity: 64, pooled: true)
        for i in 0..<(minimum / 4) { builder.append(UInt32(truncatingIfNeeded: i &* 2_654_435_761 >> 7)) }
        builder.append(UInt32(7))
        let taken = builder.take()
        #expect(taken.byteCount == minimum + 4)
        #expect(taken.capacity == 2 * minimum)  // a pool block: the next power of two
        #expect(taken.toArray(of: UInt32.self) == (0..<(minimum / 4)).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) } + [7])
        #expect(builder.count == 0)
        builder.append(contentsOf: [1, 2, 3] as [UInt8])
        let finished = builder.finish()
        #expect(finished.toArray(of: UInt8.self) == [1, 2, 3])
        #expect(finished.capacity == 2 * minimum)
    }

    /// Lowering the limit frees the free blocks beyond it, largest first, and later frees keep
    /// within it.
    @Test func keepAtMostFreesWhatIsBeyondTheLimit() {
        let pool = BufferPool(minimumBytes: 1 << 10, limitBytes: 1 << 20)
        do {
            let held = [4096, 4096, 16384, 1024].map { pool.buffer(byteCount: $0) }
            #expect(held.count == 4)
        }
        #expect(pool.freeBytes == 4096 + 4096 + 16384 + 1024)
        pool.keepAtMost(9000)
        #expect(pool.freeBytes == 4096 + 1024)
        #expect(pool.limitBytes == 9000)
        do { _ = pool.buffer(byteCount: 16384) }
        #expect(pool.freeBytes == 4096 + 1024)
        pool.keepAtMost(0)
        #expect(pool.freeBytes == 0)
    }
}

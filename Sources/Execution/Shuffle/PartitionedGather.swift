import Columnar

/// Copies a column's rows into partitions, the rows of partition `p` being
/// `order[starts[p] ..< starts[p + 1]]`: one column per partition.
///
/// Fixed-width values and dictionary indices without a validity bitmap go into one allocation
/// per column, partition after partition, each partition's part starting 64 bytes aligned (as
/// every `Buffer` does) and handed out as a buffer of its own that keeps the allocation alive:
/// one malloc instead of one per partition, sized exactly from the counts. Other columns are
/// gathered partition by partition.
enum PartitionedGather {
    static func gather(_ column: Column, order: UnsafePointer<Int32>, starts: UnsafePointer<Int>, count: Int) -> [Column] {
        if column.validity == nil {
            switch column.storage {
            case .fixedWidth(let data):
                if let width = column.type.byteWidth, [1, 2, 4, 8, 16].contains(width) {
                    return regions(data, width: width, order: order, starts: starts, count: count).enumerated().map { p, values in
                        Column(type: column.type, count: starts[p + 1] - starts[p], validity: nil, storage: .fixedWidth(values))
                    }
                }
            case .dictionary(let indices, let dictionary):
                return regions(indices, width: 4, order: order, starts: starts, count: count).enumerated().map { p, values in
                    Column(type: column.type, count: starts[p + 1] - starts[p], validity: nil,
                           storage: .dictionary(indices: values, dictionary: dictionary))
                }
            default:
                break
            }
        }
        // Kept by the shuffle: memory to size, not from the pool.
        return (0..<count).map { p in
            ColumnGather.gather(column, indices: UnsafeBufferPointer(start: order + starts[p], count: starts[p + 1] - starts[p]), pooled: false)
        }
    }

    /// `width`-byte values of `data` gathered into one allocation, a buffer per partition.
    private static func regions(_ data: Buffer, width: Int, order: UnsafePointer<Int32>, starts: UnsafePointer<Int>, count: Int) -> [Buffer] {
        let alignment = Buffer.alignment
        // Partition p's bytes are at regionStart(p) ..< regionStart(p) + its rows * width.
        var regionStarts = [Int](repeating: 0, count: count + 1)
        var total = 0
        for p in 0..<count {
            regionStarts[p] = total
            total += ((starts[p + 1] - starts[p]) * width + alignment - 1) / alignment * alignment
        }
        regionStarts[count] = total
        let whole = Buffer(byteCount: total) { raw in
            guard let base = raw.baseAddress else { return }
            for p in 0..<count {
                let rows = UnsafeBufferPointer(start: order + starts[p], count: starts[p + 1] - starts[p])
                let target = base + regionStarts[p]
                switch width {
                case 1: copy(data, UInt8.self, rows, into: target)
                case 2: copy(data, UInt16.self, rows, into: target)
                case 4: copy(data, UInt32.self, rows, into: target)
                case 8: copy(data, UInt64.self, rows, into: target)
                default: copy(data, UInt128.self, rows, into: target)
                }
            }
        }
        return (0..<count).map { p in
            Buffer(lent: whole.baseAddress + regionStarts[p], byteCount: (starts[p + 1] - starts[p]) * width,
                   capacity: regionStarts[p + 1] - regionStarts[p]) { _, _ in withExtendedLifetime(whole) {} }
        }
    }

    @inline(__always)
    private static func copy<T: BitwiseCopyable>(_ data: Buffer, _: T.Type, _ rows: UnsafeBufferPointer<Int32>,
                                                 into target: UnsafeMutableRawPointer) {
        let source = data.baseAddress.assumingMemoryBound(to: T.self)
        let out = target.assumingMemoryBound(to: T.self)
        for i in 0..<rows.count { out[i] = source[Int(rows[i])] }
    }
}

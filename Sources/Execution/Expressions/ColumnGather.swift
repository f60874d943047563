import Columnar

/// Gathers rows of a column by index, typed by value width, keeping dictionaries encoded.
enum ColumnGather {
    /// Rows `indices[0 ..< count]` of `column` (all indices in range).
    static func gather(_ column: Column, indices: Buffer, count: Int) -> Column {
        indices.withUnsafeBufferPointer(as: Int32.self) { idx in
            gather(column, indices: UnsafeBufferPointer(rebasing: idx[..<count]))
        }
    }

    /// Rows `indices` of `column` (all in range). `pooled`: the values' memory comes from
    /// `BufferPool` (for batches that live briefly); otherwise it is allocated to size, for
    /// columns kept long, such as a shuffle's output.
    static func gather(_ column: Column, indices idx: UnsafeBufferPointer<Int32>, pooled: Bool = true) -> Column {
        let count = idx.count
        let validity = column.validity.map { gatherBits($0, idx, count: count) }
        switch column.storage {
        case .fixedWidth(let data):
            let out: Buffer
            switch column.type.byteWidth! {
            case 1: out = gatherValues(data, UInt8.self, idx, count: count, pooled: pooled)
            case 2: out = gatherValues(data, UInt16.self, idx, count: count, pooled: pooled)
            case 4: out = gatherValues(data, UInt32.self, idx, count: count, pooled: pooled)
            case 8: out = gatherValues(data, UInt64.self, idx, count: count, pooled: pooled)
            case 16: out = gatherValues(data, UInt128.self, idx, count: count, pooled: pooled)
            default: return column.gather(indices: Buffer(copying: idx), count: count)
            }
            return Column(type: column.type, count: count, validity: validity, storage: .fixedWidth(out))
        case .bits(let bits):
            return Column(type: column.type, count: count, validity: validity, storage: .bits(gatherBits(bits, idx, count: count)))
        case .dictionary(let dictionaryIndices, let dictionary):
            // Indices of NULL rows may be out of range, but they are only copied, never followed.
            let out = gatherValues(dictionaryIndices, Int32.self, idx, count: count, pooled: pooled)
            return Column(type: column.type, count: count, validity: validity,
                          storage: .dictionary(indices: out, dictionary: dictionary))
        case .variableWidth(let offsets, let data):
            return gatherVariableWidth(column, offsets: offsets, data: data, idx, count: count, validity: validity)
        case .list, .structure:
            return column.gather(indices: Buffer(copying: idx), count: count)
        }
    }

    @inline(__always)
    static func gatherValues<T: BitwiseCopyable>(_ data: Buffer, _ type: T.Type, _ idx: UnsafeBufferPointer<Int32>, count: Int,
                                                 pooled: Bool = true) -> Buffer {
        let buffer = pooled ? OutputBuffer.allocate(byteCount: count * MemoryLayout<T>.stride)
            : Buffer(byteCount: count * MemoryLayout<T>.stride) { _ in }
        let dst = buffer.baseAddress.assumingMemoryBound(to: T.self)
        let src = data.baseAddress.assumingMemoryBound(to: T.self)
        for i in 0..<count { dst[i] = src[Int(idx[i])] }
        return buffer
    }

    static func gatherBits(_ bits: Buffer, _ idx: UnsafeBufferPointer<Int32>, count: Int) -> Buffer {
        let source = bits.baseAddress
        return BitWords.make(count: count) { i in Bitmap.isSet(source, Int(idx[i])) }
    }

    private static func gatherVariableWidth(
        _ column: Column, offsets: Buffer, data: Buffer, _ idx: UnsafeBufferPointer<Int32>, count: Int, validity: Buffer?
    ) -> Column {
        offsets.withUnsafeBufferPointer(as: Int32.self) { off in
            let newOffsets = Buffer(byteCount: (count + 1) * 4) { raw in
                let o = raw.bindMemory(to: Int32.self)
                var position = 0
                o[0] = 0
                for i in 0..<count {
                    let j = Int(idx[i])
                    position &+= Int(off[j &+ 1] &- off[j])
                    o[i &+ 1] = Int32(truncatingIfNeeded: position)
                }
                precondition(position <= Int(Int32.max), "gathered strings exceed 2 GiB")
            }
            let total = Int(newOffsets.load(count, as: Int32.self))
            let newData = Buffer(byteCount: total) { raw in
                guard total > 0 else { return }
                let dst = raw.baseAddress!
                let src = data.baseAddress
                var position = 0
                for i in 0..<count {
                    let j = Int(idx[i])
                    let start = Int(off[j]), length = Int(off[j &+ 1] &- off[j])
                    if length > 0 { (dst + position).copyMemory(from: src + start, byteCount: length) }
                    position &+= length
                }
            }
            return Column(type: column.type, count: count, validity: validity,
                          storage: .variableWidth(offsets: newOffsets, data: newData))
        }
    }
}

import Columnar

/// Keeps the rows of a batch where a predicate holds.
public enum BatchFilter {
    /// The rows of `batch` where `predicate` (a boolean column) is true (NULL counts as false).
    ///
    /// Dictionary-encoded columns stay encoded (only their indices are filtered); a predicate
    /// that keeps every row returns the batch itself.
    public static func apply(_ predicate: Column, to batch: RecordBatch) -> RecordBatch {
        precondition(predicate.count == batch.rowCount, "predicate has \(predicate.count) rows, batch \(batch.rowCount)")
        let mask = BitWords.trueMask(predicate)
        let setCount = BitWords.popCount(mask, count: batch.rowCount)
        if setCount == batch.rowCount { return batch }
        return select(batch, mask: mask, setCount: setCount)
    }

    /// The rows whose bit is set in `mask` (`setCount` of them).
    static func select(_ batch: RecordBatch, mask: Buffer, setCount: Int) -> RecordBatch {
        let count = batch.rowCount
        var positions: Buffer? = nil
        let columns = batch.columns.map { column -> Column in
            if let compacted = ColumnCompaction.compact(column, mask: mask, count: count, setCount: setCount) { return compacted }
            if positions == nil { positions = BitWords.setPositions(mask, count: count, setCount: setCount) }
            return ColumnGather.gather(column, indices: positions!, count: setCount)
        }
        return RecordBatch(schema: batch.schema, columns: columns, rowCount: setCount)
    }
}

/// Keeps the rows of fixed-width and boolean columns whose mask bit is set, a 64-bit word of
/// the mask at a time: whole words of kept rows are copied as a block, others row by row.
enum ColumnCompaction {
    /// The compacted column, or nil for storage this does not handle (variable width, nested).
    static func compact(_ column: Column, mask: Buffer, count: Int, setCount: Int) -> Column? {
        let reader = WordReader(mask, count: count)
        let validity = column.validity.map { compactBits($0, reader, count: count, setCount: setCount) }
        switch column.storage {
        case .fixedWidth(let data):
            let values: Buffer
            switch column.type.byteWidth! {
            case 1: values = compactValues(data, UInt8.self, reader, count: count, setCount: setCount)
            case 2: values = compactValues(data, UInt16.self, reader, count: count, setCount: setCount)
            case 4: values = compactValues(data, UInt32.self, reader, count: count, setCount: setCount)
            case 8: values = compactValues(data, UInt64.self, reader, count: count, setCount: setCount)
            case 16: values = compactValues(data, UInt128.self, reader, count: count, setCount: setCount)
            default: return nil
            }
            return Column(type: column.type, count: setCount, validity: validity, storage: .fixedWidth(values))
        case .bits(let bits):
            return Column(type: column.type, count: setCount, validity: validity,
                          storage: .bits(compactBits(bits, reader, count: count, setCount: setCount)))
        case .dictionary(let indices, let dictionary):
            return Column(type: column.type, count: setCount, validity: validity,
                          storage: .dictionary(indices: compactValues(indices, Int32.self, reader, count: count, setCount: setCount),
                                               dictionary: dictionary))
        default:
            return nil
        }
    }

    @inline(__always)
    static func compactValues<T>(_ data: Buffer, _: T.Type, _ mask: WordReader, count: Int, setCount: Int) -> Buffer {
        let (buffer, out) = OutputBuffer.allocate(setCount, of: T.self)
        let source = data.baseAddress.assumingMemoryBound(to: T.self)
        var next = 0
        let words = BitWords.wordCount(count)
        for w in 0..<words {
            var word = mask[w]
            if w == words - 1 && count & 63 != 0 { word &= BitWords.lowMask(count & 63) }
            let base = w << 6
            if word == ~0 {
                (out + next).update(from: source + base, count: 64)
                next &+= 64
                continue
            }
            // Runs of kept rows: one copy loop per run rather than one bit scan per row.
            while word != 0 {
                let start = word.trailingZeroBitCount
                let length = (~(word >> UInt64(start))).trailingZeroBitCount
                let from = source + (base &+ start)
                for k in 0..<length { out[next &+ k] = from[k] }
                next &+= length
                let end = start &+ length
                word = end >= 64 ? 0 : word & ~((1 &<< UInt64(end)) &- 1)
            }
        }
        return buffer
    }

    /// The bits of `bits` at the set positions of the mask, packed.
    static func compactBits(_ bits: Buffer, _ mask: WordReader, count: Int, setCount: Int) -> Buffer {
        let source = WordReader(bits, count: count)
        let outWords = BitWords.wordCount(setCount)
        let (buffer, out) = OutputBuffer.allocate(outWords + 1, of: UInt64.self)
        out.initialize(repeating: 0, count: outWords + 1)
        var position = 0
        let words = BitWords.wordCount(count)
        for w in 0..<words {
            var word = mask[w]
            if w == words - 1 && count & 63 != 0 { word &= BitWords.lowMask(count & 63) }
            if word == 0 { continue }
            let value = source[w]
            var packed: UInt64
            var length: Int
            if word == ~0 {
                packed = value
                length = 64
            } else {
                packed = 0
                length = 0
                while word != 0 {
                    packed |= ((value >> UInt64(word.trailingZeroBitCount)) & 1) << UInt64(length)
                    length &+= 1
                    word &= word &- 1
                }
            }
            let shift = position & 63, index = position >> 6
            out[index] |= packed << UInt64(shift)
            if shift != 0 && shift + length > 64 { out[index + 1] |= packed >> UInt64(64 - shift) }
            position &+= length
        }
        return buffer
    }
}

/// Gathers rows of a column by index, typed by value width, keeping dictionaries encoded.
enum ColumnGather {
    /// Rows `indices[0 ..< count]` of `column` (all indices in range).
    static func gather(_ column: Column, indices: Buffer, count: Int) -> Column {
        indices.withUnsafeBufferPointer(as: Int32.self) { idx in
            let validity = column.validity.map { gatherBits($0, idx, count: count) }
            switch column.storage {
            case .fixedWidth(let data):
                let out: Buffer
                switch column.type.byteWidth! {
                case 1: out = gatherValues(data, UInt8.self, idx, count: count)
                case 2: out = gatherValues(data, UInt16.self, idx, count: count)
                case 4: out = gatherValues(data, UInt32.self, idx, count: count)
                case 8: out = gatherValues(data, UInt64.self, idx, count: count)
                case 16: out = gatherValues(data, UInt128.self, idx, count: count)
                default: return column.gather(indices: indices, count: count)
                }
                return Column(type: column.type, count: count, validity: validity, storage: .fixedWidth(out))
            case .bits(let bits):
                return Column(type: column.type, count: count, validity: validity, storage: .bits(gatherBits(bits, idx, count: count)))
            case .dictionary(let dictionaryIndices, let dictionary):
                // Indices of NULL rows may be out of range, but they are only copied, never followed.
                let out = gatherValues(dictionaryIndices, Int32.self, idx, count: count)
                return Column(type: column.type, count: count, validity: validity,
                              storage: .dictionary(indices: out, dictionary: dictionary))
            case .variableWidth(let offsets, let data):
                return gatherVariableWidth(column, offsets: offsets, data: data, idx, count: count, validity: validity)
            case .list, .structure:
                return column.gather(indices: indices, count: count)
            }
        }
    }

    @inline(__always)
    static func gatherValues<T: BitwiseCopyable>(_ data: Buffer, _ type: T.Type, _ idx: UnsafeBufferPointer<Int32>, count: Int) -> Buffer {
        let (buffer, dst) = OutputBuffer.allocate(count, of: T.self)
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

/// Spreads the values computed for a subset of rows back over all rows.
enum ColumnScatter {
    /// A column of `count` rows whose rows set in `mask` take the values of `dense` in order
    /// (there are `setCount` of them, `dense.count`); the other rows are NULL.
    static func scatter(_ dense: Column, mask: Buffer, setCount: Int, count: Int) -> Column {
        precondition(dense.count == setCount, "dense values do not match the mask")
        let spread = dense.spread(validity: mask, count: count, nullCount: count - setCount)
        guard let denseValidity = dense.validity else { return spread }
        let maskBits = mask.baseAddress, denseBits = denseValidity.baseAddress
        var next = 0
        let validity = BitWords.make(count: count) { i in
            guard Bitmap.isSet(maskBits, i) else { return false }
            defer { next &+= 1 }
            return Bitmap.isSet(denseBits, next)
        }
        return Column(type: spread.type, count: count, validity: validity, storage: spread.storage)
    }
}

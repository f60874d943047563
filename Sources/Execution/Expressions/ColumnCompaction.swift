import Columnar

/// Keeps the rows of fixed-width and boolean columns whose mask bit is set, a 64-bit word of
/// the mask at a time: whole words of kept rows are copied as a block, others run by run or
/// row by row (`compactValues`).
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

    /// Each 64-row word of the mask is copied the cheapest way for its pattern: a word of kept
    /// rows as one block; a few runs of kept rows (a selective filter's usual word, or a
    /// filter that keeps almost everything) run by run; scattered rows one by one when few are
    /// kept, and otherwise all 64 unconditionally, each store advancing the output by its bit
    /// (no branch to mispredict on a mask of mixed bits, where a run-by-run copy was 3.5 times
    /// slower at half the rows kept).
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
            } else if word == 0 {
                continue
            } else if (word & ~(word << 1)).nonzeroBitCount <= 4 {
                // Runs: one copy loop per run rather than one bit scan per row.
                while word != 0 {
                    let start = word.trailingZeroBitCount
                    let length = (~(word >> UInt64(start))).trailingZeroBitCount
                    let from = source + (base &+ start)
                    for k in 0..<length { out[next &+ k] = from[k] }
                    next &+= length
                    let end = start &+ length
                    word = end >= 64 ? 0 : word & ~((1 &<< UInt64(end)) &- 1)
                }
            } else if word.nonzeroBitCount < 24 || base &+ 64 > count || next &+ 64 > setCount {
                while word != 0 {
                    out[next] = source[base &+ word.trailingZeroBitCount]
                    next &+= 1
                    word &= word &- 1
                }
            } else {
                // Reads 64 source rows and stores up to 64 slots past `next`: both checked above
                // (a store past a kept row is overwritten by the next kept one).
                for k in 0..<64 {
                    out[next] = source[base &+ k]
                    next &+= Int(truncatingIfNeeded: (word >> UInt64(k)) & 1)
                }
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

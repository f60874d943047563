import Columnar

/// Per-row choice between two columns of one type.
enum ColumnSelect {
    /// Row `i` of `whenSet` where bit `i` of `mask` is set, else row `i` of `otherwise`; both
    /// plain and `count` rows long.
    static func select(_ mask: Buffer, _ whenSet: Column, _ otherwise: Column) -> Column {
        let count = otherwise.count
        precondition(whenSet.count == count, "select of columns of different lengths")
        let a = whenSet.materialized(), b = otherwise.materialized()
        let rm = WordReader(mask, count: count)
        var validity: Buffer? = nil
        if a.validity != nil || b.validity != nil {
            let ra = WordReader(a.validity, count: count), rb = WordReader(b.validity, count: count)
            validity = BitWords.makeWords(count: count) { w in (rm[w] & ra[w]) | (~rm[w] & rb[w]) }
        }
        let storage: Column.Storage
        switch (a.storage, b.storage) {
        case (.fixedWidth(let x), .fixedWidth(let y)):
            let values: Buffer
            switch b.type.byteWidth! {
            case 1: values = blend(rm, x, y, UInt8.self, count)
            case 2: values = blend(rm, x, y, UInt16.self, count)
            case 4: values = blend(rm, x, y, UInt32.self, count)
            case 8: values = blend(rm, x, y, UInt64.self, count)
            case 16: values = blend(rm, x, y, UInt128.self, count)
            default:
                let width = b.type.byteWidth!
                values = Buffer(byteCount: count * width) { raw in
                    for i in 0..<count {
                        let source = (rm[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? x : y
                        (raw.baseAddress! + i * width).copyMemory(from: source.baseAddress + i * width, byteCount: width)
                    }
                }
            }
            storage = .fixedWidth(values)
        case (.bits(let x), .bits(let y)):
            let rx = WordReader(x, count: count), ry = WordReader(y, count: count)
            storage = .bits(BitWords.makeWords(count: count) { w in (rm[w] & rx[w]) | (~rm[w] & ry[w]) })
        case (.variableWidth, .variableWidth):
            let ra = ByteValues.Reader(a), rb = ByteValues.Reader(b)
            let offsets = Buffer(byteCount: (count + 1) * 4) { raw in
                let o = raw.bindMemory(to: Int32.self)
                var total = 0
                o[0] = 0
                for i in 0..<count {
                    total &+= (rm[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? ra[i].count : rb[i].count
                    o[i + 1] = Int32(truncatingIfNeeded: total)
                }
                precondition(total <= Int(Int32.max), "strings exceed 2 GiB")
            }
            let total = Int(offsets.load(count, as: Int32.self))
            let data = Buffer(byteCount: total) { raw in
                var position = 0
                for i in 0..<count {
                    let (p, n) = (rm[i >> 6] >> UInt64(i & 63)) & 1 != 0 ? ra[i] : rb[i]
                    if n > 0 { (raw.baseAddress! + position).copyMemory(from: p, byteCount: n) }
                    position &+= n
                }
            }
            storage = .variableWidth(offsets: offsets, data: data)
        default:
            preconditionFailure("select of \(a.type) and \(b.type)")
        }
        return Column(type: b.type, count: count, validity: validity, storage: storage)
    }

    @inline(__always)
    private static func blend<T: BitwiseCopyable>(_ mask: WordReader, _ x: Buffer, _ y: Buffer, _: T.Type, _ count: Int) -> Buffer {
        let px = x.baseAddress.assumingMemoryBound(to: T.self), py = y.baseAddress.assumingMemoryBound(to: T.self)
        let (buffer, out) = OutputBuffer.allocate(count, of: T.self)
        var i = 0
        for w in 0..<BitWords.wordCount(count) {
            let word = mask[w]
            let end = min(count, i + 64)
            var bit: UInt64 = 1
            while i < end {
                out[i] = word & bit != 0 ? px[i] : py[i]
                bit &<<= 1
                i &+= 1
            }
        }
        return buffer
    }
}

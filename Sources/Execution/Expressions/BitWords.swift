import Columnar

/// Bitmaps (validity masks and boolean values) processed 64 bits at a time.
///
/// Bitmaps made here are rounded up to whole 64-bit words so that kernels can store words;
/// bitmaps from elsewhere may end mid-word, so reads go through `WordReader`, which loads the
/// last partial word byte by byte. Bits past `count` are unspecified everywhere.
enum BitWords {
    @inline(__always)
    static func wordCount(_ bitCount: Int) -> Int { (bitCount &+ 63) >> 6 }

    /// A bitmap of `count` bits, all `bit`.
    static func filled(_ bit: Bool, count: Int) -> Buffer {
        Buffer(byteCount: wordCount(count) * 8) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: bit ? 0xFF : 0)
        }
    }

    /// A bitmap whose bit `i` is `predicate(i)`, built a word at a time (the predicate is
    /// inlined into the loop).
    @inline(__always)
    static func make(count: Int, _ predicate: (Int) -> Bool) -> Buffer {
        let (buffer, words) = OutputBuffer.allocate(wordCount(count), of: UInt64.self)
        let full = count >> 6
        var w = 0
        while w < full {
            let base = w << 6
            var word: UInt64 = 0
            for j in 0..<64 {
                word |= (predicate(base &+ j) ? 1 : 0) &<< UInt64(j)
            }
            words[w] = word
            w &+= 1
        }
        let rest = count & 63
        if rest != 0 {
            let base = full << 6
            var word: UInt64 = 0
            for j in 0..<rest {
                word |= (predicate(base &+ j) ? 1 : 0) &<< UInt64(j)
            }
            words[full] = word
        }
        return buffer
    }

    /// A bitmap built word by word: `word(w)` gives bits `64w ..< 64w+64`.
    @inline(__always)
    static func makeWords(count: Int, _ word: (Int) -> UInt64) -> Buffer {
        let n = wordCount(count)
        let (buffer, words) = OutputBuffer.allocate(n, of: UInt64.self)
        for w in 0..<n { words[w] = word(w) }
        return buffer
    }

    /// `a AND b` of two optional validity masks (nil means all valid); shares a mask when the
    /// other is nil.
    static func and(_ a: Buffer?, _ b: Buffer?, count: Int) -> Buffer? {
        guard let a else { return b }
        guard let b else { return a }
        let ra = WordReader(a, count: count), rb = WordReader(b, count: count)
        return makeWords(count: count) { ra[$0] & rb[$0] }
    }

    /// The AND of several optional masks.
    static func and(_ masks: [Buffer?], count: Int) -> Buffer? {
        var result: Buffer? = nil
        for mask in masks { result = and(result, mask, count: count) }
        return result
    }

    /// The mask of rows that are valid and true in a boolean column.
    static func trueMask(_ column: Column) -> Buffer {
        let plain = column.materialized()
        guard case .bits(let bits) = plain.storage else { preconditionFailure("not a boolean column") }
        guard let validity = plain.validity else { return bits }
        let rb = WordReader(bits, count: plain.count), rv = WordReader(validity, count: plain.count)
        return makeWords(count: plain.count) { rb[$0] & rv[$0] }
    }

    /// Number of set bits among the first `count`.
    static func popCount(_ buffer: Buffer, count: Int) -> Int {
        let reader = WordReader(buffer, count: count)
        var total = 0
        let full = count >> 6
        for w in 0..<full { total &+= reader[w].nonzeroBitCount }
        if count & 63 != 0 { total &+= (reader[full] & lowMask(count & 63)).nonzeroBitCount }
        return total
    }

    /// The low `bits` bits set (`bits` in 1...64).
    @inline(__always)
    static func lowMask(_ bits: Int) -> UInt64 { bits >= 64 ? ~0 : (1 &<< UInt64(bits)) &- 1 }

    /// The positions of the set bits among the first `count`, in order, as `Int32` indices.
    static func setPositions(_ mask: Buffer, count: Int, setCount: Int) -> Buffer {
        let reader = WordReader(mask, count: count)
        let (buffer, out) = OutputBuffer.allocate(setCount, of: Int32.self)
        var next = 0
        let n = wordCount(count)
        for w in 0..<n {
            var word = reader[w]
            if w == n - 1 && count & 63 != 0 { word &= lowMask(count & 63) }
            let base = Int32(truncatingIfNeeded: w << 6)
            while word != 0 {
                out[next] = base &+ Int32(truncatingIfNeeded: word.trailingZeroBitCount)
                next &+= 1
                word &= word &- 1
            }
        }
        return buffer
    }
}

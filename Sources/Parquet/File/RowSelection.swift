import Columnar

/// Which rows of a batch to keep: a bitmap of `count` bits (LSB first, as Arrow validity), of
/// which `setCount` are set.
///
/// The caller of `BatchReader.column(_:selection:)` decodes the columns of a filter first,
/// evaluates it, and passes the result here, so the other columns are decoded for the kept rows
/// only (late materialization). The Parquet module does not know what the filter was.
public struct RowSelection: @unchecked Sendable {
    public let mask: Buffer
    public let count: Int
    public let setCount: Int
    /// The kept rows as ascending `Int32` positions, found once for all the columns of a batch.
    let positions: Buffer

    /// `mask` must hold at least `count` bits, `setCount` of them set; bits past `count` are ignored.
    public init(mask: Buffer, count: Int, setCount: Int) {
        precondition(mask.byteCount >= Bitmap.byteCount(forBits: count), "a selection of \(count) rows needs \(Bitmap.byteCount(forBits: count)) mask bytes")
        precondition(setCount >= 0 && setCount <= count, "\(setCount) selected rows of \(count)")
        self.mask = mask
        self.count = count
        self.setCount = setCount
        positions = Buffer(byteCount: setCount * MemoryLayout<Int32>.size) { raw in
            guard setCount > 0 else { return }
            let written = Self.setPositions(of: mask, in: 0..<count, into: raw.bindMemory(to: Int32.self).baseAddress!)
            precondition(written == setCount, "the mask has \(written) set bits, not \(setCount)")
        }
    }

    /// Writes the positions of the set bits in `range`, relative to `range.lowerBound`, to
    /// `output` in ascending order and returns how many there were. `output` must have room for
    /// every set bit of the range.
    func setPositions(in range: Range<Int>, into output: UnsafeMutablePointer<Int32>) -> Int {
        Self.setPositions(of: mask, in: range, into: output)
    }

    private static func setPositions(of mask: Buffer, in range: Range<Int>, into output: UnsafeMutablePointer<Int32>) -> Int {
        let bits = UnsafeRawPointer(mask.baseAddress)
        var written = 0
        var bit = range.lowerBound
        let end = range.upperBound
        while bit < end {
            // Up to 64 bits starting at `bit`, read a byte at a time at the edges of the mask.
            let take = min(64, end &- bit)
            var word = loadBits(bits, from: bit, count: take, maskBytes: mask.byteCount)
            let base = bit &- range.lowerBound
            while word != 0 {
                output[written] = Int32(truncatingIfNeeded: base &+ word.trailingZeroBitCount)
                written &+= 1
                word &= word &- 1
            }
            bit &+= take
        }
        return written
    }

    /// `count` (1...64) bits of the bitmap starting at bit `from`, in the low bits of the result.
    @inline(__always)
    private static func loadBits(_ bits: UnsafeRawPointer, from: Int, count: Int, maskBytes: Int) -> UInt64 {
        let byte = from &>> 3
        let shift = UInt64(from & 7)
        var word: UInt64
        if byte &+ 9 <= maskBytes {
            // 8 bytes plus the next one's low bits for a shifted start.
            word = bits.loadUnaligned(fromByteOffset: byte, as: UInt64.self) &>> shift
            if shift != 0 {
                word |= UInt64(bits.load(fromByteOffset: byte &+ 8, as: UInt8.self)) &<< (64 &- shift)
            }
        } else {
            word = 0
            let needed = min(maskBytes &- byte, 9)
            var high: UInt64 = 0
            for k in 0..<needed {
                let value = UInt64(bits.load(fromByteOffset: byte &+ k, as: UInt8.self))
                if k < 8 { word |= value &<< UInt64(k &* 8) } else { high = value }
            }
            word &>>= shift
            if shift != 0 { word |= high &<< (64 &- shift) }
        }
        return count == 64 ? word : word & ((1 &<< UInt64(count)) &- 1)
    }
}

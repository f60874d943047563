import Columnar

/// `BYTE_STREAM_SPLIT = 9` for values of any width (FLOAT, DOUBLE, INT32, INT64,
/// FIXED_LEN_BYTE_ARRAY): byte `k` of every value goes to stream `k`, and the streams follow each
/// other. With `N` values of `K` bytes, byte `k` of value `i` is at `k * N + i`; the encoded data is
/// exactly `K * N` bytes (the end of the page), so the value count comes from its length.
public enum ByteStreamSplit {
    /// Decodes the values `range` (indices into the `encoded.count / byteWidth` values) into
    /// `output`, which receives `range.count * byteWidth` bytes in plain layout. Throws if the
    /// data is not a whole number of values or `range` lies outside them.
    public static func decode(
        _ encoded: UnsafeRawBufferPointer, byteWidth: Int, range: Range<Int>, into output: UnsafeMutableRawPointer
    ) throws(ParquetError) {
        guard byteWidth > 0 else { throw .invalidArgument("BYTE_STREAM_SPLIT width must be positive") }
        guard encoded.count % byteWidth == 0 else {
            throw .corrupt("BYTE_STREAM_SPLIT data of \(encoded.count) bytes is not a multiple of \(byteWidth)")
        }
        let total = encoded.count / byteWidth
        guard range.lowerBound >= 0 && range.upperBound <= total else {
            throw .corrupt("BYTE_STREAM_SPLIT holds \(total) values, values \(range) requested")
        }
        guard !range.isEmpty else { return }
        let src = encoded.baseAddress!
        switch byteWidth {
        case 4: decode4(src, stride: total, range: range, into: output)
        case 8: decode8(src, stride: total, range: range, into: output)
        default:
            let out = output.assumingMemoryBound(to: UInt8.self)
            for k in 0..<byteWidth {
                let stream = (src + k &* total).assumingMemoryBound(to: UInt8.self)
                var o = k
                for i in range {
                    out[o] = stream[i]
                    o &+= byteWidth
                }
            }
        }
    }

    /// Appends the encoding of `values` (plain layout, `values.count / byteWidth` values).
    public static func encode(_ values: UnsafeRawBufferPointer, byteWidth: Int, into output: inout BufferBuilder) {
        precondition(byteWidth > 0 && values.count % byteWidth == 0, "values are not a whole number of \(byteWidth)-byte values")
        let n = values.count / byteWidth
        guard n > 0 else { return }
        let src = values.baseAddress!
        output.appendUninitialized(maxByteCount: values.count) { raw in
            let dst = raw.baseAddress!
            switch byteWidth {
            case 4: encode4(src, count: n, into: dst)
            case 8: encode8(src, count: n, into: dst)
            default:
                let input = src.assumingMemoryBound(to: UInt8.self)
                for k in 0..<byteWidth {
                    let stream = (dst + k &* n).assumingMemoryBound(to: UInt8.self)
                    var o = k
                    for i in 0..<n {
                        stream[i] = input[o]
                        o &+= byteWidth
                    }
                }
            }
            return values.count
        }
    }

    @inline(__always)
    static func decode4(_ src: UnsafeRawPointer, stride: Int, range: Range<Int>, into output: UnsafeMutableRawPointer) {
        let s0 = src.assumingMemoryBound(to: UInt8.self)
        let s1 = s0 + stride, s2 = s1 + stride, s3 = s2 + stride
        let first = range.lowerBound
        for i in range {
            let value = UInt32(s0[i]) | UInt32(s1[i]) &<< 8 | UInt32(s2[i]) &<< 16 | UInt32(s3[i]) &<< 24
            output.storeBytes(of: value.littleEndian, toByteOffset: (i &- first) &* 4, as: UInt32.self)
        }
    }

    static func decode8(_ src: UnsafeRawPointer, stride: Int, range: Range<Int>, into output: UnsafeMutableRawPointer) {
        var i = range.lowerBound
        var out = output
        // Eight values at a time: eight bytes from each stream form an 8×8 byte matrix whose
        // transpose is the eight values.
        while i &+ 8 <= range.upperBound {
            var words = Words8(src, byteOffset: i, stride: stride)
            words.transpose()
            words.store(to: out, stride: 8)
            i &+= 8
            out += 64
        }
        let bytes = src.assumingMemoryBound(to: UInt8.self)
        while i < range.upperBound {
            var value: UInt64 = 0
            for k in 0..<8 { value |= UInt64(bytes[k &* stride &+ i]) &<< UInt64(k &* 8) }
            out.storeBytes(of: value.littleEndian, as: UInt64.self)
            i &+= 1
            out += 8
        }
    }

    @inline(__always)
    static func encode4(_ src: UnsafeRawPointer, count n: Int, into dst: UnsafeMutableRawPointer) {
        let d0 = dst.assumingMemoryBound(to: UInt8.self)
        let d1 = d0 + n, d2 = d1 + n, d3 = d2 + n
        for i in 0..<n {
            let value = UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
            d0[i] = UInt8(truncatingIfNeeded: value)
            d1[i] = UInt8(truncatingIfNeeded: value &>> 8)
            d2[i] = UInt8(truncatingIfNeeded: value &>> 16)
            d3[i] = UInt8(truncatingIfNeeded: value &>> 24)
        }
    }

    static func encode8(_ src: UnsafeRawPointer, count n: Int, into dst: UnsafeMutableRawPointer) {
        var i = 0
        while i &+ 8 <= n {
            var words = Words8(src, byteOffset: i &* 8, stride: 8)
            words.transpose()
            words.store(to: dst + i, stride: n)
            i &+= 8
        }
        let out = dst.assumingMemoryBound(to: UInt8.self)
        while i < n {
            let value = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
            for k in 0..<8 { out[k &* n &+ i] = UInt8(truncatingIfNeeded: value &>> UInt64(k &* 8)) }
            i &+= 1
        }
    }
}

/// Eight little-endian 64-bit words, an 8×8 byte matrix (word = row, byte = column).
private struct Words8 {
    var w0, w1, w2, w3, w4, w5, w6, w7: UInt64

    /// Loads the words at `byteOffset`, `byteOffset + stride`, … `byteOffset + 7 * stride`.
    @inline(__always)
    init(_ base: UnsafeRawPointer, byteOffset: Int, stride: Int) {
        func load(_ k: Int) -> UInt64 {
            UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byteOffset &+ k &* stride, as: UInt64.self))
        }
        (w0, w1, w2, w3, w4, w5, w6, w7) = (load(0), load(1), load(2), load(3), load(4), load(5), load(6), load(7))
    }

    @inline(__always)
    func store(to base: UnsafeMutableRawPointer, stride: Int) {
        base.storeBytes(of: w0.littleEndian, toByteOffset: 0, as: UInt64.self)
        base.storeBytes(of: w1.littleEndian, toByteOffset: stride, as: UInt64.self)
        base.storeBytes(of: w2.littleEndian, toByteOffset: 2 &* stride, as: UInt64.self)
        base.storeBytes(of: w3.littleEndian, toByteOffset: 3 &* stride, as: UInt64.self)
        base.storeBytes(of: w4.littleEndian, toByteOffset: 4 &* stride, as: UInt64.self)
        base.storeBytes(of: w5.littleEndian, toByteOffset: 5 &* stride, as: UInt64.self)
        base.storeBytes(of: w6.littleEndian, toByteOffset: 6 &* stride, as: UInt64.self)
        base.storeBytes(of: w7.littleEndian, toByteOffset: 7 &* stride, as: UInt64.self)
    }

    /// Swaps the off-diagonal blocks of `a` (upper rows) and `b` (lower rows) of `shift` bits.
    @inline(__always)
    static func swap(_ a: inout UInt64, _ b: inout UInt64, _ shift: UInt64, _ mask: UInt64) {
        let t = ((a &>> shift) ^ b) & mask
        b ^= t
        a ^= t &<< shift
    }

    /// Transposes the matrix: byte `c` of word `r` moves to byte `r` of word `c`, by swapping
    /// 4×4, then 2×2, then 1×1 blocks.
    @inline(__always)
    mutating func transpose() {
        let m32: UInt64 = 0x0000_0000_FFFF_FFFF, m16: UInt64 = 0x0000_FFFF_0000_FFFF, m8: UInt64 = 0x00FF_00FF_00FF_00FF
        Self.swap(&w0, &w4, 32, m32); Self.swap(&w1, &w5, 32, m32); Self.swap(&w2, &w6, 32, m32); Self.swap(&w3, &w7, 32, m32)
        Self.swap(&w0, &w2, 16, m16); Self.swap(&w1, &w3, 16, m16); Self.swap(&w4, &w6, 16, m16); Self.swap(&w5, &w7, 16, m16)
        Self.swap(&w0, &w1, 8, m8); Self.swap(&w2, &w3, 8, m8); Self.swap(&w4, &w5, 8, m8); Self.swap(&w6, &w7, 8, m8)
    }
}

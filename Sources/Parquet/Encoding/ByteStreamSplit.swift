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

    @inline(__always)
    static func decode8(_ src: UnsafeRawPointer, stride: Int, range: Range<Int>, into output: UnsafeMutableRawPointer) {
        let s0 = src.assumingMemoryBound(to: UInt8.self)
        let s1 = s0 + stride, s2 = s1 + stride, s3 = s2 + stride
        let s4 = s3 + stride, s5 = s4 + stride, s6 = s5 + stride, s7 = s6 + stride
        let first = range.lowerBound
        for i in range {
            let low = UInt64(s0[i]) | UInt64(s1[i]) &<< 8 | UInt64(s2[i]) &<< 16 | UInt64(s3[i]) &<< 24
            let high = UInt64(s4[i]) | UInt64(s5[i]) &<< 8 | UInt64(s6[i]) &<< 16 | UInt64(s7[i]) &<< 24
            output.storeBytes(of: (low | high &<< 32).littleEndian, toByteOffset: (i &- first) &* 8, as: UInt64.self)
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

    @inline(__always)
    static func encode8(_ src: UnsafeRawPointer, count n: Int, into dst: UnsafeMutableRawPointer) {
        let d0 = dst.assumingMemoryBound(to: UInt8.self)
        let d1 = d0 + n, d2 = d1 + n, d3 = d2 + n, d4 = d3 + n, d5 = d4 + n, d6 = d5 + n, d7 = d6 + n
        for i in 0..<n {
            let value = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
            d0[i] = UInt8(truncatingIfNeeded: value)
            d1[i] = UInt8(truncatingIfNeeded: value &>> 8)
            d2[i] = UInt8(truncatingIfNeeded: value &>> 16)
            d3[i] = UInt8(truncatingIfNeeded: value &>> 24)
            d4[i] = UInt8(truncatingIfNeeded: value &>> 32)
            d5[i] = UInt8(truncatingIfNeeded: value &>> 40)
            d6[i] = UInt8(truncatingIfNeeded: value &>> 48)
            d7[i] = UInt8(truncatingIfNeeded: value &>> 56)
        }
    }
}

import Columnar
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Access to the bytes of variable-width values.
enum ByteValues {
    /// Start and length of value `i` of a plain variable-width column.
    struct Reader {
        /// Keep the memory alive while the reader is used.
        let buffers: (Buffer, Buffer)
        let offsets: UnsafePointer<Int32>
        let data: UnsafePointer<UInt8>

        init(_ column: Column) {
            guard case .variableWidth(let offsets, let data) = column.storage else {
                preconditionFailure("\(column.type) is not plain variable width")
            }
            buffers = (offsets, data)
            self.offsets = UnsafePointer(offsets.baseAddress.assumingMemoryBound(to: Int32.self))
            self.data = UnsafePointer(data.baseAddress.assumingMemoryBound(to: UInt8.self))
        }

        @inline(__always)
        subscript(_ i: Int) -> (start: UnsafePointer<UInt8>, count: Int) {
            let start = Int(offsets[i])
            return (data + start, Int(offsets[i &+ 1]) &- start)
        }
    }

    /// Bytewise order (memcmp, then the shorter first).
    @inline(__always)
    static func compare(_ p: UnsafePointer<UInt8>, _ n: Int, _ q: UnsafePointer<UInt8>, _ m: Int) -> Int {
        let common = min(n, m)
        if common > 0 {
            let c = memcmp(p, q, common)
            if c != 0 { return Int(c) }
        }
        return n - m
    }

    /// Bit `i` = `f(bytes of a[i], bytes of b[i])` over plain or scalar operands.
    @inline(__always)
    static func compareBits(
        _ a: Datum, _ b: Datum, count: Int,
        _ f: (UnsafePointer<UInt8>, Int, UnsafePointer<UInt8>, Int) -> Bool
    ) -> Buffer {
        let ra = Reader(a.column), rb = Reader(b.column)
        if b.isScalar && !a.isScalar {
            let (q, m) = rb[0]
            return BitWords.make(count: count) { i in let (p, n) = ra[i]; return f(p, n, q, m) }
        }
        if a.isScalar && !b.isScalar {
            let (p, n) = ra[0]
            return BitWords.make(count: count) { i in let (q, m) = rb[i]; return f(p, n, q, m) }
        }
        return BitWords.make(count: count) { i in
            let (p, n) = ra[i], (q, m) = rb[i]
            return f(p, n, q, m)
        }
    }
}

import Columnar

/// The loops every elementwise kernel is made of, over whole buffers.
///
/// Each takes the per-value operation as a closure that is inlined with the loop (the
/// functions are `@inline(__always)` and specialised for the value types), and handles the
/// three shapes of two operands: column and column, column and scalar, scalar and column
/// (two scalars are a one-row column pair).
enum Loops {
    /// `f(a[i], b[i])` for `count` rows into a new buffer of `R`.
    @inline(__always)
    static func binary<A, B, R>(
        _ a: Datum, _ b: Datum, count: Int, _ f: (A, B) -> R
    ) -> Buffer {
        let pa = a.column.values(A.self), pb = b.column.values(B.self)
        let (buffer, out) = OutputBuffer.allocate(count, of: R.self)
        if a.isScalar && !b.isScalar {
            let x = pa[0]
            for i in 0..<count { out[i] = f(x, pb[i]) }
        } else if b.isScalar && !a.isScalar {
            let y = pb[0]
            for i in 0..<count { out[i] = f(pa[i], y) }
        } else {
            for i in 0..<count { out[i] = f(pa[i], pb[i]) }
        }
        return buffer
    }

    /// `f(a[i])` for the rows of a plain column into a new buffer of `R`.
    @inline(__always)
    static func unary<A, R>(_ a: Column, _ f: (A) -> R) -> Buffer {
        let count = a.count
        let pa = a.values(A.self)
        let (buffer, out) = OutputBuffer.allocate(count, of: R.self)
        for i in 0..<count { out[i] = f(pa[i]) }
        return buffer
    }

    /// Bit `i` = `f(a[i], b[i])`.
    @inline(__always)
    static func binaryBits<A, B>(_ a: Datum, _ b: Datum, count: Int, _ f: (A, B) -> Bool) -> Buffer {
        let pa = a.column.values(A.self), pb = b.column.values(B.self)
        if a.isScalar && !b.isScalar {
            let x = pa[0]
            return BitWords.make(count: count) { i in f(x, pb[i]) }
        }
        if b.isScalar && !a.isScalar {
            let y = pb[0]
            return BitWords.make(count: count) { i in f(pa[i], y) }
        }
        return BitWords.make(count: count) { i in f(pa[i], pb[i]) }
    }

    /// Bit `i` = `f(a[i])` for the rows of a plain column.
    @inline(__always)
    static func unaryBits<A>(_ a: Column, _ f: (A) -> Bool) -> Buffer {
        let pa = a.values(A.self)
        return BitWords.make(count: a.count) { i in f(pa[i]) }
    }
}

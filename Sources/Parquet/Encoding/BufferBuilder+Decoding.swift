import Columnar

extension BufferBuilder {
    /// `appendUninitialized(maxByteCount:_:)` for bodies that throw `ParquetError`; nothing is
    /// appended when the body throws.
    @inline(__always)
    mutating func appendDecoded(
        maxByteCount: Int, _ body: (UnsafeMutableRawBufferPointer) throws(ParquetError) -> Int
    ) throws(ParquetError) {
        var failure: ParquetError?
        appendUninitialized(maxByteCount: maxByteCount) { (raw: UnsafeMutableRawBufferPointer) -> Int in
            do throws(ParquetError) { return try body(raw) } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
    }
}

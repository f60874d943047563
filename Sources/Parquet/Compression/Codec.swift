import Columnar

/// A compression algorithm for page data. Instances keep C contexts and are not thread-safe:
/// use one per thread.
///
/// Make one with `CodecFactory.make(_:level:)`. Every implementation wraps one C library and
/// turns its errors into `ParquetError` at the boundary: `.corrupt` for input that does not
/// decompress to the declared size, `.invalidArgument` for input it cannot compress.
public protocol Codec: AnyObject {
    /// Appends the compressed form of `input` to `output`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws
    /// Decompresses `input`, which must expand to exactly `output.count` bytes (the page header's
    /// uncompressed_page_size); throws `.corrupt` if it expands to anything else or is malformed.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
}

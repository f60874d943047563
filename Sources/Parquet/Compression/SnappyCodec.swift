import CSnappy
import Columnar

/// `SNAPPY`: the raw Snappy format (no framing) over libsnappy's C API, which keeps no state.
public final class SnappyCodec: Codec {
    public init() {}

    /// Compresses with `snappy_compress` into `snappy_max_compressed_length(input.count)` bytes.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws {
        try output.appendUninitialized(maxByteCount: snappy_max_compressed_length(input.count)) { destination in
            var written = destination.count
            let status = snappy_compress(
                input.cStart.assumingMemoryBound(to: CChar.self), input.count,
                destination.cStart.assumingMemoryBound(to: CChar.self), &written)
            guard status == SNAPPY_OK else {
                throw ParquetError.invalidArgument("SNAPPY compression failed (status \(status.rawValue))")
            }
            return written
        }
    }

    /// Reads the length header with `snappy_uncompressed_length`, checks it against `output.count`,
    /// then decompresses with `snappy_uncompress`, which validates the stream as it goes and never
    /// writes past the length it was given.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        let source = input.cStart.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else {
            throw ParquetError.corrupt("SNAPPY data does not start with a valid length")
        }
        guard length == output.count else {
            throw ParquetError.sizeMismatch(.snappy, produced: length, declared: output.count)
        }
        var written = output.count
        let status = snappy_uncompress(
            source, input.count, output.cStart.assumingMemoryBound(to: CChar.self), &written)
        guard status == SNAPPY_OK else {
            throw ParquetError.corrupt("SNAPPY data is malformed or truncated")
        }
        guard written == output.count else {
            throw ParquetError.sizeMismatch(.snappy, produced: written, declared: output.count)
        }
    }
}

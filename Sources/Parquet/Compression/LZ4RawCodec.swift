import CLZ4
import Columnar

/// `LZ4_RAW`: one LZ4 block (the block format, no framing) over liblz4, which keeps no state for
/// one-shot block calls.
public final class LZ4RawCodec: Codec {
    public init() {}

    /// Compresses with `LZ4_compress_default` into `LZ4_compressBound(input.count)` bytes.
    public func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws {
        try Self.compressBlock(input, into: &output)
    }

    /// Decompresses with `LZ4_decompress_safe`, which never writes past `output`.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let produced = Self.decompressBlock(input, into: output) else {
            throw ParquetError.corrupt(
                "LZ4_RAW block is malformed or expands to more than the \(output.count) bytes the page header declares")
        }
        guard produced == output.count else {
            throw ParquetError.sizeMismatch(.lz4Raw, produced: produced, declared: output.count)
        }
    }

    /// Appends one LZ4 block and returns its size; shared with the Hadoop framing.
    @discardableResult
    static func compressBlock(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws -> Int {
        guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw ParquetError.invalidArgument("LZ4 cannot compress \(input.count) bytes in one block")
        }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        var blockSize = 0
        try output.appendUninitialized(maxByteCount: bound) { destination in
            let written = LZ4_compress_default(
                input.cStart.assumingMemoryBound(to: CChar.self),
                destination.cStart.assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(destination.count))
            guard written > 0 else { throw ParquetError.invalidArgument("LZ4 compression failed") }
            blockSize = Int(written)
            return blockSize
        }
        return blockSize
    }

    /// The number of bytes one LZ4 block in `input` expands to, or nil if it is malformed or
    /// does not fit in `output`.
    static func decompressBlock(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int? {
        guard input.count <= Int(Int32.max), output.count <= Int(Int32.max) else { return nil }
        let produced = LZ4_decompress_safe(
            input.cStart.assumingMemoryBound(to: CChar.self), output.cStart.assumingMemoryBound(to: CChar.self),
            Int32(input.count), Int32(output.count))
        return produced >= 0 ? Int(produced) : nil
    }
}

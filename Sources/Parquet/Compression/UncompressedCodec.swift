import Columnar

/// `UNCOMPRESSED`: pages stored as they are; compressing and decompressing copy.
public final class UncompressedCodec: Codec {
    public init() {}

    public func compress(_ input: UnsafeRawBufferPointer, into output: inout BufferBuilder) throws {
        output.append(contentsOf: input)
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard input.count == output.count else {
            throw ParquetError.sizeMismatch(.uncompressed, produced: input.count, declared: output.count)
        }
        if input.count > 0 { output.cStart.copyMemory(from: input.cStart, byteCount: input.count) }
    }
}

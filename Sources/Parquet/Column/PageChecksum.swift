import CZlib

/// The page checksum of parquet.thrift's `PageHeader.crc`: CRC-32 (zlib's `crc32`) of the page as
/// stored after its header, that is of the compressed bytes.
enum PageChecksum {
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(truncatingIfNeeded: CZlib.crc32(0, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), uInt(bytes.count)))
    }

    /// The value as the header's signed `crc` field stores it.
    static func headerValue(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        Int32(bitPattern: crc32(bytes))
    }
}

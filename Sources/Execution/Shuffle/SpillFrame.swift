import Columnar
import CZlib

/// The unit of Sparrow's spill files: a few record batches, their buffers laid out one after
/// another and compressed in LZ4 blocks, as Spark compresses shuffle blocks.
///
/// A frame is a 40-byte header, then the body: the metadata block (per batch its row count and,
/// per column, the storage kind, counts and the position of each buffer in the data area), then
/// the data area in blocks of up to `blockSize` bytes. Each block is a `UInt32` length, with bit 31
/// set when it is stored uncompressed (LZ4 would not make it smaller), then its bytes. All numbers
/// are little-endian. Header fields:
///
///     0 magic "SPF1"   4 batch count   8 metadata length   12 flags (0)
///     16 data length (UInt64)   24 body length (UInt64)   32 CRC-32 of the body   36 CRC-32 of bytes 0..<36
///
/// Buffers start at multiples of 64 in the data area, so the reader can hand out buffers that point
/// into one decompressed allocation with the alignment `Buffer` promises. The schema is not stored:
/// the reader knows it and checks every column against it.
enum SpillFrame {
    static let magic: UInt32 = 0x3146_5053
    static let headerSize = 40
    /// Uncompressed bytes per LZ4 block of the data area.
    static let blockSize = 1 << 20
    static let alignment = Buffer.alignment
    /// Marks a block stored as is.
    static let storedFlag: UInt32 = 1 << 31

    /// How a column's values are stored, as written in the metadata.
    enum Kind: UInt8 {
        case fixedWidth = 0, bits, variableWidth, dictionary, list, structure
    }

    /// The decoded header of one frame.
    struct Header {
        var batchCount: Int
        var metadataLength: Int
        var dataLength: Int
        var bodyLength: Int
        var bodyChecksum: UInt32

        init(batchCount: Int, metadataLength: Int, dataLength: Int, bodyLength: Int, bodyChecksum: UInt32) {
            self.batchCount = batchCount
            self.metadataLength = metadataLength
            self.dataLength = dataLength
            self.bodyLength = bodyLength
            self.bodyChecksum = bodyChecksum
        }

        /// Writes the header into the first `headerSize` bytes of `bytes`.
        func store(into bytes: UnsafeMutableRawPointer) {
            bytes.storeBytes(of: SpillFrame.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
            bytes.storeBytes(of: UInt32(batchCount).littleEndian, toByteOffset: 4, as: UInt32.self)
            bytes.storeBytes(of: UInt32(metadataLength).littleEndian, toByteOffset: 8, as: UInt32.self)
            bytes.storeBytes(of: UInt32(0).littleEndian, toByteOffset: 12, as: UInt32.self)
            bytes.storeBytes(of: UInt64(dataLength).littleEndian, toByteOffset: 16, as: UInt64.self)
            bytes.storeBytes(of: UInt64(bodyLength).littleEndian, toByteOffset: 24, as: UInt64.self)
            bytes.storeBytes(of: bodyChecksum.littleEndian, toByteOffset: 32, as: UInt32.self)
            let headerChecksum = SpillFrame.checksum(UnsafeRawBufferPointer(start: bytes, count: 36))
            bytes.storeBytes(of: headerChecksum.littleEndian, toByteOffset: 36, as: UInt32.self)
        }

        /// Reads and checks a header; `describe` turns a problem into the error to throw.
        init(_ bytes: UnsafeRawBufferPointer, corrupt describe: (String) -> any Error) throws {
            guard bytes.count >= SpillFrame.headerSize else { throw describe("truncated frame header") }
            func load<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T {
                T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
            }
            guard load(0, UInt32.self) == SpillFrame.magic else { throw describe("not a spill frame (bad magic)") }
            let expected = SpillFrame.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<36]))
            guard load(36, UInt32.self) == expected else { throw describe("frame header checksum mismatch") }
            guard load(12, UInt32.self) == 0 else { throw describe("unknown frame flags") }
            let data = load(16, UInt64.self)
            let body = load(24, UInt64.self)
            guard data <= UInt64(Int.max / 2), body <= UInt64(Int.max / 2) else { throw describe("frame sizes out of range") }
            batchCount = Int(load(4, UInt32.self))
            metadataLength = Int(load(8, UInt32.self))
            dataLength = Int(data)
            bodyLength = Int(body)
            bodyChecksum = load(32, UInt32.self)
            // LZ4 expands at most 255-fold, so the body bounds what decompressing may allocate.
            guard metadataLength + dataLength <= bodyLength * 255 + 64 else { throw describe("frame sizes do not match its body") }
            // Each batch takes at least its 8-byte row count.
            guard batchCount <= metadataLength / 8 else { throw describe("more batches than the metadata holds") }
        }
    }

    /// CRC-32 (zlib's) of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt = 0
        var offset = 0
        // zlib takes a 32-bit length.
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 30)
            crc = crc32(crc, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), UInt32(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}

import CLZ4
import Columnar

/// Turns record batches into spill frames (see `SpillFrame`): `append` copies each buffer once
/// into the frame's data area, `finishFrame` compresses it in LZ4 blocks. One serializer per task;
/// its scratch memory is reused from frame to frame.
///
/// A buffer shared by several columns of a frame (a dictionary that many batches of one row group
/// use) is written once. A dictionary with more entries than the rows that use it (in the batches
/// announced with `expect`, else in its column) is written as the values it selects instead, so
/// small slices of a large dictionary stay small on disk.
final class BatchSerializer {
    private var metadata = BufferBuilder(capacity: 4096)
    private var data = BufferBuilder(capacity: 1 << 16)
    private var frame = BufferBuilder(capacity: 1 << 16)
    /// Buffers already in the data area, by identity and length; holding them keeps the
    /// identities valid until the frame is finished.
    private var written: [BufferKey: Int] = [:]
    private var writtenBuffers: Set<ObjectIdentifier> = []
    private var retained: [Buffer] = []
    /// Rows per dictionary (by its values buffer) in the batches announced by `expect`.
    private var dictionaryRows: [ObjectIdentifier: Int] = [:]
    /// Batches appended since the last frame.
    private(set) var batchCount = 0
    let compress: Bool
    /// LZ4's state, reset cheaply for each block: the one-shot compressor clears its 16 KiB hash
    /// table on every call, which dominates with the small blocks of many reduce partitions.
    private let lz4: UnsafeMutablePointer<LZ4_stream_t>

    private struct BufferKey: Hashable {
        let buffer: ObjectIdentifier
        let length: Int
    }

    /// The offsets of an empty column, which producers may leave without the leading 0.
    private static let zeroOffset = Buffer(zeroedByteCount: 4)

    init(compress: Bool = true) {
        self.compress = compress
        lz4 = LZ4_createStream()
    }

    deinit { LZ4_freeStream(lz4) }

    /// Uncompressed bytes waiting for `finishFrame`.
    var pendingBytes: Int { data.count + metadata.count }

    /// Announces the batches about to be appended, so a dictionary they share is judged by all
    /// the rows that use it.
    func expect(_ batches: [RecordBatch]) {
        dictionaryRows.removeAll(keepingCapacity: true)
        for batch in batches {
            for column in batch.columns {
                if case .dictionary(_, let dictionary) = column.storage, let values = Self.valuesBuffer(dictionary) {
                    dictionaryRows[ObjectIdentifier(values), default: 0] += column.count
                }
            }
        }
    }

    func append(_ batch: RecordBatch) {
        metadata.append(Int64(batch.rowCount).littleEndian)
        for column in batch.columns { write(column) }
        batchCount += 1
    }

    /// Compresses the batches appended since the last call into one frame and passes its bytes
    /// to `body` (valid only during the call); then starts a new frame.
    func finishFrame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        frame.removeAll()
        frame.appendZeros(SpillFrame.headerSize)
        metadata.withUnsafeBytes { appendBlock($0) }
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + SpillFrame.blockSize, bytes.count)
                appendBlock(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                offset = end
            }
        }
        let bodyLength = frame.count - SpillFrame.headerSize
        let header = frame.withUnsafeBytes { bytes in
            SpillFrame.Header(batchCount: batchCount, metadataLength: metadata.count, dataLength: data.count, bodyLength: bodyLength,
                              bodyChecksum: SpillFrame.checksum(UnsafeRawBufferPointer(rebasing: bytes[SpillFrame.headerSize...])))
        }
        header.store(into: frame.baseAddress)
        metadata.removeAll()
        data.removeAll()
        written.removeAll(keepingCapacity: true)
        writtenBuffers.removeAll(keepingCapacity: true)
        retained.removeAll(keepingCapacity: true)
        batchCount = 0
        return try frame.withUnsafeBytes(body)
    }

    // MARK: Columns

    private func write(_ column: Column) {
        if case .dictionary(_, let dictionary) = column.storage, !isWritten(dictionary) {
            let rows = Self.valuesBuffer(dictionary).flatMap { dictionaryRows[ObjectIdentifier($0)] } ?? column.count
            if dictionary.count > rows {
                write(column.materialized())
                return
            }
        }
        let kind: SpillFrame.Kind
        switch column.storage {
        case .fixedWidth: kind = .fixedWidth
        case .bits: kind = .bits
        case .variableWidth: kind = .variableWidth
        case .dictionary: kind = .dictionary
        case .list: kind = .list
        case .structure: kind = .structure
        }
        metadata.append(kind.rawValue)
        metadata.append(UInt8(column.validity == nil ? 0 : 1))
        metadata.append(UInt16(0))
        if case .structure(let children) = column.storage {
            metadata.append(UInt32(children.count).littleEndian)
        } else {
            metadata.append(UInt32(0))
        }
        metadata.append(Int64(column.count).littleEndian)
        metadata.append(Int64(column.nullCount).littleEndian)
        let count = column.count
        if let validity = column.validity { writeBuffer(validity, length: Bitmap.byteCount(forBits: count)) }
        switch column.storage {
        case .fixedWidth(let values):
            writeBuffer(values, length: count * column.type.byteWidth!)
        case .bits(let values):
            writeBuffer(values, length: Bitmap.byteCount(forBits: count))
        case .variableWidth(let offsets, let values):
            let offsets = count == 0 ? Self.zeroOffset : offsets
            writeBuffer(offsets, length: (count + 1) * 4)
            writeBuffer(values, length: Int(offsets.load(count, as: Int32.self)))
        case .dictionary(let indices, let dictionary):
            writeBuffer(indices, length: count * 4)
            write(dictionary)
        case .list(let offsets, let values):
            writeBuffer(count == 0 ? Self.zeroOffset : offsets, length: (count + 1) * 4)
            write(values)
        case .structure(let children):
            for child in children { write(child) }
        }
    }

    private func isWritten(_ dictionary: Column) -> Bool {
        Self.valuesBuffer(dictionary).map { writtenBuffers.contains(ObjectIdentifier($0)) } ?? false
    }

    /// The buffer that identifies a dictionary: its values.
    private static func valuesBuffer(_ dictionary: Column) -> Buffer? {
        switch dictionary.storage {
        case .fixedWidth(let values), .bits(let values), .variableWidth(_, let values): values
        default: nil
        }
    }

    /// Records the buffer's position in the metadata, copying its first `length` bytes into the
    /// data area unless this frame holds them already.
    private func writeBuffer(_ buffer: Buffer, length: Int) {
        precondition(length <= buffer.byteCount, "a column's buffer is shorter than its count says")
        let key = BufferKey(buffer: ObjectIdentifier(buffer), length: length)
        let offset: Int
        if let existing = written[key] {
            offset = existing
        } else {
            let padding = (SpillFrame.alignment - data.count % SpillFrame.alignment) % SpillFrame.alignment
            data.appendZeros(padding)
            offset = data.count
            data.append(contentsOf: UnsafeRawBufferPointer(start: buffer.baseAddress, count: length))
            written[key] = offset
            writtenBuffers.insert(key.buffer)
            retained.append(buffer)
        }
        metadata.append(UInt64(offset).littleEndian)
        metadata.append(UInt64(length).littleEndian)
    }

    /// Appends one block to the frame: LZ4 when that is smaller, else the bytes as they are.
    private func appendBlock(_ bytes: UnsafeRawBufferPointer) {
        let length = bytes.count
        if compress && length > 0 && length <= Int(LZ4_MAX_INPUT_SIZE) {
            let bound = Int(LZ4_compressBound(Int32(length)))
            frame.reserve(4 + bound)
            let destination = frame.baseAddress + frame.count + 4
            // A fresh stream per block: blocks decompress on their own.
            LZ4_resetStream_fast(lz4)
            let compressed = Int(LZ4_compress_fast_continue(lz4, bytes.baseAddress!.assumingMemoryBound(to: CChar.self),
                                                            destination.assumingMemoryBound(to: CChar.self), Int32(length), Int32(bound), 1))
            if compressed > 0 && compressed < length {
                frame.append(UInt32(compressed).littleEndian)
                frame.count += compressed
                return
            }
        }
        frame.append((UInt32(length) | SpillFrame.storedFlag).littleEndian)
        frame.append(contentsOf: bytes)
    }
}

import CLZ4
import Columnar

/// Reads the batches of one spill frame (see `SpillFrame`) back: the data area is decompressed
/// into one allocation and every column buffer points into it (the allocation lives as long as
/// any of them).
///
/// Everything read is checked before it is used: lengths against the body, buffer positions
/// against the data area, each column's kind and buffer sizes against the schema's type, offsets
/// for order and range, dictionary indices against the dictionary. A damaged frame is an
/// `ExecutionError.input` naming the file and the frame's offset, never a trap.
struct BatchDeserializer {
    let schema: Schema
    /// The file and the frame's byte offset, for messages.
    let path: String
    let frameOffset: Int

    func corrupt(_ detail: String) -> ExecutionError {
        .input(path: path, detail: "corrupt spill frame at byte \(frameOffset): \(detail)")
    }

    /// Decodes a frame's body (the bytes after its header).
    func decode(_ header: SpillFrame.Header, body: UnsafeRawBufferPointer) throws -> [RecordBatch] {
        guard body.count == header.bodyLength else { throw corrupt("truncated body (\(body.count) of \(header.bodyLength) bytes)") }
        guard SpillFrame.checksum(body) == header.bodyChecksum else { throw corrupt("body checksum mismatch") }
        var position = 0
        var metadata = [UInt8](repeating: 0, count: header.metadataLength)
        try metadata.withUnsafeMutableBytes { try readBlock(body, &position, into: $0) }
        let region = try Buffer(byteCount: header.dataLength) { data in
            var offset = 0
            while offset < data.count {
                let end = min(offset + SpillFrame.blockSize, data.count)
                try readBlock(body, &position, into: UnsafeMutableRawBufferPointer(rebasing: data[offset..<end]))
                offset = end
            }
        }
        guard position == body.count else { throw corrupt("\(body.count - position) bytes after the last block") }
        return try metadata.withUnsafeBytes { bytes in
            var reader = MetadataReader(bytes: bytes, region: region, deserializer: self)
            var batches: [RecordBatch] = []
            batches.reserveCapacity(header.batchCount)
            for _ in 0..<header.batchCount {
                let rows = try reader.int()
                let columns = try schema.fields.map { try reader.column(of: $0.type) }
                guard columns.allSatisfy({ $0.count == rows }) else { throw corrupt("a column's length differs from its batch's \(rows) rows") }
                batches.append(RecordBatch(schema: schema, columns: columns, rowCount: rows))
            }
            guard reader.position == bytes.count else { throw corrupt("metadata longer than its batches") }
            return batches
        }
    }

    /// Decompresses (or copies) the next block of `body` into exactly `output`.
    private func readBlock(_ body: UnsafeRawBufferPointer, _ position: inout Int, into output: UnsafeMutableRawBufferPointer) throws {
        guard body.count - position >= 4 else { throw corrupt("truncated block header") }
        let word = UInt32(littleEndian: body.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        let stored = word & SpillFrame.storedFlag != 0
        let length = Int(word & ~SpillFrame.storedFlag)
        guard length <= body.count - position else { throw corrupt("block of \(length) bytes past the end of the body") }
        let input = UnsafeRawBufferPointer(rebasing: body[position..<(position + length)])
        position += length
        if stored {
            guard length == output.count else { throw corrupt("stored block of \(length) bytes where \(output.count) belong") }
            if length > 0 { output.copyMemory(from: input) }
            return
        }
        guard output.count > 0, length > 0, output.count <= Int(Int32.max) else { throw corrupt("compressed block with nothing to hold") }
        let produced = LZ4_decompress_safe(input.baseAddress!.assumingMemoryBound(to: CChar.self),
                                           output.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(length), Int32(output.count))
        guard Int(produced) == output.count else { throw corrupt("LZ4 block does not expand to its \(output.count) bytes") }
    }
}

/// Walks a frame's metadata, building columns whose buffers point into the data region.
private struct MetadataReader {
    let bytes: UnsafeRawBufferPointer
    let region: Buffer
    let deserializer: BatchDeserializer
    var position = 0

    init(bytes: UnsafeRawBufferPointer, region: Buffer, deserializer: BatchDeserializer) {
        self.bytes = bytes
        self.region = region
        self.deserializer = deserializer
    }

    mutating func load<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - position >= size else { throw deserializer.corrupt("truncated metadata") }
        defer { position += size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// A count or length: non-negative and small enough that products with a byte width stay exact.
    mutating func int() throws -> Int {
        let value = try load(Int64.self)
        guard value >= 0 && value <= Int64(Int32.max) * 64 else { throw deserializer.corrupt("count \(value) out of range") }
        return Int(value)
    }

    /// The next buffer reference, which must hold exactly `expected` bytes.
    mutating func buffer(expected: Int, what: String) throws -> Buffer {
        let offset = try load(UInt64.self)
        let length = try load(UInt64.self)
        guard length == UInt64(expected) else { throw deserializer.corrupt("\(what) of \(length) bytes where \(expected) belong") }
        guard offset % UInt64(SpillFrame.alignment) == 0, offset <= UInt64(region.byteCount),
              length <= UInt64(region.byteCount) - offset else {
            throw deserializer.corrupt("\(what) at \(offset)+\(length) outside the \(region.byteCount)-byte data area")
        }
        let region = self.region
        return Buffer(lent: region.baseAddress + Int(offset), byteCount: expected, capacity: expected) { _, _ in
            withExtendedLifetime(region) {}
        }
    }

    /// The next column, which must suit `type`; a dictionary's values cannot be a dictionary.
    mutating func column(of type: DataType, inDictionary: Bool = false) throws -> Column {
        guard let kind = SpillFrame.Kind(rawValue: try load(UInt8.self)) else { throw deserializer.corrupt("unknown column kind") }
        if kind == .dictionary && inDictionary { throw deserializer.corrupt("a dictionary inside a dictionary") }
        let hasValidity = try load(UInt8.self)
        _ = try load(UInt16.self)
        let childCount = Int(try load(UInt32.self))
        let count = try int()
        let nullCount = try int()
        guard hasValidity <= 1, nullCount <= count else { throw deserializer.corrupt("bad validity for a \(type) column") }
        let validity = hasValidity == 1 ? try buffer(expected: Bitmap.byteCount(forBits: count), what: "validity") : nil
        let storage: Column.Storage
        switch (kind, type.layout) {
        case (.fixedWidth, .fixedWidth(let width)):
            storage = .fixedWidth(try buffer(expected: count * width, what: "\(type) values"))
        case (.bits, .bits):
            storage = .bits(try buffer(expected: Bitmap.byteCount(forBits: count), what: "boolean values"))
        case (.variableWidth, .variableWidth):
            let offsets = try buffer(expected: (count + 1) * 4, what: "offsets")
            let end = Int(offsets.load(count, as: Int32.self))
            let data = try buffer(expected: end, what: "\(type) bytes")
            try checkOffsets(offsets, count: count, limit: data.byteCount)
            storage = .variableWidth(offsets: offsets, data: data)
        case (.dictionary, _):
            let indices = try buffer(expected: count * 4, what: "dictionary indices")
            let dictionary = try column(of: type, inDictionary: true)
            try checkIndices(indices, count: count, validity: validity, dictionaryCount: dictionary.count)
            storage = .dictionary(indices: indices, dictionary: dictionary)
        case (.list, .list):
            let offsets = try buffer(expected: (count + 1) * 4, what: "list offsets")
            let elementType: DataType
            switch type {
            case .map(let key, let value): elementType = .structure([key, value])
            default: elementType = type.children[0].type
            }
            let values = try column(of: elementType)
            try checkOffsets(offsets, count: count, limit: values.count)
            storage = .list(offsets: offsets, values: values)
        case (.structure, .structure):
            let fields = type.children
            guard childCount == fields.count else { throw deserializer.corrupt("struct with \(childCount) children, \(type) has \(fields.count)") }
            let children = try fields.map { try column(of: $0.type) }
            guard children.allSatisfy({ $0.count == count }) else { throw deserializer.corrupt("struct children of different lengths") }
            storage = .structure(children)
        default:
            throw deserializer.corrupt("a \(kind) column where the schema has \(type)")
        }
        let result = Column(type: type, count: count, validity: validity, storage: storage)
        guard result.nullCount == nullCount else { throw deserializer.corrupt("\(result.nullCount) nulls where \(nullCount) were written") }
        return result
    }

    /// Offsets must start at 0 or more, never decrease, and end within `limit`.
    func checkOffsets(_ offsets: Buffer, count: Int, limit: Int) throws {
        let valid = offsets.withUnsafeBufferPointer(as: Int32.self) { o in
            var decreasing = 0
            for i in 0..<count where o[i] > o[i + 1] { decreasing += 1 }
            return o[0] >= 0 && Int(o[count]) <= limit && decreasing == 0
        }
        guard valid else { throw deserializer.corrupt("offsets out of order or range") }
    }

    /// Indices of present rows must name dictionary entries.
    func checkIndices(_ indices: Buffer, count: Int, validity: Buffer?, dictionaryCount: Int) throws {
        let limit = UInt32(dictionaryCount)
        let valid = indices.withUnsafeBufferPointer(as: UInt32.self) { idx in
            var outside = 0
            if let validity {
                let bits = validity.baseAddress
                for i in 0..<count where idx[i] >= limit && Bitmap.isSet(bits, i) { outside += 1 }
            } else {
                for i in 0..<count where idx[i] >= limit { outside += 1 }
            }
            return outside == 0
        }
        guard valid else { throw deserializer.corrupt("dictionary index out of range") }
    }
}
